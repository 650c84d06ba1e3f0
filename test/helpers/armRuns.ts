/** Made-up runs of a reproduction's arms, for the verdict, report and tab tests. */
import type { ArmRun } from '../../src/reproduce/evaluate';
import type { LayerDiagnostics } from '../../src/engine/diagnostics/metrics';
import type { RunSummary } from '../../src/runFiles/summary';

export const layer = (d: Partial<LayerDiagnostics>): LayerDiagnostics => ({ weightNorm: 1, orthonormality: 1, activationNorm: 1, participationRatio: 1, errorNorm: 1, ojaErrorRatio: null, stability: 0, ...d });

/** A run with this final accuracy (null: it diverged), an evaluation point per entry of `layers`, in `runDir`. */
export function armRun(seed: number, accuracy: number | null, options: { layers?: LayerDiagnostics[][]; runDir?: string } = {}): ArmRun {
  const status = accuracy === null ? 'diverged' : 'completed';
  return {
    seed,
    runDir: options.runDir ?? `/runs/${seed}`,
    summary: { status, final: accuracy === null ? null : { step: 1, trainLoss: 0, testLoss: 0, testAccuracy: accuracy } } as RunSummary,
    points: (options.layers ?? [[layer({})]]).map((l, step) => ({ step, epoch: 0, trainLoss: null, testLoss: 1, testAccuracy: accuracy ?? 0.1, elapsedSec: 0, layers: l })),
  };
}
