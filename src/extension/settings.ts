/** The `plasticity.*` settings, resolved against the workspace. */
import * as vscode from 'vscode';
import { isAbsolute, join } from 'node:path';
import type { BackendPreference } from '../engine/backend';
import { editorWorkers } from '../host/workerCount';

export interface Settings {
  runsDirectory: string;
  maxWorkers: number;
  backend: BackendPreference;
  dataDirectory: string;
  chartMaxPoints: number;
}

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export function readSettings(storageDir: string): Settings {
  const config = vscode.workspace.getConfiguration('plasticity');
  const root = workspaceRoot() ?? storageDir;
  const resolve = (path: string) => (isAbsolute(path) ? path : join(root, path));
  return {
    runsDirectory: resolve(config.get<string>('runsDirectory', '.plasticity/runs')),
    maxWorkers: editorWorkers(config.get<number>('maxWorkers', 0)),
    backend: config.get<BackendPreference>('backend', 'auto'),
    dataDirectory: resolve(config.get<string>('dataDirectory', '.plasticity/data')),
    chartMaxPoints: Math.max(100, config.get<number>('chart.maxPoints', 2000)),
  };
}
