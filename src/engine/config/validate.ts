/**
 * The one validator for experiments from files, the form, the command line and presets.
 * Messages name the field, the value given and what is allowed.
 */
import Ajv, { type ErrorObject } from 'ajv';
import { EXTRA_TERMS, TERM_ALIASES, inputSchema, type ExperimentConfig } from './schema';
import { coefficientField, ruleCoefficient, termPerLayer } from '../model/params';
import { getPath, pointerParts, pointerToPath } from './paths';
import { memberInput } from './sweepMember';
import { namedClasses, unsetSplitIssue } from '../episodes/classPool';
import { ConfigError, showValue, type ConfigIssue } from './issues';
import { recurrentIssues } from './recurrentIssues';

const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, strict: true, allowUnionTypes: true });
ajv.addKeyword('x-plasticity'); // room for editor hints without tripping strict mode
const validateSchema = ajv.compile(inputSchema());

export type ValidationResult = { ok: true; config: ExperimentConfig } | { ok: false; issues: ConfigIssue[] };

/** Validates and fills defaults. Never mutates `input`. */
export function validateExperiment(input: unknown): ValidationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '', message: `expected a JSON object, got ${showValue(input)}` }] };
  }
  const candidate = structuredClone(input);
  const issues = validateSchema(candidate) ? [] : describeErrors(validateSchema.errors ?? [], candidate);
  if (issues.length === 0) issues.push(...resolveTermAliases(input as Record<string, unknown>, candidate as ExperimentConfig));
  if (issues.length === 0) issues.push(...semanticIssues(candidate as ExperimentConfig));
  if (issues.length === 0 && (candidate as ExperimentConfig).sweep) {
    issues.push(...sweepIssues(candidate as ExperimentConfig));
  }
  return issues.length === 0 ? { ok: true, config: candidate as ExperimentConfig } : { ok: false, issues };
}

/** Like validateExperiment, but throws a ConfigError naming `source`. */
export function parseExperiment(input: unknown, source?: string): ExperimentConfig {
  const result = validateExperiment(input);
  if (!result.ok) throw new ConfigError(result.issues, source);
  return result.config;
}

function describeErrors(errors: ErrorObject[], document: unknown): ConfigIssue[] {
  // A failed union reports each branch too; one line for the union says it better.
  const unionPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const insideUnion = [...unionPaths].some(
      (p) => error.keyword !== 'anyOf' && (error.instancePath === p || error.instancePath.startsWith(`${p}/`)),
    );
    if (insideUnion) continue;
    const issue = describeError(error, document);
    const key = `${issue.path}|${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

/**
 * The field an ajv error points at, and its value. A sweep's keys are dotted paths themselves, so
 * they are written `sweep["rule.oja"][1]`, the form the sweep's own checks and the form use.
 */
function located(pointer: string, document: unknown): { path: string; value: unknown } {
  const [first, key, ...rest] = pointerParts(pointer);
  if (first !== 'sweep' || key === undefined) {
    const path = pointerToPath(pointer);
    return { path, value: getPath(document, path) };
  }
  const axis = (getPath(document, 'sweep') as Record<string, unknown> | undefined)?.[key];
  return { path: `sweep[${JSON.stringify(key)}]${rest.map((index) => `[${index}]`).join('')}`, value: rest.reduce<unknown>((node, index) => (Array.isArray(node) ? node[Number(index)] : undefined), axis) };
}

function describeError(error: ErrorObject, document: unknown): ConfigIssue {
  const { path, value } = located(error.instancePath, document);
  const given = `${showValue(value)} is not allowed`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return { path: join(path, field), message: `unknown field; allowed fields here: ${allowed.join(', ')}` };
    }
    case 'required':
      return { path: join(path, String(params.missingProperty)), message: 'is required' };
    case 'enum':
      return { path, message: `${given}; expected one of ${(params.allowedValues as unknown[]).map((v) => showValue(v)).join(', ')}` };
    case 'type':
      return { path, message: `${given}; expected ${article(String(params.type))}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `${given}; must be ${params.comparison} ${params.limit}` };
    case 'minItems':
      return { path, message: `${given}; needs at least ${params.limit} entries` };
    case 'minLength':
      return { path, message: `${given}; must not be empty` };
    case 'anyOf':
      return { path, message: `${given}; expected ${describeUnion(path)}` };
    case 'pattern':
    case 'propertyNames':
      return { path, message: `${showValue(params.propertyName ?? value)} is not a field path like "rule.oja"` };
    default:
      return { path, message: `${given}; ${error.message ?? 'invalid'}` };
  }
}

function describeUnion(path: string): string {
  if (path === 'rule.oja') return 'a number >= 0, or a list of numbers >= 0 with one per weight layer';
  if (path.startsWith('rule.terms.')) return 'a number, or a list of numbers with one per weight layer';
  return 'a value of one of the allowed forms';
}

function article(type: string): string {
  const words = type.split(',').map((t) => (t === 'integer' ? 'a whole number' : t === 'object' ? 'an object' : t === 'array' ? 'a list' : `a ${t}`));
  return words.join(' or ');
}

function join(parent: string, child: string): string {
  return parent ? `${parent}.${child}` : child;
}

/**
 * rule.terms.error and rule.terms.oja name rule.learningRate and rule.oja: the resolved config has
 * only the latter, so every executor reads one field. Giving both names different values is an error.
 */
function resolveTermAliases(input: Record<string, unknown>, config: ExperimentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const terms = config.rule.terms as Record<string, unknown>;
  for (const [alias, field] of TERM_ALIASES) {
    if (terms[alias] === undefined) continue;
    const given = getPath(input, `rule.${field}`);
    if (given !== undefined && JSON.stringify(given) !== JSON.stringify(terms[alias])) {
      issues.push({ path: `rule.terms.${alias}`, message: `${showValue(terms[alias])} differs from rule.${field} (${showValue(given)}), the same coefficient; set one of them` });
      continue;
    }
    (config.rule as Record<string, unknown>)[field] = terms[alias];
    delete terms[alias];
  }
  return issues;
}

/** Rules the schema alone cannot express. */
function semanticIssues(config: ExperimentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const weightLayers = config.model.layers.length - 1;
  if (Array.isArray(config.rule.oja) && config.rule.oja.length !== weightLayers) {
    issues.push({
      path: 'rule.oja',
      message: `${showValue(config.rule.oja)} has ${config.rule.oja.length} entries; expected one number, or ${weightLayers} (one per weight layer of model.layers)`,
    });
  }
  for (const term of EXTRA_TERMS) {
    const value = config.rule.terms[term];
    if (Array.isArray(value) && value.length !== weightLayers) {
      issues.push({ path: `rule.terms.${term}`, message: `${showValue(value)} has ${value.length} entries; expected one number, or ${weightLayers} (one per weight layer of model.layers)` });
    }
  }
  if (!config.rule.errorTerm && termPerLayer(config, 'errorHebbian').some((c) => c !== 0)) {
    issues.push({ path: 'rule.terms.errorHebbian', message: 'needs the error signals, which rule.errorTerm turns off; keep errorTerm and set rule.learningRate to 0 for errorHebbian alone' });
  }
  if (config.data.source === 'idx') {
    for (const field of ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const) {
      if (!config.data[field]) issues.push({ path: `data.${field}`, message: 'is required when data.source is "idx"' });
    }
  }
  if (config.training.epochs !== undefined && config.training.steps !== undefined) {
    issues.push({ path: 'training.steps', message: 'set either training.epochs or training.steps, not both' });
  }
  if (!config.rule.errorTerm && config.rule.optimizer === 'adam') {
    issues.push({ path: 'rule.optimizer', message: '"adam" acts on the error term, which rule.errorTerm turns off; use "sgd"' });
  }
  const last = config.model.layers[config.model.layers.length - 1]!;
  // Memory capacity's outputs are regression targets, one per delay: a single delay has one.
  if (last < 2 && config.data.source !== 'memory-capacity') issues.push({ path: 'model.layers', message: `the output layer has ${last} unit; a classifier needs at least 2` });
  issues.push(...episodeIssues(config), ...metaIssues(config), ...recurrentIssues(config));
  return issues;
}

/** Meta-learning (meta.learn): what its inner loop supports, and a starting value for each learned coefficient. */
function metaIssues(config: ExperimentConfig): ConfigIssue[] {
  const learn = config.meta?.learn;
  if (!learn) return [];
  const issues: ConfigIssue[] = [];
  if (!config.training.episodes) issues.push({ path: 'meta.learn', message: 'needs training.episodes: each meta-episode trains on one episode and is judged on its queries' });
  for (const name of learn) {
    if ((name === 'error' || name === 'errorHebbian') && !config.rule.errorTerm) {
      issues.push({ path: 'meta.learn', message: `"${name}" needs the error signals, which rule.errorTerm turns off` });
      continue;
    }
    const field = `rule.${coefficientField(name)}`;
    const value = ruleCoefficient(config.rule, name);
    if (value === undefined) issues.push({ path: 'meta.learn', message: `"${name}" is not in the rule; give ${field} its starting value` });
    else if (Array.isArray(value)) issues.push({ path: field, message: `${showValue(value)}: a learned coefficient is one number for every layer` });
  }
  const unsupported: Array<[boolean, string, string]> = [
    [config.training.batchSize !== 1, 'training.batchSize', `${config.training.batchSize} is not allowed with meta.learn: the inner loop trains online (1)`],
    [config.rule.optimizer !== 'sgd', 'rule.optimizer', `"${config.rule.optimizer}" is not allowed with meta.learn: the inner loop's steps are plain (use "sgd")`],
    [config.model.bias, 'model.bias', 'true is not allowed with meta.learn: the inner loop has no biases'],
    [config.model.normalization !== 'none', 'model.normalization', `"${config.model.normalization}" is not allowed with meta.learn: the inner loop has no normalisation`],
  ];
  for (const [bad, path, message] of unsupported) if (bad) issues.push({ path, message });
  const unsetEvaluation = config.meta?.evaluate ? unsetSplitIssue('meta.evaluate.classes', config.meta.evaluate.classes, config.meta) : null;
  if (unsetEvaluation) issues.push(unsetEvaluation);
  return issues;
}

/** Few-shot episodes and the meta class split: what the data is not needed to judge. */
function episodeIssues(config: ExperimentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { trainClasses, testClasses } = config.meta ?? {};
  const shared = (trainClasses ?? []).filter((c) => testClasses?.includes(c));
  if (shared.length > 0) {
    issues.push({ path: 'meta.testClasses', message: `${showValue(testClasses)} shares class ${shared.join(', ')} with meta.trainClasses; held-out classes must not be used to choose coefficients` });
  }
  const episodes = config.training.episodes;
  if (!episodes) return issues;
  for (const field of ['steps', 'epochs'] as const) {
    if (config.training[field] !== undefined) {
      issues.push({ path: `training.${field}`, message: `${config.training[field]} is not allowed with training.episodes: each episode is one pass over its ways × shots samples; set training.episodes.count instead` });
    }
  }
  const { classes } = episodes;
  const unset = unsetSplitIssue('training.episodes.classes', classes, config.meta);
  if (unset) issues.push(unset);
  const named = namedClasses(classes, config.meta, 'training.episodes.classes');
  const pool = named?.classes;
  const poolField = named?.field ?? 'training.episodes.classes';
  if (pool && episodes.ways > pool.length) {
    issues.push({ path: 'training.episodes.ways', message: `${episodes.ways} is not allowed: ${poolField} offers ${pool.length} classes` });
  }
  const layers = config.model.layers;
  const outputs = layers[layers.length - 1]!;
  if (episodes.relabel && outputs !== episodes.ways) {
    issues.push({ path: `model.layers.${layers.length - 1}`, message: `${outputs} output units; with training.episodes.relabel the output layer has one unit per class of an episode (ways = ${episodes.ways})` });
  }
  const unrepresented = episodes.relabel ? [] : (pool ?? []).filter((c) => c >= outputs);
  if (unrepresented.length > 0) {
    issues.push({ path: poolField, message: `class ${unrepresented.join(', ')} has no output unit (model.layers ends with ${outputs}); use smaller class indices, or training.episodes.relabel` });
  }
  return issues;
}

/** Every sweep value must make a valid experiment on its own. */
function sweepIssues(config: ExperimentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [field, values] of Object.entries(config.sweep ?? {})) {
    const joined = field.split(',');
    if (joined.some((path) => path === 'sweep' || path.startsWith('sweep.'))) {
      issues.push({ path: `sweep["${field}"]`, message: 'a sweep cannot sweep itself' });
      continue;
    }
    values.forEach((value, index) => {
      if (joined.length > 1 && !(Array.isArray(value) && value.length === joined.length)) {
        issues.push({ path: `sweep["${field}"][${index}]`, message: `${showValue(value)} is not allowed; expected a list of ${joined.length} values, one for each of ${joined.join(', ')}` });
        return;
      }
      const result = validateExperiment(memberInput(config, { [field]: value }));
      if (!result.ok) {
        for (const issue of result.issues) {
          const where = joined.some((path) => issue.path === path || issue.path.startsWith(`${path}.`)) ? `sweep["${field}"][${index}]` : issue.path;
          issues.push({ path: where, message: issue.message });
        }
      }
    });
  }
  return issues;
}
