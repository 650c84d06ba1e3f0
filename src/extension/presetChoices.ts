/**
 * The presets as form drafts: one run each. The sweep is the file's business, and so is its
 * description, which speaks of the comparison ("3 seeds each"); the form shows it beside the
 * preset choice, and a file saved from one form run does not carry it.
 */
import { listPresets, presetDocument } from '../engine/presets';
import type { PresetChoice } from '../protocol/hostForm';

export function presetChoices(): PresetChoice[] {
  return listPresets().map((p) => {
    const draft = presetDocument(p);
    delete draft.sweep;
    delete draft.description;
    return { id: p.id, name: p.config.name, description: p.config.description ?? '', draft };
  });
}
