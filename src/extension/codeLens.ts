/** "Run ▶ | Open dashboard" above every experiment file. */
import * as vscode from 'vscode';

export class ExperimentCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Run', command: 'plasticity.runExperiment', arguments: [document.uri], tooltip: 'Run this experiment (every member of its sweep)' }),
      new vscode.CodeLens(top, { title: 'Open dashboard', command: 'plasticity.openDashboard' }),
    ];
  }
}
