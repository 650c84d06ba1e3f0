/** The Paper report tab's host side without the editor: its protocol, its model, and "Open as experiment". */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHostReportMessage, parseReportMessage } from '../../src/protocol/hostReport';
import { claimExperiment } from '../../src/reproduce/claimExperiment';
import { claims } from '../../src/reproduce/claims';
import { evaluateClaim } from '../../src/reproduce/evaluate';
import { comparedPair, finishedModel, readReportFile, ReportFileError, runsOf } from '../../src/reproduce/reportView';
import { buildReport } from '../../src/reproduce/report';
import { evaluateTrick, tricks } from '../../src/reproduce/tricks';
import { validateExperiment } from '../../src/engine/config/validate';
import { armRun } from '../helpers/armRuns';

const run = (arm: string, seed: number, accuracy: number) => armRun(seed, accuracy, { runDir: `/runs/${arm}/${seed}` });

describe('report tab protocol', () => {
  it('accepts only well-formed messages from the webview', () => {
    assert.deepEqual(parseReportMessage({ type: 'report/ready' }), { type: 'report/ready' });
    assert.deepEqual(parseReportMessage({ type: 'report/action', action: 'openRuns', id: 'depth' }), { type: 'report/action', action: 'openRuns', id: 'depth' });
    for (const bad of [null, 'report/ready', { type: 'report/action', action: 'deleteEverything', id: 'depth' }, { type: 'report/action', action: 'openRuns', id: '' }, { type: 'report/action', action: 'openRuns', id: 'x'.repeat(300) }, { type: 'host/report' }]) {
      assert.equal(parseReportMessage(bad), null, JSON.stringify(bad));
    }
    assert.equal(parseHostReportMessage({ type: 'host/report', report: { folder: '/x', status: 'exploded', claims: [], tricks: [], seeds: [] } }), null);
  });
});

describe('report tab model', () => {
  const depth = claims('quick').find((c) => c.id === 'depth')!;
  const runs = new Map(['depth-2-oja', 'depth-2-bp', 'depth-14-oja', 'depth-14-bp'].map((arm, k) => [arm, [run(arm, 1, 0.5 + k / 10), run(arm, 2, 0.55 + k / 10)]]));
  const judged = evaluateClaim(depth, runs);
  const arms = [...runs].map(([id, armRuns]) => ({ arm: { id, title: id, config: {} }, runs: armRuns, problems: [] }));
  const report = buildReport({ mode: 'quick', data: 'digits', seeds: [1, 2], steps: null, startedAt: new Date(), claims: [judged], tricks: [], arms });

  it('a claim opens the runs of every arm it reads, and compares its deepest pair', () => {
    const model = finishedModel(report, '/reports/x');
    assert.deepEqual(runsOf(model, 'depth').sort(), [...runs.values()].flat().map((r) => r.runDir).sort());
    assert.ok(model.view.claims[0]!.hasRuns);
    assert.deepEqual(comparedPair(judged), ['depth-14-bp', 'depth-14-oja'], "Oja's gain at the deepest: backprop first");
    assert.deepEqual(runsOf(model, 'nothing'), []);
    const trick = evaluateTrick(tricks().find((t) => t.id === 'normalisation')!, new Map());
    assert.deepEqual(comparedPair(trick), ['depth-14-bp-tuned', 'depth-14-oja-tuned']);
  });

  it('reads a report.json back, and refuses a file that is not one, saying why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-file-'));
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    assert.equal(readReportFile(join(dir, 'report.json')).claims[0]!.verdict, judged.verdict);
    const cases: Array<[unknown, RegExp]> = [
      [{ format: 'plasticity-lab/weights@1' }, /format is "plasticity-lab\/weights@1"; expected "plasticity-lab\/reproduction@1"/],
      [{ ...report, claims: 'all of them' }, /claims, arms and seeds must be lists/],
      [{ ...report, claims: [{ ...judged, effect: 'huge' }] }, /claims\[0\] is not a judged claim/],
      [{ ...report, arms: [{ id: 'a', runs: [{ runDir: 5 }] }] }, /arms\[0\] is not an arm with run folders/],
    ];
    for (const [content, message] of cases) {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify(content));
      assert.throws(() => readReportFile(join(dir, 'bad.json')), (error: Error) => error instanceof ReportFileError && message.test(error.message));
    }
    writeFileSync(join(dir, 'broken.json'), '{');
    assert.throws(() => readReportFile(join(dir, 'broken.json')), /cannot be read as JSON/);
  });
});

describe('Open as experiment', () => {
  const config = (oja: number, learningRate: number) => ({ name: 'arm', seed: 3, data: { source: 'mnist' }, model: { layers: [784, 30, 10] }, rule: { oja, learningRate }, training: { steps: 100 } });

  it('arms that differ in one field: a sweep over its two values and the seeds, valid as an experiment', () => {
    const document = claimExperiment('Depth', { id: 'bp', config: config(0, 0.01) }, { id: 'oja', config: config(0.0003, 0.01) }, [1, 2, 3]);
    assert.deepEqual(document.sweep, { 'rule.oja': [0, 0.0003], seed: [1, 2, 3] });
    assert.equal(document.name, 'Depth');
    assert.ok(validateExperiment(document).ok);
  });

  it('arms that differ in more: the treatment over the seeds, and the description names what the baseline changes', () => {
    const document = claimExperiment('Online', { id: 'online-bp', config: config(0, 0.03) }, { id: 'online-oja', config: config(0.001, 0.01) }, [1, 2]);
    assert.deepEqual(document.sweep, { seed: [1, 2] });
    assert.equal((document.rule as { oja: number }).oja, 0.001);
    assert.match(document.description as string, /online-bp differs in 2 fields: rule\.learningRate = 0\.03, rule\.oja = 0/);
    assert.ok(validateExperiment(document).ok);
  });
});
