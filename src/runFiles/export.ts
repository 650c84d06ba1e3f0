/** Export of runs: CSV (one row per evaluation point, one column per metric) and JSON (everything). */
import type { EvaluationPoint, LayerDiagnostics } from '../engine/diagnostics/metrics';
import { readConfig, readPoints, readSummary } from './runStore';

const LAYER_METRICS: Array<keyof LayerDiagnostics> = ['weightNorm', 'orthonormality', 'activationNorm', 'participationRatio', 'errorNorm', 'ojaErrorRatio', 'stability', 'alignmentAngle'];

export interface ExportedRun {
  runDir: string;
  runId: string;
  label: string;
  summary: unknown;
  config: unknown;
  points: EvaluationPoint[];
}

export function loadRunForExport(runDir: string): ExportedRun {
  const summary = readSummary(runDir);
  if (!summary) throw new Error(`${runDir} is not a run folder (no summary.json)`);
  return { runDir, runId: summary.runId, label: summary.label, summary, config: readConfig(runDir), points: readPoints(runDir) };
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
  const rows = [header.join(',')];
  for (const run of runs) {
    for (const p of run.points) {
      const cells: unknown[] = [run.runId, run.label, p.step, p.epoch, p.trainLoss, p.testLoss, p.testAccuracy, p.elapsedSec];
      for (let l = 0; l < layerCount; l++) for (const m of LAYER_METRICS) cells.push(p.layers[l]?.[m]);
      rows.push(cells.map(csvCell).join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}

export function runsToJson(runs: ExportedRun[]): string {
  return `${JSON.stringify({ format: 'plasticity-lab/export@1', runs }, null, 2)}\n`;
}
