/** The form's fields and the conversion between form text and experiment drafts (pure, tested in Node). */
import { deletePath, getPath, setPath } from '../../src/engine/config/paths';

/** 'term': a local term's coefficient, one number or (with its per-layer toggle) one per weight layer. */
/** 'numbers': one number or a comma list of them (data.delay). */
export type FieldKind = 'text' | 'number' | 'select' | 'checkbox' | 'layers' | 'term' | 'words' | 'numbers';
export interface FieldSpec {
  path: string;
  label: string;
  kind: FieldKind;
  /** A select's choices, the schema's default first. */
  choices?: string[];
  hint?: string;
  showIf?: (values: Record<string, string>) => boolean;
  /** A "sweep" tick beside the field turns its text into a list of values to run. */
  sweepable?: boolean;
}

/** The local terms of rule.terms, as the form's table lists them, with what each adds to ΔW_l. */
export const TERM_ROWS: Array<{ term: string; formula: string }> = [
  { term: 'errorHebbian', formula: '−c · e_l e_{l−1}ᵀ' },
  { term: 'ojaSingle', formula: 'c · (y_l y_{l−1}ᵀ − diag(y_l²) W_l)' },
  { term: 'sanger', formula: 'c · (y_l y_{l−1}ᵀ − LT(y_l y_lᵀ) W_l)' },
  { term: 'hebbian', formula: 'c · y_l y_{l−1}ᵀ' },
  { term: 'decay', formula: '−c · W_l' },
];

/**
 * Not a field: whether the draft trains in few-shot episodes (training.episodes), which shows the
 * episode fields and hides the ones episodes do not use (epochs, steps, evaluate every).
 */
export const EPISODIC = 'episodic';
const episodic = (v: Record<string, string>) => v[EPISODIC] === 'true';
/** Not a field either: whether the draft meta-learns its rule (meta.learn), which shows the meta-learning fields. */
export const META_LEARNING = 'metaLearning';
const metaLearning = (v: Record<string, string>) => v[META_LEARNING] === 'true';
const recurrent = (v: Record<string, string>) => v['model.kind'] === 'rnn';
const symbolTask = (v: Record<string, string>) => v['data.source'] === 'delayed-recall' || v['data.source'] === 'copy';
const memoryCapacity = (v: Record<string, string>) => v['data.source'] === 'memory-capacity';
/** A recurrent network's θ per matrix (rule.oja.in, .rec, .out), in place of the one θ. */
const OJA_MATRICES = ['in', 'rec', 'out'] as const;

/** `table`: the group is drawn as a table of terms (coefficient and per-layer toggle per row). */
export const FIELDS: Array<{ legend: string; table?: boolean; fields: FieldSpec[] }> = [
  {
    legend: 'Data',
    fields: [
      { path: 'data.source', label: 'Source', kind: 'select', choices: ['mnist', 'synthetic-gaussian', 'idx', 'delayed-recall', 'copy', 'memory-capacity', 'sequential-mnist'] },
      { path: 'data.symbols', label: 'Symbols (V)', kind: 'number', hint: 'default 8; V + 1 inputs, V outputs', showIf: symbolTask },
      {
        path: 'data.length', label: 'Length (L)', kind: 'number', hint: 'copy: symbols to copy (default 5); memory capacity: steps per sequence (default 100)',
        showIf: (v) => v['data.source'] === 'copy' || memoryCapacity(v),
      },
      {
        path: 'data.delay', label: 'Delays (D or K)', kind: 'numbers', hint: 'one, or a list (each sequence draws one); memory capacity: K for delays 1…K (default 30), or a list; one output each',
        showIf: (v) => symbolTask(v) || memoryCapacity(v),
      },
      { path: 'data.ridge', label: 'Readout ridge λ', kind: 'number', hint: 'times tr(ΦᵀΦ)/(N + 1) of the fitting states; default 1e-6', showIf: memoryCapacity },
      { path: 'data.trainImages', label: 'Train images', kind: 'text', showIf: (v) => v['data.source'] === 'idx', hint: 'IDX file, relative to the workspace' },
      { path: 'data.trainLabels', label: 'Train labels', kind: 'text', showIf: (v) => v['data.source'] === 'idx' },
      { path: 'data.testImages', label: 'Test images', kind: 'text', showIf: (v) => v['data.source'] === 'idx' },
      { path: 'data.testLabels', label: 'Test labels', kind: 'text', showIf: (v) => v['data.source'] === 'idx' },
      { path: 'data.trainSize', label: 'Training samples', kind: 'number', hint: 'empty: all (sequences for a recurrent task)' },
    ],
  },
  {
    legend: 'Network',
    fields: [
      { path: 'model.kind', label: 'Kind', kind: 'select', choices: ['mlp', 'rnn'], hint: 'rnn: recurrent, trained by backpropagation through time' },
      { path: 'model.layers', label: 'Layers', kind: 'layers', hint: 'sizes, input first, e.g. 784-170-130-100-70-10; rnn: inputs-hidden-outputs' },
      { path: 'model.activation', label: 'Activation', kind: 'select', choices: ['softplus', 'relu', 'tanh', 'linear'] },
      { path: 'model.init.scheme', label: 'Initialisation', kind: 'select', choices: ['xavier-uniform', 'xavier-normal', 'he'] },
      { path: 'model.init.gain', label: 'Init gain', kind: 'number', hint: '<1 vanishing, >1 exploding', sweepable: true },
    ],
  },
  {
    legend: 'Rule',
    fields: [
      { path: 'rule.feedback', label: 'Feedback', kind: 'select', choices: ['backprop', 'feedback-alignment'] },
      { path: 'rule.learningRate', label: 'Learning rate η', kind: 'number', sweepable: true },
      { path: 'rule.oja', label: 'Oja coefficient θ', kind: 'number', hint: '0 is pure backprop / FA', sweepable: true, showIf: (v) => !recurrent(v) },
      ...OJA_MATRICES.map((matrix): FieldSpec => ({ path: `rule.oja.${matrix}`, label: `Oja θ on W_${matrix}`, kind: 'number', hint: 'empty: 0', sweepable: matrix === 'rec', showIf: recurrent })),
      { path: 'rule.errorTerm', label: 'Error term', kind: 'checkbox' },
      { path: 'rule.optimizer', label: 'Optimizer', kind: 'select', choices: ['sgd', 'adam'] },
    ],
  },
  {
    legend: 'Local terms',
    table: true,
    fields: TERM_ROWS.map(({ term, formula }): FieldSpec => ({ path: `rule.terms.${term}`, label: term, kind: 'term', hint: formula })),
  },
  {
    legend: 'Few-shot episodes',
    fields: [
      { path: 'training.episodes.ways', label: 'Classes per episode (M)', kind: 'number', showIf: episodic },
      { path: 'training.episodes.shots', label: 'Training samples per class (K)', kind: 'number', sweepable: true, showIf: episodic },
      { path: 'training.episodes.queries', label: 'Query samples per class (Q)', kind: 'number', showIf: episodic },
      { path: 'training.episodes.count', label: 'Episodes', kind: 'number', hint: 'each from a fresh network', showIf: episodic },
    ],
  },
  {
    legend: 'Meta-learning',
    fields: [
      { path: 'meta.learn', label: 'Learned coefficients', kind: 'words', hint: 'comma-separated: error, oja, errorHebbian, ojaSingle, sanger, hebbian, decay', showIf: metaLearning },
      { path: 'meta.episodes', label: 'Meta-episodes', kind: 'number', showIf: metaLearning },
      { path: 'meta.learningRate', label: 'Meta learning rate', kind: 'number', hint: "Adam's step on the coefficients", showIf: metaLearning },
    ],
  },
  {
    legend: 'Training',
    fields: [
      { path: 'training.batchSize', label: 'Batch size', kind: 'number', sweepable: true },
      { path: 'training.epochs', label: 'Epochs', kind: 'number', hint: 'or set steps', showIf: (v) => !episodic(v) },
      { path: 'training.steps', label: 'Steps', kind: 'number', hint: 'overrides epochs', showIf: (v) => !episodic(v) },
      { path: 'training.evalEvery', label: 'Evaluate every', kind: 'number', hint: 'steps', showIf: (v) => !episodic(v) },
      { path: 'training.bptt', label: 'BPTT horizon', kind: 'number', hint: 'steps back from each target; empty: the whole sequence', showIf: recurrent },
      { path: 'seed', label: 'Seed', kind: 'number', sweepable: true },
      { path: 'name', label: 'Name', kind: 'text' },
    ],
  },
];
export const ALL_FIELDS = FIELDS.flatMap((g) => g.fields);
// ---- draft ⇄ values -----------------------------------------------------------------------
/** The values key of a field's "sweep" tick. */
export const sweepKey = (path: string) => `sweep:${path}`;

/** A field's text as a list of values: separated by commas, semicolons or spaces. */
function listOf(text: string | undefined): string[] {
  return (text ?? '').split(/[,;\s]+/).filter(Boolean);
}

/** The values key of a term's per-layer toggle. */
export const perLayerKey = (path: string) => `perLayer:${path}`;

/** How many weight layers the form's layer sizes give (0 while they do not parse). */
export function weightLayerCount(values: Record<string, string>): number {
  const sizes = (values['model.layers'] ?? '').split(/[-,\s]+/).filter(Boolean);
  return sizes.length >= 2 && sizes.every((s) => Number.isInteger(Number(s))) ? sizes.length - 1 : 0;
}

/**
 * A term's per-layer toggle turned on or off: on, its one coefficient is repeated for every weight
 * layer (to edit one of them); off, the list becomes its first value.
 */
export function setPerLayer(values: Record<string, string>, path: string, perLayer: boolean): Record<string, string> {
  const next = { ...values, [perLayerKey(path)]: String(perLayer) };
  const list = listOf(values[path]);
  if (!perLayer) next[path] = list[0] ?? '';
  else if (list.length === 1 && weightLayerCount(values) > 0) next[path] = new Array(weightLayerCount(values)).fill(list[0]).join(', ');
  return next;
}

/** A field's sweep tick turned on or off; turned off, a list in the field becomes its first value. */
export function setSwept(values: Record<string, string>, path: string, swept: boolean): Record<string, string> {
  const next = { ...values, [sweepKey(path)]: String(swept) };
  if (!swept) next[path] = listOf(values[path])[0] ?? '';
  return next;
}

export function valuesFromDraft(draft: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = { [EPISODIC]: String(getPath(draft, 'training.episodes') !== undefined), [META_LEARNING]: String(getPath(draft, 'meta.learn') !== undefined) };
  const sweep = (draft.sweep ?? {}) as Record<string, unknown>;
  for (const field of ALL_FIELDS) {
    const swept = sweep[field.path];
    if (field.sweepable && Array.isArray(swept)) {
      out[field.path] = swept.join(', ');
      out[sweepKey(field.path)] = 'true';
      continue;
    }
    const value = getPath(draft, field.path);
    // An object is not a field's text (a recurrent θ per matrix has its own fields).
    if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))) continue;
    if (field.kind === 'term') {
      out[field.path] = Array.isArray(value) ? value.join(', ') : String(value);
      out[perLayerKey(field.path)] = String(Array.isArray(value));
      continue;
    }
    out[field.path] = field.kind === 'layers' && Array.isArray(value) ? value.join('-') : (field.kind === 'words' || field.kind === 'numbers') && Array.isArray(value) ? value.join(', ') : String(value);
  }
  // A recurrent draft's one θ is θ on every matrix: the form shows it per matrix.
  const oja = getPath(draft, 'rule.oja');
  if (getPath(draft, 'model.kind') === 'rnn' && typeof oja === 'number' && !Array.isArray(sweep['rule.oja'])) {
    for (const matrix of OJA_MATRICES) out[`rule.oja.${matrix}`] = String(oja);
  }
  return out;
}

/**
 * The form field an engine issue belongs to and the text to show there; sweep values
 * (`sweep["rule.oja"][1]`) go to their field as "value 2: …".
 */
export function placeIssue(issue: { path: string; message: string }): { field: FieldSpec; text: string } | null {
  const swept = /^sweep\["([^"]+)"\](?:\[(\d+)\])?/.exec(issue.path);
  const sweptField = swept ? ALL_FIELDS.find((f) => f.path === swept[1]) : undefined;
  if (swept && sweptField) return { field: sweptField, text: swept[2] !== undefined ? `value ${Number(swept[2]) + 1}: ${issue.message}` : issue.message };
  const field = ALL_FIELDS.filter((f) => issue.path === f.path || issue.path.startsWith(`${f.path}.`)).sort((a, b) => b.path.length - a.path.length)[0];
  return field ? { field, text: issue.path === field.path ? issue.message : `${issue.path}: ${issue.message}` } : null;
}

/** A number where the text is one; else the text, for the validator to name. */
function numberOrText(text: string): number | string {
  return Number.isFinite(Number(text)) ? Number(text) : text;
}

/**
 * The draft a form describes: `base` (the preset or file it started from, so fields the form does
 * not show are kept) with every shown field laid over it. Text that does not parse goes as text,
 * for the validator to name; an emptied or hidden field is removed.
 */
export function draftFromValues(values: Record<string, string>, base: Record<string, unknown> = {}): Record<string, unknown> {
  const draft = structuredClone(base);
  // Sweeps over fields the form shows follow their ticks; sweeps over other fields are kept, and
  // the grid keeps its order (it decides the members' order).
  const sweep = { ...((draft.sweep ?? {}) as Record<string, unknown>) };
  for (const field of ALL_FIELDS) {
    if (!field.sweepable) continue;
    if (values[sweepKey(field.path)] !== 'true') {
      delete sweep[field.path];
      continue;
    }
    const list = listOf(values[field.path]);
    sweep[field.path] = list.map(numberOrText);
  }
  if (Object.keys(sweep).length > 0) draft.sweep = sweep;
  else delete draft.sweep;
  for (const field of ALL_FIELDS) {
    // A swept field's base value stays the preset's; its list is in the sweep.
    if (field.sweepable && values[sweepKey(field.path)] === 'true') continue;
    const raw = (values[field.path] ?? '').trim();
    if ((field.showIf && !field.showIf(values)) || (raw === '' && field.kind !== 'checkbox')) {
      deletePath(draft, field.path);
      continue;
    }
    if (field.kind === 'checkbox') setPath(draft, field.path, raw !== 'false');
    else if (field.kind === 'number') setPath(draft, field.path, numberOrText(raw));
    else if (field.kind === 'layers') setPath(draft, field.path, raw.split(/[-,\s]+/).filter(Boolean).map(numberOrText));
    else if (field.kind === 'words') setPath(draft, field.path, listOf(raw));
    else if (field.kind === 'numbers') {
      const list = listOf(raw).map(numberOrText);
      setPath(draft, field.path, list.length === 1 ? list[0] : list);
    }
    else if (field.kind === 'term') {
      const list = listOf(raw).map(numberOrText);
      setPath(draft, field.path, values[perLayerKey(field.path)] === 'true' ? list : list.length === 1 ? list[0] : raw);
    } else setPath(draft, field.path, raw);
  }
  // A term table left empty leaves no empty rule.terms behind (a file without terms stays so).
  const terms = getPath(draft, 'rule.terms');
  if (terms && typeof terms === 'object' && Object.keys(terms).length === 0 && getPath(base, 'rule.terms') === undefined) deletePath(draft, 'rule.terms');
  return draft;
}
