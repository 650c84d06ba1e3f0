/**
 * The experiment form: every field of a run a user tweaks, inline errors in the engine's words (the
 * host validates each draft), Run / Rerun / Stop and "Save as experiment file". The draft survives
 * hiding and reloading through the webview's state.
 */
import type { ConfigIssue } from '../../src/engine/config/issues';
import type { DatasetChoice, FormToHost, HostToForm, PresetChoice } from '../../src/protocol/hostForm';
import { vscodeApi } from '../shared/vscodeApi';
import { element } from '../shared/dom';
import { ALL_FIELDS, FIELDS, draftFromValues, perLayerKey, placeIssue, setPerLayer, setSwept, sweepKey, valuesFromDraft, weightLayerCount, type FieldSpec } from './fields';

interface SavedState {
  values: Record<string, string>;
  preset: string;
  /** The preset's document: fields the form does not show come from here. */
  base: Record<string, unknown>;
}

const OJA_SLIDER_MAX = 0.01;

const api = vscodeApi<SavedState>();
let presets: PresetChoice[] = [];
let datasets: DatasetChoice[] = [];
let values: Record<string, string> = api.getState()?.values ?? {};
let presetId = api.getState()?.preset ?? '';
let base: Record<string, unknown> = api.getState()?.base ?? {};
let requestId = 0;
let activeRuns = 0;

function post(message: FormToHost): void {
  api.postMessage(message);
}

const fieldId = (path: string) => `field-${path.replace(/\./g, '-')}`;

// ---- layout -----------------------------------------------------------------------------------
const app = document.getElementById('app')!;
const form = element('form', { novalidate: '', 'aria-label': 'Experiment' });
const presetSelect = element('select', { id: 'preset', 'aria-label': 'Preset' });
const presetHelp = element('p', { class: 'hint', id: 'preset-help' });
const general = element('div', { class: 'issues', role: 'alert', id: 'general-issues' });
form.append(element('label', { for: 'preset' }, 'Preset'), presetSelect, presetHelp, general);

/** A field's input, which keeps `values` up to date as the user edits it. */
function inputFor(field: FieldSpec, id: string): HTMLInputElement | HTMLSelectElement {
  let input: HTMLInputElement | HTMLSelectElement;
  if (field.kind === 'select') {
    input = element('select', { id });
    for (const choice of field.choices!) input.append(element('option', { value: choice }, choice));
  } else if (field.kind === 'checkbox') {
    input = element('input', { id, type: 'checkbox' });
  } else {
    input = element('input', { id, type: 'text', inputmode: field.kind === 'number' || field.kind === 'term' ? 'decimal' : 'text', spellcheck: 'false' });
  }
  input.setAttribute('aria-describedby', `${id}-error ${id}-hint`);
  input.addEventListener(field.kind === 'select' || field.kind === 'checkbox' ? 'change' : 'input', () => {
    values[field.path] = input instanceof HTMLInputElement && input.type === 'checkbox' ? String(input.checked) : input.value;
    if (field.path === 'rule.oja') syncOjaSlider();
    changed();
  });
  return input;
}

const hintAndError = (id: string, hint = '') => [element('span', { class: 'hint', id: `${id}-hint` }, hint), element('span', { class: 'error', id: `${id}-error`, role: 'status' })];

/** The local terms as a table: a row per term with its coefficient, per-layer toggle, formula and error. */
function termTable(fields: FieldSpec[]): HTMLTableElement {
  const table = element('table', { class: 'terms', 'aria-label': 'Local terms added to the update' });
  const head = element('tr');
  for (const title of ['Term (adds to ΔW_l)', 'Coefficient c', 'Per layer']) head.append(element('th', { scope: 'col' }, title));
  table.append(element('caption', {}, 'Each term adds c times its update; empty is 0. Per layer: one value per weight layer, comma-separated.'), head);
  for (const field of fields) {
    const id = fieldId(field.path);
    const row = element('tr', { class: 'row', 'data-path': field.path });
    const input = inputFor(field, id);
    input.setAttribute('aria-label', `${field.label} coefficient`);
    const perLayer = element('input', { type: 'checkbox', id: `${id}-per-layer`, 'aria-label': `${field.label}: one coefficient per weight layer` });
    perLayer.addEventListener('change', () => {
      values = setPerLayer(values, field.path, perLayer.checked);
      changed();
    });
    const name = element('th', { scope: 'row' });
    name.append(element('label', { for: id }, field.label), element('span', { class: 'formula' }, field.hint ?? ''));
    const coefficient = element('td');
    coefficient.append(input, ...hintAndError(id));
    const toggle = element('td');
    toggle.append(perLayer);
    row.append(name, coefficient, toggle);
    table.append(row);
  }
  return table;
}

for (const group of FIELDS) {
  const fieldset = element('fieldset');
  fieldset.append(element('legend', {}, group.legend));
  if (group.table) {
    fieldset.append(termTable(group.fields));
    form.append(fieldset);
    continue;
  }
  for (const field of group.fields) {
    const id = fieldId(field.path);
    const row = element('div', { class: 'row', 'data-path': field.path });
    const input = inputFor(field, id);
    row.append(element('label', { for: id }, field.label), input);
    if (field.path === 'rule.oja') {
      const slider = element('input', { type: 'range', id: 'oja-slider', min: '0', max: String(OJA_SLIDER_MAX), step: '0.0001', 'aria-label': 'Oja coefficient slider' });
      slider.addEventListener('input', () => {
        values['rule.oja'] = slider.value;
        (document.getElementById(fieldId('rule.oja')) as HTMLInputElement).value = slider.value;
        changed();
      });
      row.append(slider);
    }
    if (field.sweepable) {
      const tick = element('input', { type: 'checkbox', id: `${id}-sweep`, class: 'sweep-tick', 'aria-label': `Sweep ${field.label}: run one member per listed value` });
      tick.addEventListener('change', () => {
        values = setSwept(values, field.path, tick.checked);
        changed();
      });
      const tickLabel = element('label', { class: 'sweep-label', title: 'Run one member per value, e.g. 0, 0.001, 0.003' });
      tickLabel.append(tick, ' sweep');
      row.append(tickLabel);
    }
    row.append(...hintAndError(id, field.hint));
    fieldset.append(row);
  }
  form.append(fieldset);
}

// Downloaded IDX sets (Plasticity: Download Dataset…) fill in the data fields in one choice.
const datasetRow = element('div', { class: 'row', id: 'dataset-row' });
const datasetSelect = element('select', { id: 'downloaded-dataset' });
datasetRow.append(element('label', { for: 'downloaded-dataset' }, 'Downloaded dataset'), datasetSelect);
datasetRow.hidden = true;
form.querySelector('fieldset')!.append(datasetRow);
datasetSelect.addEventListener('change', () => {
  const chosen = datasets.find((d) => d.id === datasetSelect.value);
  if (!chosen) return;
  for (const [key, value] of Object.entries(chosen.data)) values[`data.${key}`] = value;
  changed();
});

const buttons = element('div', { class: 'buttons' });
const runButton = element('button', { type: 'submit', id: 'run' }, 'Run');
const rerunButton = element('button', { type: 'button', id: 'rerun', title: 'Stop the runs started here and run the edited experiment' }, 'Rerun');
const stopButton = element('button', { type: 'button', id: 'stop', class: 'secondary' }, 'Stop');
const saveButton = element('button', { type: 'button', id: 'save', class: 'secondary' }, 'Save as experiment file…');
buttons.append(runButton, rerunButton, stopButton, saveButton);
form.append(buttons);
app.append(form);

function syncOjaSlider(): void {
  const slider = document.getElementById('oja-slider') as HTMLInputElement;
  const value = Number(values['rule.oja']);
  if (Number.isFinite(value)) slider.value = String(Math.min(OJA_SLIDER_MAX, Math.max(0, value)));
}

function renderValues(): void {
  for (const field of ALL_FIELDS) {
    const input = document.getElementById(fieldId(field.path)) as HTMLInputElement | HTMLSelectElement;
    const value = values[field.path] ?? '';
    if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = value !== 'false';
    // A choice the draft leaves out shows its default (listed first), never a blank; the draft stays as it is.
    else input.value = value || (field.kind === 'select' ? field.choices![0]! : '');
    const row = input.closest('.row') as HTMLElement;
    row.hidden = !!field.showIf && !field.showIf(values);
    if (field.kind === 'term') {
      const perLayer = values[perLayerKey(field.path)] === 'true';
      (document.getElementById(`${fieldId(field.path)}-per-layer`) as HTMLInputElement).checked = perLayer;
      document.getElementById(`${fieldId(field.path)}-hint`)!.textContent = perLayer ? `one per weight layer (${weightLayerCount(values) || '?'})` : '';
    }
    if (field.sweepable) {
      const swept = values[sweepKey(field.path)] === 'true';
      (document.getElementById(`${fieldId(field.path)}-sweep`) as HTMLInputElement).checked = swept;
      row.classList.toggle('swept', swept);
      document.getElementById(`${fieldId(field.path)}-hint`)!.textContent = swept ? 'values to sweep, comma-separated' : (field.hint ?? '');
    }
  }
  // A group whose every field is hidden (the episode fields of a run without episodes) hides too.
  for (const fieldset of form.querySelectorAll('fieldset')) fieldset.hidden = [...fieldset.querySelectorAll<HTMLElement>('.row')].every((row) => row.hidden);
  (document.getElementById('oja-slider') as HTMLInputElement).hidden = values[sweepKey('rule.oja')] === 'true';
  syncOjaSlider();
  presetSelect.value = presetId;
  presetHelp.textContent = presets.find((p) => p.id === presetId)?.description ?? '';
}

function renderIssues(issues: ConfigIssue[]): void {
  const unplaced: string[] = [];
  for (const field of ALL_FIELDS) document.getElementById(`${fieldId(field.path)}-error`)!.textContent = '';
  for (const field of ALL_FIELDS) document.getElementById(fieldId(field.path))!.removeAttribute('aria-invalid');
  for (const issue of issues) {
    const placed = placeIssue(issue);
    if (placed) {
      const { field } = placed;
      const slot = document.getElementById(`${fieldId(field.path)}-error`)!;
      slot.textContent = [slot.textContent, placed.text].filter(Boolean).join('; ');
      document.getElementById(fieldId(field.path))!.setAttribute('aria-invalid', 'true');
    } else unplaced.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  general.textContent = unplaced.join('\n');
  const invalid = issues.length > 0;
  runButton.disabled = invalid;
  rerunButton.disabled = invalid;
  saveButton.disabled = invalid;
}

function renderActive(): void {
  stopButton.disabled = activeRuns === 0;
  stopButton.textContent = activeRuns > 0 ? `Stop (${activeRuns})` : 'Stop';
}

let validateTimer: ReturnType<typeof setTimeout> | undefined;
function changed(): void {
  api.setState({ values, preset: presetId, base });
  renderValues();
  if (validateTimer) clearTimeout(validateTimer);
  validateTimer = setTimeout(() => post({ type: 'form/validate', requestId: ++requestId, draft: draftFromValues(values, base) }), 150);
}

presetSelect.addEventListener('change', () => {
  presetId = presetSelect.value;
  const preset = presets.find((p) => p.id === presetId);
  if (preset) {
    base = preset.draft;
    values = valuesFromDraft(preset.draft);
  }
  changed();
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  post({ type: 'form/run', draft: draftFromValues(values, base), replace: false });
});
rerunButton.addEventListener('click', () => post({ type: 'form/run', draft: draftFromValues(values, base), replace: true }));
stopButton.addEventListener('click', () => post({ type: 'form/stop' }));
saveButton.addEventListener('click', () => post({ type: 'form/save', draft: draftFromValues(values, base) }));

window.addEventListener('message', (event: MessageEvent<HostToForm>) => {
  const message = event.data;
  switch (message?.type) {
    case 'host/init':
      presets = message.presets;
      datasets = message.datasets;
      datasetRow.hidden = datasets.length === 0;
      datasetSelect.replaceChildren(element('option', { value: '' }, 'choose…'), ...datasets.map((d) => element('option', { value: d.id }, d.title)));
      presetSelect.replaceChildren(...presets.map((p) => element('option', { value: p.id }, p.name)));
      if (!presetId) {
        // A first start: the online-learning preset, under anything typed before it arrived.
        const first = presets.find((p) => p.id === 'online-learning') ?? presets[0];
        if (first) {
          presetId = first.id;
          base = first.draft;
          values = { ...valuesFromDraft(first.draft), ...values };
        }
      }
      activeRuns = message.activeRuns;
      renderActive();
      changed();
      return;
    case 'host/issues':
      if (message.requestId === requestId || message.requestId === -1) renderIssues(message.issues);
      return;
    case 'host/activeRuns':
      activeRuns = message.count;
      renderActive();
      return;
  }
});

post({ type: 'form/ready' });
