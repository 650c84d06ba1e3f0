/**
 * report.html: the reproduction as one self-contained page. Charts are inline SVG drawn here (a
 * dot per seed, the mean with ±1 sd), styles inline, no script and nothing fetched: it opens in any
 * browser, offline, and its CSP says so.
 */
import { METRICS, type ClaimResult } from './evaluate';
import type { Report } from './report';
import { accuracyCell, recoveredCell, shown, valuesNote } from './format';
import { claimChart, escape, VERDICT_CLASS } from './claimChart';

function claimSection(claim: ClaimResult): string {
  const effect = `${shown(claim.metric, claim.effect)} (standard error ${shown(claim.metric, claim.standardError)}, margin ${shown(claim.metric, claim.margin)}; ${claim.direction} is better)`;
  const divergences = claim.baselineDivergences + claim.treatmentDivergences;
  return `<section class="claim" id="claim-${escape(claim.id)}">
<h2>${escape(claim.title)} <span class="verdict ${VERDICT_CLASS[claim.verdict]}">${escape(claim.verdict)}</span></h2>
<p class="statement">${escape(claim.statement)}</p>
<figure>${claimChart(claim)}<figcaption>${escape(METRICS[claim.metric].label + valuesNote(claim))}: a dot per seed (hollow: diverged, at the value it counts as), the bar at the mean, the whisker ±1 sd.</figcaption></figure>
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
<p class="meta">Mode ${escape(report.mode)}, on ${escape(report.data)}, seeds ${escape(report.seeds.join(', '))}${report.steps ? `, each run capped at ${report.steps} steps (a smoke test, not a result)` : ''}${report.interrupted ? '; <strong>stopped before every run finished: each verdict uses the runs that did</strong>' : ''}; started ${escape(report.startedAt)}, took ${report.wallSec.toFixed(0)} s.</p>
<table><thead><tr><th>claim</th><th>verdict</th><th>baseline (mean)</th><th>compared with</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p><strong>How verdicts are decided.</strong> ${escape(report.rule)}</p>
${trickSection(report)}
${report.claims.map(claimSection).join('\n')}
</body>
</html>
`;
}
