/** The presets as form drafts (one run each: the sweep is the file's business). */
import { listPresets, presetDocument } from '../engine/presets';
import type { PresetChoice } from '../protocol/hostForm';

export function presetChoices(): PresetChoice[] {
  return listPresets().map((p) => {
    const draft = presetDocument(p);
    delete draft.sweep;
    return { id: p.id, name: p.config.name, description: p.config.description ?? '', draft };
  });
}
