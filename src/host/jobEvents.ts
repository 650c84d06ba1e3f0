/**
 * What a pool tells its run manager about a job. The payloads are the worker's own messages
 * (declared once, in the protocol); a pool adds only what it alone knows (which process, how long
 * the job waited) and its own events (queued, cancelled, ended by a dead or killed worker).
 */
import type { JobMessage, WorkerToHost } from '../protocol/hostWorker';

type Payload<T extends WorkerToHost['type']> = Omit<Extract<WorkerToHost, { type: T }>, 'type'>;

export type JobEvent =
  | { type: 'queued'; jobId: string; position: number }
  | ({ type: 'started' } & Payload<'worker/started'> & { workerPid: number; warm: boolean; startLatencyMs: number })
  | ({ type: 'point' } & Payload<'worker/point'> & { latencyMs: number })
  | ({ type: 'progress' } & Payload<'worker/progress'>)
  | ({ type: 'finished' } & Payload<'worker/finished'>)
  | ({ type: 'rejected' } & Payload<'worker/rejected'>)
  /** The run failed in the worker, or the worker died or was killed; `runDir` once a run folder exists. */
  | { type: 'ended'; jobId: string; status: 'failed' | 'stopped'; reason: string; runDir?: string }
  | { type: 'cancelled'; jobId: string };

/** The pool side of a job in progress, as both pools keep it. */
export interface JobInFlight {
  jobId: string;
  /** performance.now() when the job was handed to its worker. */
  sentAt: number;
  runDir?: string;
}

/** A worker's message about `job` as the event the pool emits; notes the run folder on the job. */
export function jobEventOf(message: JobMessage, job: JobInFlight, worker: { pid: number; warm: boolean }): JobEvent {
  const since = performance.now() - job.sentAt;
  switch (message.type) {
    case 'worker/started': {
      job.runDir = message.runDir;
      const { type: _, ...payload } = message;
      return { type: 'started', ...payload, workerPid: worker.pid, warm: worker.warm, startLatencyMs: since };
    }
    case 'worker/point':
      return { type: 'point', jobId: message.jobId, point: message.point, sentAt: message.sentAt, latencyMs: since };
    case 'worker/progress':
      return { type: 'progress', jobId: message.jobId, step: message.step, totalSteps: message.totalSteps };
    case 'worker/finished':
      return { type: 'finished', jobId: message.jobId, summary: message.summary };
    case 'worker/rejected':
      return { type: 'rejected', jobId: message.jobId, issues: message.issues };
    case 'worker/failed':
      return { type: 'ended', jobId: message.jobId, status: 'failed', reason: message.message, ...(job.runDir ? { runDir: job.runDir } : {}) };
  }
}

/** Whether the message ends the job (the worker is free for the next). */
export function endsJob(message: JobMessage): boolean {
  return message.type === 'worker/finished' || message.type === 'worker/rejected' || message.type === 'worker/failed';
}
