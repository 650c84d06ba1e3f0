/** The toolbar: log scale, smoothing, the mean over seeds (or another field) with its band, the layer. */
import { element } from '../shared/dom';
import { differingFields } from '../../src/shared/configDiff';
import type { DashboardView, RenderContext, ViewActions } from './view';
import type { ViewOptions } from './state';

export class Toolbar implements DashboardView {
  readonly elements: HTMLElement[];
  private readonly groupSelect = element('select', { id: 'group-over', 'aria-label': 'Field the mean is taken over' });
  private readonly spreadSelect = element('select', { id: 'spread', 'aria-label': 'Band around the mean' });
  private readonly layerSelect = element('select', { id: 'layer', 'aria-label': 'Layer for the diagnostics' });

  constructor(
    private readonly options: ViewOptions,
    actions: ViewActions,
  ) {
    const changed = (apply: () => void) => () => {
      apply();
      actions.renderSoon();
    };
    const toolbar = element('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Chart options' });
    const logLabel = element('label');
    const logBox = element('input', { type: 'checkbox', id: 'log-scale' });
    logBox.checked = options.logScale;
    logBox.addEventListener('change', changed(() => (options.logScale = logBox.checked)));
    logLabel.append(logBox, ' Log-scale losses');

    const smoothLabel = element('label', {}, 'Smoothing ');
    const smoothRange = element('input', { type: 'range', id: 'smoothing', min: '0', max: '0.95', step: '0.05', 'aria-label': 'Train loss smoothing' });
    smoothRange.value = String(options.smoothing);
    smoothRange.addEventListener('input', changed(() => (options.smoothing = Number(smoothRange.value))));
    smoothLabel.append(smoothRange);

    const seedsLabel = element('label');
    const seedsBox = element('input', { type: 'checkbox', id: 'over-seeds' });
    seedsBox.checked = options.overSeeds ?? false;
    seedsBox.addEventListener('change', changed(() => (options.overSeeds = seedsBox.checked)));
    seedsLabel.append(seedsBox, ' Mean over');
    this.groupSelect.addEventListener('change', changed(() => (options.groupOver = this.groupSelect.value)));
    this.spreadSelect.append(element('option', { value: 'sd' }, 'band ± sd'), element('option', { value: 'minmax' }, 'band min–max'));
    this.spreadSelect.value = options.spread ?? 'sd';
    this.spreadSelect.addEventListener('change', changed(() => (options.spread = this.spreadSelect.value === 'minmax' ? 'minmax' : 'sd')));
    const groupLabel = element('span', { class: 'group-controls' });
    groupLabel.append(seedsLabel, ' ', this.groupSelect, ' ', this.spreadSelect);

    const layerLabel = element('label', {}, 'Layer ');
    this.layerSelect.addEventListener('change', changed(() => (options.layer = Number(this.layerSelect.value))));
    layerLabel.append(this.layerSelect);
    toolbar.append(logLabel, smoothLabel, groupLabel, layerLabel);
    this.elements = [toolbar];
  }

  render({ model }: RenderContext): void {
    this.renderGroupSelect(model.ordered().map((r) => r.fields), model.groupOver());
    this.renderLayerSelect(model.layerCount());
  }

  private renderGroupSelect(fields: Array<Record<string, string>>, current: string): void {
    const choices = ['seed', ...differingFields(fields).filter((f) => f !== 'seed')];
    if ([...this.groupSelect.options].map((o) => o.value).join('|') !== choices.join('|')) {
      this.groupSelect.replaceChildren(...choices.map((field) => element('option', { value: field }, field === 'seed' ? 'seeds' : field)));
    }
    if (!choices.includes(current)) this.options.groupOver = 'seed';
    this.groupSelect.value = this.options.groupOver ?? 'seed';
    this.groupSelect.disabled = this.spreadSelect.disabled = !this.options.overSeeds;
  }

  private renderLayerSelect(layers: number): void {
    if (this.layerSelect.options.length === layers) return;
    this.layerSelect.replaceChildren(...Array.from({ length: layers }, (_, l) => element('option', { value: String(l) }, `${l + 1}${l === layers - 1 ? ' (output)' : ''}`)));
    this.options.layer = Math.min(this.options.layer, Math.max(0, layers - 1));
    this.layerSelect.value = String(this.options.layer);
  }
}
