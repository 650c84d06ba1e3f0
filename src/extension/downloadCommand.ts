/** Plasticity: Download Dataset… — MNIST or Fashion-MNIST IDX files into plasticity.dataDirectory. */
import * as vscode from 'vscode';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASETS, downloadDataset, type DatasetSpec } from '../host/datasets';
import { listPresets, presetDocument, PRESET_SUFFIX } from '../engine/presets';
import { workspaceRoot } from './settings';

export interface DownloadedDataset {
  id: string;
  title: string;
  data: { source: 'idx'; trainImages: string; trainLabels: string; testImages: string; testLabels: string };
}

export function datasetDir(dataDirectory: string, spec: DatasetSpec): string {
  return join(dataDirectory, spec.id);
}

/** Datasets whose four files are in the data folder (for the form and new experiments). */
export function downloadedDatasets(dataDirectory: string): DownloadedDataset[] {
  return DATASETS.flatMap((spec) => {
    const dir = datasetDir(dataDirectory, spec);
    const paths = Object.fromEntries(Object.entries(spec.files).map(([key, file]) => [key, join(dir, file.name)])) as Omit<DownloadedDataset['data'], 'source'>;
    return Object.values(paths).every(existsSync) ? [{ id: spec.id, title: spec.title, data: { source: 'idx' as const, ...paths } }] : [];
  });
}

export async function downloadDatasetCommand(dataDirectory: string, requested?: unknown): Promise<DownloadedDataset | undefined> {
  const spec =
    DATASETS.find((d) => d.id === requested) ??
    (await vscode.window.showQuickPick(DATASETS.map((d) => ({ label: d.title, description: d.id, spec: d })), { placeHolder: 'Dataset to download (IDX files)' }))?.spec;
  if (!spec) return undefined;
  const baseUrl = vscode.workspace.getConfiguration('plasticity').get<string>(`datasetUrls.${spec.id}`) || spec.defaultBaseUrl;
  const targetDir = datasetDir(dataDirectory, spec);
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Downloading ${spec.title}`, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      await downloadDataset({
        spec,
        baseUrl,
        targetDir,
        signal: controller.signal,
        onProgress: ({ file, received, total }) => {
          const fraction = total ? received / total : 0;
          const increment = 100 * fraction - reported;
          if (increment >= 1 || fraction === 1) {
            reported += increment;
            progress.report({ increment, message: `${file} · ${(received / 1e6).toFixed(1)}${total ? ` of ${(total / 1e6).toFixed(1)}` : ''} MB` });
          }
        },
      });
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') void vscode.window.showInformationMessage(`Download of ${spec.title} cancelled. Run it again to resume where it stopped.`);
    else void vscode.window.showErrorMessage(`Download of ${spec.title} failed: ${(error as Error).message}`);
    return undefined;
  }
  const dataset = downloadedDatasets(dataDirectory).find((d) => d.id === spec.id)!;
  void vscode.window.showInformationMessage(`${spec.title} is ready in ${targetDir}.`, 'New Experiment with It').then(async (choice) => {
    if (choice) await createExperimentFor(dataset);
  });
  return dataset;
}

async function createExperimentFor(dataset: DownloadedDataset): Promise<void> {
  const root = workspaceRoot();
  if (!root) return;
  const preset = listPresets().find((p) => p.id === 'online-learning')!;
  const document = presetDocument(preset);
  document.name = `online learning on ${dataset.id}`;
  document.data = dataset.data;
  const file = join(root, `${dataset.id}${PRESET_SUFFIX}`);
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  await vscode.window.showTextDocument(vscode.Uri.file(file));
}
