/**
 * The experiment schema: one TypeBox definition gives both the JSON schema shipped for
 * `*.plasticity.json` files and the `ExperimentConfig` type used everywhere.
 *
 * Fields with a default are declared required here, so `ExperimentConfig` is the resolved shape;
 * `inputSchema()` derives the schema for files, in which those fields may be left out.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ALL_TERMS, EXTRA_TERMS } from '../../shared/terms';
import { ADAM_DEFAULTS } from '../model/adam';

function oneOf<const T extends readonly string[]>(values: T, options: { default?: T[number]; description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const DATA_SOURCES = ['mnist', 'idx', 'synthetic-gaussian', 'delayed-recall', 'copy', 'memory-capacity', 'sequential-mnist'] as const;
/** Sources of sequences, for recurrent networks (model.kind "rnn"). */
export const SEQUENCE_SOURCES = ['delayed-recall', 'copy', 'memory-capacity', 'sequential-mnist'] as const;
export const MODEL_KINDS = ['mlp', 'rnn'] as const;
export const RECURRENT_INIT_SCHEMES = ['xavier-uniform', 'xavier-normal', 'he', 'orthogonal'] as const;
export const ACTIVATIONS = ['softplus', 'relu', 'tanh', 'linear'] as const;
export const INIT_SCHEMES = ['xavier-uniform', 'xavier-normal', 'he'] as const;
export const FEEDBACK_MODES = ['backprop', 'feedback-alignment'] as const;
export const OPTIMIZERS = ['sgd', 'adam'] as const;
export const NORMALIZATIONS = ['none', 'layer'] as const;

const path = (description: string) => Type.String({ minLength: 1, description });

export const DataSchema = Type.Object(
  {
    source: oneOf(DATA_SOURCES, { default: 'mnist', description: 'Where samples come from.' }),
    trainImages: Type.Optional(path('IDX images file for training, relative to the experiment file (.gz allowed).')),
    trainLabels: Type.Optional(path('IDX labels file for training.')),
    testImages: Type.Optional(path('IDX images file for testing.')),
    testLabels: Type.Optional(path('IDX labels file for testing.')),
    trainSize: Type.Optional(Type.Integer({ minimum: 1, description: 'Use the first N training samples.' })),
    testSize: Type.Optional(Type.Integer({ minimum: 1, description: 'Use the first N test samples.' })),
    validationSize: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Evaluate on the last N training samples instead of the test split (to choose η and θ without looking at the test set); training uses the samples before them.',
      }),
    ),
    shuffle: Type.Boolean({ default: true, description: 'Shuffle the training order each epoch (false keeps file order).' }),
    decay: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.7,
      description: 'synthetic-gaussian: eigenvalue i of the covariance is decay^i.',
    }),
    symbols: Type.Optional(Type.Integer({ minimum: 2, description: 'delayed-recall and copy: V, the symbols to remember (default 8); each step has V + 1 inputs (the last is the recall cue) and there are V classes.' })),
    length: Type.Optional(
      Type.Integer({ minimum: 1, description: 'copy: L, the symbols of a sequence to reproduce after the cue (default 5). memory-capacity: the steps of a sequence (default 100), the first K of them a washout without targets.' }),
    ),
    delay: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0 }), Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1, uniqueItems: true })], {
        description:
          'delayed-recall and copy: D, the empty steps between the symbols and the cue (default 10); a list: each sequence draws one (delayed recall\'s memory curve has a point per delay; copy\'s, one per position). memory-capacity: K, recall u_{t−k} for k = 1 … K (default 30), or a list of the delays k; one output each.',
      }),
    ),
    ridge: Type.Optional(
      Type.Number({
        minimum: 0,
        description: "memory-capacity: the ridge readouts' λ relative to the fitting states, λ = ridge · tr(ΦᵀΦ) / (N + 1) with Φ the states [h_t, 1] (default 1e-6): the same regularisation whatever the scale of h or the number of states.",
      }),
    ),
  },
  { additionalProperties: false, default: {} },
);

export const InitSchema = Type.Object(
  {
    scheme: oneOf(INIT_SCHEMES, { default: 'xavier-uniform' }),
    gain: Type.Number({ exclusiveMinimum: 0, default: 1, description: 'Scale of the initial weights; <1 vanishing, >1 exploding.' }),
    from: Type.Optional(path('A weights file (plasticity-lab/weights@1) to start from; overrides scheme.')),
    recurrent: Type.Optional(
      Type.Object(
        {
          scheme: oneOf(RECURRENT_INIT_SCHEMES, { description: 'W_rec\'s scheme (default: init.scheme); "orthogonal": a random orthogonal matrix.' }),
          gain: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "W_rec's gain (default: init.gain)." })),
        },
        { additionalProperties: false, description: 'model.kind "rnn": how W_rec starts, if not as W_in and W_out do.' },
      ),
    ),
  },
  { additionalProperties: false, default: {} },
);

export const ModelSchema = Type.Object(
  {
    kind: Type.Optional(
      oneOf(MODEL_KINDS, {
        description: '"mlp" (absent: a feed-forward network) or "rnn": h_t = σ(W_in x_t + W_rec h_{t−1}), z_t = W_out h_t, trained on sequences one at a time by backpropagation through time.',
      }),
    ),
    layers: Type.Array(Type.Integer({ minimum: 1 }), {
      minItems: 2,
      default: [784, 170, 130, 100, 70, 10],
      description: 'Layer sizes, input first, output (number of classes) last. For an rnn: [inputs per step, hidden units, outputs].',
    }),
    activation: oneOf(ACTIVATIONS, { default: 'softplus' }),
    softplusBeta: Type.Number({ exclusiveMinimum: 0, default: 10 }),
    bias: Type.Boolean({ default: false }),
    normalization: oneOf(NORMALIZATIONS, {
      default: 'none',
      description: '"layer": each hidden layer normalises its pre-activations per sample (zero mean, unit variance) before the activation.',
    }),
    normalizationAffine: Type.Boolean({
      default: true,
      description: 'With layer normalisation: a learned gain and shift per unit after normalising (trained by the error term, like biases).',
    }),
    init: InitSchema,
  },
  { additionalProperties: false, default: {} },
);

const ojaCoefficient = Type.Number({ minimum: 0 });

export const AdamSchema = Type.Object(
  {
    beta1: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: ADAM_DEFAULTS.beta1 }),
    beta2: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: ADAM_DEFAULTS.beta2 }),
    epsilon: Type.Number({ exclusiveMinimum: 0, default: ADAM_DEFAULTS.epsilon }),
  },
  { additionalProperties: false, default: {} },
);

/** The local terms beyond the error term and Oja's (rule.learningRate and rule.oja), each with its sign convention. */
export { EXTRA_TERMS };
export type ExtraTerm = (typeof EXTRA_TERMS)[number];

const termCoefficient = (description: string) =>
  Type.Optional(Type.Union([Type.Number(), Type.Array(Type.Number(), { minItems: 1 })], { description: `${description} One number for every layer, or one per weight layer.` }));

/** Shorthands in rule.terms for the two terms that keep their own fields: [alias, the field it sets]. */
export const TERM_ALIASES = [
  ['error', 'learningRate'],
  ['oja', 'oja'],
] as const;

export const TermsSchema = Type.Object(
  {
    error: Type.Optional(
      Type.Number({ minimum: 0, description: 'ΔW_l += c · (−e_l y_{l−1}ᵀ): the error term; the same coefficient as rule.learningRate (set one of them). One number for every layer.' }),
    ),
    oja: Type.Optional(
      Type.Union([ojaCoefficient, Type.Array(ojaCoefficient, { minItems: 1 })], {
        description: "ΔW_l += c · (y_l y_{l−1}ᵀ − y_l (y_lᵀ W_l)): Oja's subspace rule; the same coefficient as rule.oja (set one of them). One number for every layer, or one per weight layer.",
      }),
    ),
    errorHebbian: termCoefficient('ΔW_l += c · (−e_l e_{l−1}ᵀ): the error of a layer times the error of the layer below (none on the first layer). Needs rule.errorTerm.'),
    ojaSingle: termCoefficient("ΔW_l += c · (y_l y_{l−1}ᵀ − diag(y_l²) W_l): Oja's single-neuron rule, row by row."),
    sanger: termCoefficient('ΔW_l += c · (y_l y_{l−1}ᵀ − LT(y_l y_lᵀ) W_l): the generalised Hebbian algorithm (LT: lower triangle with the diagonal).'),
    hebbian: termCoefficient('ΔW_l += c · y_l y_{l−1}ᵀ: plain Hebbian, unbounded.'),
    decay: termCoefficient('ΔW_l += c · (−W_l): weight decay.'),
    from: Type.Optional(path("A learned-rule.json (a meta-learning run's coefficients), relative to the experiment file: its values replace η, θ and the terms it holds.")),
  },
  {
    additionalProperties: false,
    default: {},
    description: "Local terms added to the update, each weighed by its coefficient (absent: 0). error and oja are other names for rule.learningRate and rule.oja.",
  },
);

export const RuleSchema = Type.Object(
  {
    feedback: oneOf(FEEDBACK_MODES, { default: 'backprop' }),
    learningRate: Type.Number({ minimum: 0, default: 0.01 }),
    oja: Type.Union(
      [
        ojaCoefficient,
        Type.Array(ojaCoefficient, { minItems: 1 }),
        Type.Object(
          { in: Type.Optional(ojaCoefficient), rec: Type.Optional(ojaCoefficient), out: Type.Optional(ojaCoefficient) },
          { additionalProperties: false, description: 'model.kind "rnn": θ for W_in, W_rec and W_out (absent: 0).' },
        ),
      ],
      {
        default: 0,
        description: 'Oja coefficient θ: one number for every layer, or one per weight layer; for an rnn, one number or { "in", "rec", "out" }.',
      },
    ),
    ojaOnOutput: Type.Boolean({ default: true }),
    errorTerm: Type.Boolean({ default: true }),
    terms: TermsSchema,
    optimizer: oneOf(OPTIMIZERS, { default: 'sgd', description: "Adam acts on the error term only (weights, biases, normalisation gains); Oja's term is added as is." }),
    adam: AdamSchema,
  },
  { additionalProperties: false, default: {} },
);

const classList = (description: string) => Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1, uniqueItems: true, description });

export const EpisodesSchema = Type.Object(
  {
    ways: Type.Integer({ minimum: 2, default: 5, description: 'M: classes per episode.' }),
    shots: Type.Integer({ minimum: 1, default: 5, description: 'K: training samples per class, from the training split; the network trains on the M·K samples once, online.' }),
    queries: Type.Integer({ minimum: 1, default: 10, description: 'Q: query samples per class, from the test split; the episode records their accuracy and loss.' }),
    count: Type.Integer({ minimum: 1, default: 100, description: 'E: number of episodes.' }),
    classes: Type.Union([Type.Unsafe<'all' | 'train' | 'test'>({ type: 'string', enum: ['all', 'train', 'test'] }), classList('Class indices.')], {
      default: 'all',
      description: 'The classes episodes draw from: "all", a list of class indices, or "train" / "test" for meta.trainClasses / meta.testClasses.',
    }),
    reinit: Type.Boolean({ default: true, description: "A fresh network for each episode, drawn from the run's seed stream (false: one network goes on learning episode after episode)." }),
    relabel: Type.Boolean({ default: false, description: "Map an episode's M classes to outputs 0…M−1 (the output layer then has M units); false keeps the data set's labels and class count." }),
    movingAverage: Type.Integer({ minimum: 1, default: 20, description: 'Episodes in the moving average of query accuracy and loss.' }),
  },
  { additionalProperties: false, description: 'Few-shot episodes instead of one long training run.' },
);

/** The coefficients meta-learning can learn: the error term's (η), Oja's (θ) and each of rule.terms. */
export const LEARNABLE_TERMS = ALL_TERMS;

export const MetaSchema = Type.Object(
  {
    trainClasses: Type.Optional(classList('Classes used to choose coefficients (training.episodes.classes: "train").')),
    testClasses: Type.Optional(classList('Held-out classes for evaluation episodes (training.episodes.classes: "test"); must not overlap trainClasses.')),
    learn: Type.Optional(
      Type.Array(oneOf(LEARNABLE_TERMS), {
        minItems: 1,
        uniqueItems: true,
        description: "Meta-learn these coefficients: each meta-episode trains a fresh network on an episode (training.episodes) with the current coefficients and steps them down the exact gradient of the query loss. Each starts from the rule's value (one number).",
      }),
    ),
    optimizer: oneOf(['adam'] as const, { default: 'adam', description: 'How the learned coefficients are stepped.' }),
    learningRate: Type.Number({ exclusiveMinimum: 0, default: 0.001, description: "The meta-optimizer's step size." }),
    episodes: Type.Integer({ minimum: 1, default: 600, description: 'Meta-episodes (meta-training steps), each one episode.' }),
    l1: Type.Number({ minimum: 0, default: 0, description: 'An L1 penalty on the learned coefficients, added to the query loss.' }),
    evaluate: Type.Optional(
      Type.Object(
        {
          shots: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, default: [1, 5, 10, 20, 50], description: 'K values to evaluate the learned rule at.' }),
          episodes: Type.Integer({ minimum: 1, default: 100, description: 'Fresh episodes per K.' }),
          classes: Type.Union([Type.Unsafe<'all' | 'train' | 'test'>({ type: 'string', enum: ['all', 'train', 'test'] }), classList('Class indices.')], {
            default: 'test',
            description: 'The classes evaluation episodes draw from (default: the held-out meta.testClasses).',
          }),
        },
        { additionalProperties: false, description: "After meta-training: the learned rule on fresh episodes at each K (on the fast executors), from the run's seed, so runs with one seed see the same episodes." },
      ),
    ),
  },
  { additionalProperties: false, description: 'A class split that keeps evaluation episodes away from the classes used to choose coefficients, and meta-learning of the rule.' },
);

export const TrainingSchema = Type.Object(
  {
    batchSize: Type.Integer({ minimum: 1, default: 1 }),
    epochs: Type.Optional(Type.Integer({ minimum: 1, description: 'Passes over the training set (default 1 when steps is not set).' })),
    steps: Type.Optional(Type.Integer({ minimum: 1, description: 'Number of updates; overrides epochs.' })),
    evalEvery: Type.Integer({ minimum: 1, default: 500, description: 'Evaluate every N steps (and at the end).' }),
    probeSize: Type.Integer({ minimum: 2, default: 256, description: 'Test inputs used for the per-layer diagnostics.' }),
    bptt: Type.Optional(Type.Integer({ minimum: 1, description: 'model.kind "rnn": each target\'s error flows back at most this many steps (absent: through the whole sequence).' })),
    episodes: Type.Optional(EpisodesSchema),
  },
  { additionalProperties: false, default: {} },
);

const SweepValues = Type.Array(Type.Unknown(), { minItems: 1 });

export const ExperimentSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ minLength: 1, default: 'experiment' }),
    description: Type.Optional(Type.String()),
    seed: Type.Integer({ minimum: 0, maximum: 4294967295, default: 0 }),
    data: DataSchema,
    model: ModelSchema,
    rule: RuleSchema,
    training: TrainingSchema,
    meta: Type.Optional(MetaSchema),
    sweep: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z$][A-Za-z0-9]*(\\.[A-Za-z0-9]+)*(,[A-Za-z$][A-Za-z0-9]*(\\.[A-Za-z0-9]+)*)*$' }), SweepValues, {
        description: 'Grid: dotted field path (e.g. "rule.oja", "seed") to the list of values to try. Several paths joined by commas ("rule,meta.learn") form one axis whose values are lists, one value per path, set together',
      }),
    ),
  },
  { additionalProperties: false, title: 'Plasticity Lab experiment' },
);

/** A fully resolved experiment: every default filled in. */
export type ExperimentConfig = Static<typeof ExperimentSchema>;
export type DataConfig = ExperimentConfig['data'];
export type ModelConfig = ExperimentConfig['model'];
export type RuleConfig = ExperimentConfig['rule'];
export type TrainingConfig = ExperimentConfig['training'];
export type EpisodesConfig = NonNullable<TrainingConfig['episodes']>;
export type Activation = ModelConfig['activation'];

/** The schema files are checked against: fields with a default may be omitted. */
export function inputSchema(): TSchema {
  return relaxDefaults(structuredClone(ExperimentSchema) as unknown as SchemaNode) as unknown as TSchema;
}

interface SchemaNode {
  properties?: Record<string, SchemaNode & { default?: unknown }>;
  required?: string[];
  [key: string]: unknown;
}

function relaxDefaults(node: SchemaNode): SchemaNode {
  if (node.properties) {
    const withDefault = new Set(Object.keys(node.properties).filter((k) => node.properties![k]!.default !== undefined));
    if (node.required) node.required = node.required.filter((k) => !withDefault.has(k));
    for (const child of Object.values(node.properties)) relaxDefaults(child);
  }
  return node;
}
