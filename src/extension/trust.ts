/** Experiment files from an untrusted folder do not run until the user trusts the workspace. */
import * as vscode from 'vscode';

export async function ensureTrusted(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    `${what} comes from a folder you have not trusted. Plasticity Lab runs experiment files only in trusted workspaces.`,
    'Manage Workspace Trust',
  );
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
