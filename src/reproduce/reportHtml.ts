/**
 * report.html: the reproduction as one self-contained page. Charts are inline SVG drawn here (a
 * dot per seed, the mean with ±1 sd), styles inline, no script and nothing fetched: it opens in any
 * browser, offline, and its CSP says so.
 */
import { METRICS, type ClaimResult } from './evaluate';
import { accuracyCell, recoveredCell, shown, type Report } from './report';
import type { Verdict } from './verdict';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const VERDICT_CLASS: Record<Verdict, string> = { supported: 'supported', 'not supported': 'not-supported', contradicted: 'contradicted', inconclusive: 'inconclusive' };

const WIDTH = 360;
const HEIGHT = 170;
const PAD = { left: 54, right: 12, top: 12, bottom: 34 };

/** A claim's two sides: each seed's value as a dot, the mean as a bar with ±1 sd whiskers. */
function chart(claim: ClaimResult): string {
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

function claimSection(claim: ClaimResult): string {
  const effect = `${shown(claim.metric, claim.effect)} (standard error ${shown(claim.metric, claim.standardError)}, margin ${shown(claim.metric, claim.margin)}; ${claim.direction} is better)`;
  const divergences = claim.baselineDivergences + claim.treatmentDivergences;
  return `<section class="claim" id="claim-${escape(claim.id)}">
<h2>${escape(claim.title)} <span class="verdict ${VERDICT_CLASS[claim.verdict]}">${escape(claim.verdict)}</span></h2>
<p class="statement">${escape(claim.statement)}</p>
<figure>${chart(claim)}<figcaption>${escape(METRICS[claim.metric].label)}${claim.baselineArms.length > 1 ? ' (per seed, the first arm minus the second)' : ''}: a dot per seed (hollow: diverged, at the value it counts as), the bar at the mean, the whisker ±1 sd.</figcaption></figure>
<p>Effect in the claimed direction: ${escape(effect)}.${divergences ? ` ${divergences} run${divergences === 1 ? '' : 's'} diverged (counted as the failure value).` : ''}</p>
</section>`;
}

function trickSection(report: Report): string {
  if (report.tricks.length === 0) return '';
  const rows = report.tricks
    .map((t) => `<tr><td>${escape(t.trick)}</td><td>${escape(t.setting)}</td><td>${escape(accuracyCell(t.columns.without))}</td><td>${escape(accuracyCell(t.columns.with))}</td><td>${escape(accuracyCell(t.columns.oja))}</td><td><strong>${escape(recoveredCell(t))}</strong></td></tr>`)
    .join('\n');
  return `<section id="tricks">
<h2>Does Oja's rule replace the trick?</h2>
<table><thead><tr><th>trick</th><th>where it matters</th><th>backprop without</th><th>backprop with</th><th>backprop + Oja without</th><th>Oja's share</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p class="meta">Final test accuracy, mean ± sd over the seeds. ${escape(report.recoveryRule)}</p>
</section>`;
}

export function reportHtml(report: Report): string {
  const rows = report.claims
    .map((c) => `<tr><td><a href="#claim-${escape(c.id)}">${escape(c.title)}</a></td><td><span class="verdict ${VERDICT_CLASS[c.verdict]}">${escape(c.verdict)}</span></td><td>${escape(`${c.sides[0]}: ${shown(c.metric, c.baseline.mean)}`)}</td><td>${escape(`${c.sides[1]}: ${shown(c.metric, c.treatment.mean)}`)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reproduction of arXiv 2408.08408</title>
<style>
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --grid: #d1d9e0; --a: #0969da; --b: #bc4c00;
  --ok: #1a7f37; --no: #cf222e; --none: #6e7781; --maybe: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --grid: #30363d; --a: #4493f8; --b: #db6d28;
  --ok: #3fb950; --no: #f85149; --none: #9198a1; --maybe: #d29922; } }
body { font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--grid); }
.verdict { font-size: .8rem; font-weight: 600; padding: .1rem .5rem; border-radius: 1rem; color: var(--bg); white-space: nowrap; }
.supported { background: var(--ok); } .contradicted { background: var(--no); } .not-supported { background: var(--none); } .inconclusive { background: var(--maybe); }
.statement, figcaption, .meta { color: var(--muted); } figure { margin: .5rem 0; } svg { width: 100%; max-width: 30rem; height: auto; }
.grid { stroke: var(--grid); } .tick, .label { fill: var(--muted); font-size: 11px; }
.bar.baseline { fill: var(--a); opacity: .25; } .bar.treatment { fill: var(--b); opacity: .25; }
.seed.baseline { fill: var(--a); } .seed.treatment { fill: var(--b); } .whisker { stroke: var(--fg); stroke-width: 1.5; }
.seed.diverged { fill: none; stroke: var(--no); stroke-width: 1.5; }
</style>
</head>
<body>
<h1>Reproduction of arXiv 2408.08408</h1>
<p class="meta">Mode ${escape(report.mode)}, on ${escape(report.data)}, seeds ${escape(report.seeds.join(', '))}${report.steps ? `, each run capped at ${report.steps} steps (a smoke test, not a result)` : ''}; started ${escape(report.startedAt)}, took ${report.wallSec.toFixed(0)} s.</p>
<table><thead><tr><th>claim</th><th>verdict</th><th>baseline (mean)</th><th>compared with</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p><strong>How verdicts are decided.</strong> ${escape(report.rule)}</p>
${report.claims.map(claimSection).join('\n')}
${trickSection(report)}
</body>
</html>
`;
}
