/** A status-bar item with progress while runs are active; hidden otherwise. */
import * as vscode from 'vscode';
import type { RunManager } from '../host/runManager';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('plasticity.runs', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: { dispose(): void };
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly manager: RunManager) {
    this.item.name = 'Plasticity Lab runs';
    this.item.command = 'plasticity.openDashboard';
    this.subscription = manager.onDidChange(() => this.updateSoon());
  }

  private updateSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 250);
  }

  update(): void {
    const active = this.manager.active();
    if (active.length === 0) {
      this.item.hide();
      return;
    }
    const running = active.filter((r) => r.state === 'running');
    const queued = active.length - running.length;
    const total = running.reduce((s, r) => s + r.totalSteps, 0);
    const done = running.reduce((s, r) => s + r.step, 0);
    const percent = total > 0 ? ` ${Math.floor((100 * done) / total)}%` : '';
    this.item.text = `$(pulse) Plasticity: ${running.length} running${queued ? `, ${queued} queued` : ''}${percent}`;
    this.item.tooltip = 'Open the Plasticity Lab dashboard';
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.item.dispose();
  }
}
