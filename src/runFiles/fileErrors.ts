/**
 * File-system problems as one line naming the path and the cause (the command line prints them, a
 * failed run's reason carries them), and the wrong-argument error the command line exits 2 for.
 */
import { existsSync, mkdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The user asked for something that cannot be done as asked (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

const CAUSES: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a file stands where a folder is needed',
  EEXIST: 'exists already',
  EISDIR: 'is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  ENAMETOOLONG: 'name too long',
  EMFILE: 'too many open files',
};
/** A full or failing device is not the user's argument: the run failed (exit 1). */
const NOT_THE_ARGUMENT = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EMFILE']);

/**
 * "<path>: <cause> (<code>)" and its exit code, for a Node file-system error; null for anything
 * else. `near` names the place when the error does not (writes to an open file carry no path).
 */
export function describeFileError(error: unknown, near?: string): { line: string; exitCode: number } | null {
  const e = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || typeof e.code !== 'string' || !CAUSES[e.code]) return null;
  const where = e.path ?? (e as { dest?: string }).dest ?? near;
  return { line: `${where ? `${where}: ` : ''}${CAUSES[e.code]} (${e.code})`, exitCode: NOT_THE_ARGUMENT.has(e.code) ? 1 : 2 };
}

/**
 * Node's recursive mkdir reports a read-only file system (and some permission problems) as
 * ENOENT; creating the first missing folder on its own gives the real cause.
 */
function realCause(dir: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return error;
  let missing = dir;
  while (!existsSync(dirname(missing)) && dirname(missing) !== missing) missing = dirname(missing);
  try {
    mkdirSync(missing);
    rmdirSync(missing);
    return error;
  } catch (cause) {
    return cause;
  }
}

/** Makes sure `dir` is a folder (creating it); `option` names the flag in the error. */
/** Runs a write to `file`, putting the path on any error (a failed write to an open file names none). */
export function namingFile<T>(file: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    (error as NodeJS.ErrnoException).path ??= file;
    throw error;
  }
}

/** writeFileSync whose errors name the file. */
export function writeFileNamed(file: string, text: string): void {
  namingFile(file, () => writeFileSync(file, text));
}

/** A disk that is full: nothing more can be added, but a file's own space can be rewritten. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export function ensureFolder(dir: string, option: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${option} ${dir}: is a file, not a folder`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const described = describeFileError(realCause(dir, error));
    throw new UsageError(`${option} ${dir}: ${described ? described.line.replace(/^.*?: /, '') : (error as Error).message}`);
  }
}
