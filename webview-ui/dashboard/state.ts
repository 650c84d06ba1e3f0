/**
 * The dashboard's model: the runs the host sent, in the host's order, and the user's view options.
 * Pure (no DOM): every host message is applied here, and tested in Node.
 */
import type { DashboardRun, HostToDashboard } from '../../src/protocol/hostDashboard';
import { differingFields, legendName } from '../../src/shared/configDiff';

export interface ViewOptions {
  logScale: boolean;
  smoothing: number;
  layer: number;
  /** One mean line and a band per group of runs that differ only in `groupOver` (the seed by default). */
  overSeeds?: boolean;
  groupOver?: string;
  /** The band: ±1 standard deviation, or the members' minimum to maximum. */
  spread?: 'sd' | 'minmax';
}

export const DEFAULT_OPTIONS: ViewOptions = { logScale: false, smoothing: 0, layer: 0 };

export class DashboardModel {
  private readonly runs = new Map<string, DashboardRun>();
  maxPoints = 2000;

  constructor(readonly options: ViewOptions = { ...DEFAULT_OPTIONS }) {}

  /** Applies a message from the host; false for anything that is not one (nothing changes then). */
  apply(message: HostToDashboard | undefined): boolean {
    switch (message?.type) {
      case 'host/snapshot':
        this.maxPoints = message.maxPoints;
        this.runs.clear();
        for (const run of message.runs) this.runs.set(run.key, run);
        return true;
      case 'host/runUpdated': {
        const existing = this.runs.get(message.run.key);
        this.runs.set(message.run.key, { ...message.run, points: existing?.points ?? [] });
        return true;
      }
      case 'host/points':
        this.runs.get(message.key)?.points.push(...message.points);
        return true;
      case 'host/rekey': {
        // Same place in the order, so the run keeps its colour.
        const entries = [...this.runs.entries()].map(([key, run]): [string, DashboardRun] => (key === message.from ? [message.to, { ...run, key: message.to }] : [key, run]));
        this.runs.clear();
        for (const [key, run] of entries) this.runs.set(key, run);
        return true;
      }
      default:
        return false;
    }
  }

  /** The runs in the host's order (which decides each run's colour). */
  ordered(): DashboardRun[] {
    return [...this.runs.values()];
  }

  has(key: string): boolean {
    return this.runs.has(key);
  }

  /** Each run's legend name: the values of the fields that differ between the shown runs. */
  legendNames(): Map<string, string> {
    const list = this.ordered();
    const differing = differingFields(list.map((r) => r.fields));
    return new Map(list.map((r) => [r.key, legendName(r.fields, differing, r.label || r.name)]));
  }

  /** The field runs are averaged over: the seed, or another field that differs between the runs. */
  groupOver(): string {
    return this.options.groupOver ?? 'seed';
  }

  /** Diagnostics are drawn per layer: as many layers as the deepest run has. */
  layerCount(): number {
    return Math.max(0, ...this.ordered().flatMap((r) => r.points.map((p) => p.layers.length)));
  }
}
