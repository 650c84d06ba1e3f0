/**
 * Which errors mean the user's input cannot run (exit code 2 on the command line, a "rejected" run
 * in the editor), as opposed to a run that failed. One decision, for the CLI and the workers alike.
 */
import { ConfigError, type ConfigIssue } from './config/issues';
import { IdxError } from './data/idx';

export function isBadInput(error: unknown): error is ConfigError | IdxError {
  return error instanceof ConfigError || error instanceof IdxError;
}

/** The issues a bad-input error names; null for any other error. */
export function badInputIssues(error: unknown): ConfigIssue[] | null {
  if (error instanceof ConfigError) return error.issues;
  if (error instanceof IdxError) return [{ path: 'data', message: error.message }];
  return null;
}
