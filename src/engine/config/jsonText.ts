/** Experiment documents as text: JSON parsed with errors that give the line and column. */
import { readFileSync } from 'node:fs';
import { ConfigError } from './issues';

/** Parses `text` (a file's contents or an editor's buffer); `source` names it in errors. */
export function parseJsonText(text: string, source: string): unknown {
  // Editors on Windows may save a byte-order mark; JSON.parse would reject it.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? ` at ${lineAndColumn(text, Number(position[1]))}` : '';
    throw new ConfigError([{ path: '', message: `not valid JSON${where} (${message})` }], source);
  }
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path: '', message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})` }], file);
  }
  return parseJsonText(text, file);
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}
