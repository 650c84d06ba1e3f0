/** The preset experiments shipped in presets/*.plasticity.json. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './packageRoot';
import { parseExperiment } from './config/validate';
import type { ExperimentConfig } from './config/schema';

export const PRESET_SUFFIX = '.plasticity.json';

export interface Preset {
  /** File name without the suffix, e.g. "online-learning". */
  id: string;
  file: string;
  config: ExperimentConfig;
  /** The file's text as shipped (what `presets --write` copies). */
  text: string;
}

export function presetsDir(): string {
  return join(packageRoot(), 'presets');
}

export function listPresets(): Preset[] {
  const dir = presetsDir();
  return readdirSync(dir)
    .filter((name) => name.endsWith(PRESET_SUFFIX))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      const text = readFileSync(file, 'utf8');
      return { id: name.slice(0, -PRESET_SUFFIX.length), file, text, config: parseExperiment(JSON.parse(text), file) };
    });
}

/** A preset as a document to write elsewhere or edit: its `$schema` is a path relative to presets/, so it goes. */
export function presetDocument(preset: Preset): Record<string, unknown> {
  const document = JSON.parse(preset.text) as Record<string, unknown>;
  delete document.$schema;
  return document;
}
