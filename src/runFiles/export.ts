/** Export of runs: CSV (one row per evaluation point, or per episode of a few-shot run; one column per metric) and JSON (everything). */
import type { EvaluationPoint, LayerDiagnostics } from '../engine/diagnostics/metrics';
import { readConfig, readPoints, readSettledSummary } from './runStore';
import type { RunSummary } from './summary';
import { flatten } from '../shared/configDiff';

const LAYER_METRICS: Array<keyof LayerDiagnostics> = ['weightNorm', 'orthonormality', 'activationNorm', 'participationRatio', 'errorNorm', 'ojaErrorRatio', 'stability', 'alignmentAngle'];

export interface ExportedRun {
  runDir: string;
  runId: string;
  label: string;
  /** As the run stands: a run whose process was killed from outside reads as failed (interrupted). */
  status: RunSummary['status'];
  divergedAtStep?: number;
  summary: RunSummary;
  config: unknown;
  points: EvaluationPoint[];
}

export function loadRunForExport(runDir: string): ExportedRun {
  const summary = readSettledSummary(runDir);
  if (!summary) throw new Error(`${runDir} is not a run folder (no summary.json)`);
  return {
    runDir,
    runId: summary.runId,
    label: summary.label,
    status: summary.status,
    ...(summary.divergedAtStep !== undefined ? { divergedAtStep: summary.divergedAtStep } : {}),
    summary,
    config: readConfig(runDir),
    points: readPoints(runDir),
  };
}

const RECURRENT_METRICS = ['inputNorm', 'recurrentNorm', 'outputNorm', 'spectralRadius', 'participationRatio', 'stability'] as const;

/**
 * A recurrent point's columns: W's norms and W_rec's diagnostics, MC, and the memory curve a column
 * per delay (or position), named for what it holds: memory.accuracy.delay5, memory.r2.delay3, memory.accuracy.position2.
 */
function recurrentColumns(p: EvaluationPoint): Map<string, number> {
  const columns = new Map<string, number>();
  if (p.recurrent) for (const m of RECURRENT_METRICS) if (p.recurrent[m] !== undefined) columns.set(`recurrent.${m}`, p.recurrent[m]!);
  const memory = p.memory;
  if (!memory) return columns;
  if (memory.capacity !== undefined) columns.set('memory.capacity', memory.capacity);
  const metric = memory.metric ?? 'accuracy';
  const axis = memory.axis ?? 'delay';
  memory.delays.forEach((d, k) => columns.set(`memory.${metric}.${axis}${d}`, memory.accuracy[k]!));
  return columns;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV for any number of runs: a row per (run, evaluation point). */
export function runsToCsv(runs: ExportedRun[]): string {
  const layerCount = Math.max(0, ...runs.flatMap((r) => r.points.map((p) => p.layers.length)));
  const header = ['run', 'label', 'step', 'epoch', 'trainLoss', 'testLoss', 'testAccuracy', 'elapsedSec'];
  for (let l = 0; l < layerCount; l++) for (const m of LAYER_METRICS) header.push(`layer${l + 1}.${m}`);
  // Appended after the metrics, so columns that scripts read by position stay where they were:
  // each run's status and every config value, so rows of several runs tell them apart.
  const configs = runs.map((run) => flatten(run.config));
  const configFields = [...new Set(configs.flatMap((fields) => Object.keys(fields)))].sort();
  header.push('status', 'divergedAtStep', ...configFields.map((field) => `config.${field}`));
  // Runs with local terms (rule.terms) add each term's share of each layer's update, last.
  const shareTerms = [...new Set(runs.flatMap((run) => run.points.flatMap((p) => p.layers.flatMap((layer) => Object.keys(layer.termShares ?? {})))))];
  for (let l = 0; l < layerCount; l++) for (const term of shareTerms) header.push(`layer${l + 1}.share.${term}`);
  // Few-shot runs (a row per episode) add what each episode was, last.
  const episodic = runs.some((run) => run.points.some((p) => p.episode));
  if (episodic) header.push('episode.classes', 'episode.movingAccuracy', 'episode.movingLoss');
  // Recurrent runs add their diagnostics and memory curve, last, in the order they first appear.
  const recurrent = runs.map((run) => run.points.map(recurrentColumns));
  const recurrentFields = [...new Set(recurrent.flat().flatMap((columns) => [...columns.keys()]))];
  header.push(...recurrentFields);
  const rows = [header.join(',')];
  runs.forEach((run, r) => {
    const runCells = [run.status, run.divergedAtStep, ...configFields.map((field) => configs[r]![field])];
    run.points.forEach((p, k) => {
      const cells: unknown[] = [run.runId, run.label, p.step, p.epoch, p.trainLoss, p.testLoss, p.testAccuracy, p.elapsedSec];
      for (let l = 0; l < layerCount; l++) for (const m of LAYER_METRICS) cells.push(p.layers[l]?.[m]);
      const shares: unknown[] = [];
      for (let l = 0; l < layerCount; l++) for (const term of shareTerms) shares.push(p.layers[l]?.termShares?.[term]);
      const episode = episodic ? [p.episode?.classes.join(' '), p.episode?.movingAccuracy, p.episode?.movingLoss] : [];
      const columns = recurrent[r]![k]!;
      rows.push([...cells, ...runCells, ...shares, ...episode, ...recurrentFields.map((field) => columns.get(field))].map(csvCell).join(','));
    });
  });
  return `${rows.join('\n')}\n`;
}

export function runsToJson(runs: ExportedRun[]): string {
  return `${JSON.stringify({ format: 'plasticity-lab/export@1', runs }, null, 2)}\n`;
}
