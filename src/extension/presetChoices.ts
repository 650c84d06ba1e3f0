/** The presets as form drafts (one run each: the sweep is the file's business). */
import { listPresets } from '../engine/presets';
import type { PresetChoice } from '../protocol/hostForm';

export function presetChoices(): PresetChoice[] {
  return listPresets().map((p) => {
    const draft = JSON.parse(p.text) as Record<string, unknown>;
    delete draft.sweep;
    delete draft.$schema;
    return { id: p.id, name: p.config.name, description: p.config.description ?? '', draft };
  });
}
