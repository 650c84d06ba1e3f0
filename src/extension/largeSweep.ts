/** A sweep of more than LARGE_SWEEP members runs only once the user says so (the CLI asks for --yes). */
import * as vscode from 'vscode';
import type { ExperimentConfig } from '../engine/config/schema';
import { LARGE_SWEEP, sweepSize } from '../engine/config/sweep';

export async function confirmLargeSweep(config: ExperimentConfig): Promise<boolean> {
  const size = sweepSize(config);
  if (size <= LARGE_SWEEP) return true;
  const answer = await vscode.window.showWarningMessage(
    `${config.name} has ${size.toLocaleString('en-US')} members. Queue them all?`,
    { modal: true, detail: `Sweeps of more than ${LARGE_SWEEP.toLocaleString('en-US')} members take long and fill the runs folder; the command line can split them into shards.` },
    'Run All',
  );
  return answer === 'Run All';
}
