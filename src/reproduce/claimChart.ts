/**
 * A claim's chart as inline SVG, styled by class (the HTML report's stylesheet, or the editor's
 * theme in the Paper report tab): a dot per seed, the mean as a bar with ±1 sd whiskers. No DOM and
 * no Node: the report writer and the webview both draw with it.
 */
import { METRICS, type ClaimResult } from './results';
import { shown } from './format';
import type { Verdict } from './verdict';

export const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const VERDICT_CLASS: Record<Verdict, string> = { supported: 'supported', 'not supported': 'not-supported', contradicted: 'contradicted', inconclusive: 'inconclusive' };

const WIDTH = 360;
const HEIGHT = 170;
const PAD = { left: 54, right: 12, top: 12, bottom: 34 };

/** A claim's two sides: each seed's value as a dot, the mean as a bar with ±1 sd whiskers. */
export function claimChart(claim: ClaimResult): string {
  // A diverged run of an arm has no value; it is drawn hollow at the value it counts as.
  // (On a difference side, divergences are already inside the differences.)
  const single = claim.baselineArms.length === 1;
  const sides = [
    { name: claim.sides[0], values: claim.baselineValues, diverged: single ? claim.baselineDivergences : 0, mean: claim.baseline.mean, sd: claim.baseline.sd },
    { name: claim.sides[1], values: claim.treatmentValues, diverged: single ? claim.treatmentDivergences : 0, mean: claim.treatment.mean, sd: claim.treatment.sd },
  ];
  const all = sides.flatMap((s) => [...s.values, s.mean - s.sd, s.mean + s.sd]).filter(Number.isFinite);
  const percent = METRICS[claim.metric].percent && claim.baselineArms.length === 1;
  let [low, high] = percent ? [0, 1] : [Math.min(0, ...all), Math.max(...all)];
  if (!(high > low)) [low, high] = [low - 1, low + 1];
  const y = (v: number) => PAD.top + (HEIGHT - PAD.top - PAD.bottom) * (1 - (v - low) / (high - low));
  const clampY = (v: number) => Math.min(HEIGHT - PAD.bottom, Math.max(PAD.top, y(v)));
  const column = (WIDTH - PAD.left - PAD.right) / 2;
  const zero = Math.min(high, Math.max(low, 0));
  // Zero gets its line whenever the axis crosses it: the sign of a difference is the point.
  const ticks = low < 0 && high > 0 ? [low, 0, high] : [low, (low + high) / 2, high];
  const parts = [
    `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escape(`${claim.title}: ${sides.map((s) => `${s.name} ${shown(claim.metric, s.mean)}`).join(', ')}`)}">`,
    ...ticks.map((t) => `<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/><text class="tick" x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${escape(shown(claim.metric, t))}</text>`),
  ];
  sides.forEach((side, k) => {
    const centre = PAD.left + column * (k + 0.5);
    const kind = k === 0 ? 'baseline' : 'treatment';
    parts.push(
      // The bar runs from zero (or the axis's end nearest it) to the mean, up or down.
      `<rect class="bar ${kind}" x="${(centre - column * 0.25).toFixed(1)}" width="${(column * 0.5).toFixed(1)}" y="${Math.min(clampY(side.mean), clampY(zero)).toFixed(1)}" height="${Math.abs(clampY(zero) - clampY(side.mean)).toFixed(1)}"/>`,
      `<line class="whisker" x1="${centre}" x2="${centre}" y1="${clampY(side.mean - side.sd).toFixed(1)}" y2="${clampY(side.mean + side.sd).toFixed(1)}"/>`,
      ...[...side.values.map((v) => ({ v, diverged: false })), ...Array.from({ length: side.diverged }, () => ({ v: claim.divergedValue, diverged: true }))].map(
        ({ v, diverged }, i, dots) =>
          `<circle class="seed ${kind}${diverged ? ' diverged' : ''}" cx="${(centre - 12 + (24 * (i + 0.5)) / dots.length).toFixed(1)}" cy="${clampY(v).toFixed(1)}" r="3.2"><title>${diverged ? 'diverged' : escape(shown(claim.metric, v))}</title></circle>`,
      ),
      `<text class="label" x="${centre}" y="${HEIGHT - 12}" text-anchor="middle">${escape(side.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
