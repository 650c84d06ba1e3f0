/** `plasticity-lab reproduce` end to end: a tiny reproduction whose report is checked against its runs. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Report } from '../../src/reproduce/report';
import { VERDICTS } from '../../src/reproduce/verdict';

const BIN = resolve(__dirname, '..', '..', 'bin', 'plasticity-lab.js');
let dir: string;
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'reproduce-'));
});

describe('plasticity-lab reproduce', () => {
  it('the meta-learning claim runs end to end: both arms meta-train, evaluate on held-out episodes, and are judged', () => {
    const { status, stderr } = cli(['reproduce', '--claims', 'meta-learned-rule', '--steps', '2', '--seeds', '2', '--out', 'meta']);
    assert.equal(status, 0, stderr);
    const report = JSON.parse(readFileSync(join(dir, 'meta', 'report.json'), 'utf8')) as Report;
    const [claim] = report.claims;
    assert.equal(claim!.id, 'meta-learned-rule');
    assert.ok(VERDICTS.includes(claim!.verdict));
    const rule = report.arms.find((a) => a.id === 'meta-rule')!;
    const recorded = rule.runs.map((r) => JSON.parse(readFileSync(join(r.runDir, 'summary.json'), 'utf8')).metaEvaluation);
    assert.deepEqual(recorded.map((e: Array<{ shots: number }>) => e.map((x) => x.shots)), [[1, 5, 10], [1, 5, 10]]);
    assert.deepEqual(claim!.treatmentValues, recorded.map((e: Array<{ accuracy: { mean: number } }>) => e.reduce((s, x) => s + x.accuracy.mean, 0) / e.length));
  });

  it('the short-term memory claim tunes and runs recurrent arms, and judges recall at the longest delay each run recorded', () => {
    const { status, stderr } = cli(['reproduce', '--claims', 'short-term-memory', '--steps', '40', '--seeds', '2', '--out', 'stm']);
    assert.equal(status, 0, stderr);
    const report = JSON.parse(readFileSync(join(dir, 'stm', 'report.json'), 'utf8')) as Report;
    const [claim] = report.claims;
    assert.equal(claim!.id, 'short-term-memory');
    assert.ok(VERDICTS.includes(claim!.verdict));
    const oja = report.arms.find((a) => a.id === 'stm-oja')!;
    assert.equal(oja.tuning!.grid.length, 9, 'η × θ_rec on validation sequences');
    const lastCurve = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').at(-1)!).memory;
    assert.deepEqual(oja.runs.map((r) => lastCurve(r.runDir).accuracy.at(-1)), claim!.treatmentValues);
    assert.deepEqual(lastCurve(oja.runs[0]!.runDir).delays, [5, 10, 20, 40]);
    const tuningConfig = JSON.parse(readFileSync(join(oja.tuning!.grid[0]!.runDir!, 'config.json'), 'utf8'));
    assert.equal(tuningConfig.data.validationSize, 2000, 'tuned on validation sequences, not the test ones');
  });

  it('runs the chosen claims, prints a verdict per claim, and writes a report that matches its runs', () => {
    const { status, stdout, stderr } = cli(['reproduce', '--claims', 'pca,hebbian-only,online-learning,tricks', '--steps', '200', '--seeds', '2', '--out', 'tiny']);
    assert.equal(status, 0, stderr);
    const report = JSON.parse(readFileSync(join(dir, 'tiny', 'report.json'), 'utf8')) as Report;
    assert.equal(report.format, 'plasticity-lab/reproduction@1');
    assert.deepEqual(report.claims.map((c) => c.id), ['online-learning', 'hebbian-only', 'pca']);
    for (const claim of report.claims) {
      assert.ok(VERDICTS.includes(claim.verdict));
      assert.match(stderr, new RegExp(`${claim.title.replace(/[()]/g, '\\$&')}: ${claim.verdict}`), 'a line per claim as it is judged');
      assert.match(stdout, new RegExp(claim.verdict));
    }
    // Each accuracy in a claim is the final accuracy its run folder records.
    const hebbian = report.claims.find((c) => c.id === 'hebbian-only')!;
    const ojaAlone = report.arms.find((a) => a.id === 'oja-alone')!;
    assert.equal(ojaAlone.runs.length, 2);
    const recorded = ojaAlone.runs.map((r) => JSON.parse(readFileSync(join(r.runDir, 'summary.json'), 'utf8')).final.testAccuracy);
    assert.deepEqual(hebbian.baselineValues, recorded);
    // Tuning ran on the validation split, never the test split, and the chosen values are the ones the seeds used.
    const tuned = report.arms.find((a) => a.id === 'online-oja')!;
    assert.equal(tuned.tuning!.grid.length, 9);
    for (const point of tuned.tuning!.grid) {
      const config = JSON.parse(readFileSync(join(point.runDir!, 'config.json'), 'utf8'));
      assert.equal(config.data.validationSize, 2000);
    }
    const seedConfig = JSON.parse(readFileSync(join(tuned.runs[0]!.runDir, 'config.json'), 'utf8'));
    assert.equal(seedConfig.data.validationSize, undefined, 'the seeds are measured on the test split');
    assert.equal(seedConfig.rule.oja, tuned.tuning!.chosen['rule.oja']);
    assert.equal(seedConfig.rule.learningRate, tuned.tuning!.chosen['rule.learningRate']);
    const best = Math.max(...tuned.tuning!.grid.map((p) => p.accuracy ?? -1));
    assert.equal(tuned.tuning!.grid.find((p) => p.accuracy === best)!.values['rule.oja'], tuned.tuning!.chosen['rule.oja']);
    // The trick table: each column is the mean of its arm's recorded final accuracies (a diverged run at chance).
    assert.deepEqual(report.tricks.map((t) => t.id), ['mini-batches', 'adam', 'initialisation', 'normalisation']);
    assert.match(stdout, /Does Oja's rule replace the trick\?/);
    for (const trick of report.tricks) {
      for (const key of ['without', 'with', 'oja'] as const) {
        const arm = report.arms.find((a) => a.id === trick[key])!;
        const finals = arm.runs.map((r) => JSON.parse(readFileSync(join(r.runDir, 'summary.json'), 'utf8')).final?.testAccuracy ?? 0.1);
        const mean = finals.reduce((a: number, b: number) => a + b, 0) / finals.length;
        assert.ok(Math.abs(trick.columns[key].mean - mean) < 1e-12, `${trick.id} ${key}: ${trick.columns[key].mean} vs ${mean}`);
      }
    }
    const configOf = (id: string) => JSON.parse(readFileSync(join(report.arms.find((a) => a.id === id)!.runs[0]!.runDir, 'config.json'), 'utf8'));
    assert.equal(configOf('large-eta-bp-batch16').training.batchSize, 16);
    assert.equal(configOf('gain-0.3-adam').rule.optimizer, 'adam');
    assert.equal(configOf('depth-14-layer-norm').model.normalization, 'layer');
    assert.ok(existsSync(join(dir, 'tiny', 'report.html')));
    const markdown = readFileSync(join(dir, 'tiny', 'report.md'), 'utf8');
    assert.match(markdown, /capped at 200 steps \(a smoke test, not a result\)/);
    assert.match(markdown, /\*\*How verdicts are decided\.\*\*/);
  });

  it('--data idx:DIR trains every digit arm on that folder (a slice of it in --quick), and says so in the report', () => {
    const fashion = '/usr/share/datasets/fashion-mnist';
    const { status, stderr } = cli(['reproduce', '--claims', 'hebbian-only,pca', '--data', `idx:${fashion}`, '--steps', '50', '--seeds', '2', '--out', 'fashion']);
    assert.equal(status, 0, stderr);
    const report = JSON.parse(readFileSync(join(dir, 'fashion', 'report.json'), 'utf8')) as Report;
    assert.equal(report.data, `IDX files from ${fashion}, the first 8,000 training and 2,000 test samples`);
    const configOf = (id: string) => JSON.parse(readFileSync(join(report.arms.find((a) => a.id === id)!.runs[0]!.runDir, 'config.json'), 'utf8'));
    assert.deepEqual(configOf('oja-alone').data, {
      source: 'idx', trainImages: join(fashion, 'train-images-idx3-ubyte.gz'), trainLabels: join(fashion, 'train-labels-idx1-ubyte.gz'),
      testImages: join(fashion, 't10k-images-idx3-ubyte.gz'), testLabels: join(fashion, 't10k-labels-idx1-ubyte.gz'), trainSize: 8000, testSize: 2000, shuffle: true, decay: 0.7,
    });
    assert.equal(configOf('pca-0').data.source, 'synthetic-gaussian', 'the synthetic arms keep their data');
  });

  for (const [name, args, message] of [
    ['--data of an unknown kind', ['--data', 'cifar'], /^error: --data "cifar": expected mnist \(the bundled digits\), fashion-mnist, or idx:DIR/],
    ['--data idx: of a folder without IDX files', ['--data', 'idx:.'], /^error: --data idx:\.: .* has no train-images-idx3-ubyte\(\.gz\); the folder must hold the four standard IDX files/],
  ] as const) {
    it(`${name} is bad input, before anything runs`, () => {
      const { status, stderr } = cli(['reproduce', ...args]);
      assert.equal(status, 2, stderr);
      assert.match(stderr, message);
      assert.equal(stderr.trim().split('\n').length, 1);
      assert.equal(existsSync(join(dir, '.plasticity')), false, 'nothing was started');
    });
  }

  it('Ctrl-C stops the runs going and starts no more; the report says it was stopped, and the exit is 130', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'reproduce', '--claims', 'online-learning', '--seeds', '2', '--out', 'stopped'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // Tuning (12 runs of 8,000 steps) is well under way after three seconds, its seeds not yet started.
    await new Promise((r) => setTimeout(r, 3000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 130, stderr);
    const report = JSON.parse(readFileSync(join(dir, 'stopped', 'report.json'), 'utf8')) as Report;
    assert.equal(report.interrupted, true);
    for (const arm of report.arms) {
      assert.deepEqual(arm.runs, [], `${arm.id}: a stopped run is not a result`);
      for (const problem of arm.problems) assert.match(problem, /^(not run: the reproduction was stopped|seed \d: (cancelled|stopped))$/);
    }
    assert.ok(report.arms.some((arm) => arm.problems[0] === 'not run: the reproduction was stopped'), 'the arm still tuning started no seeds');
    assert.equal(report.claims[0]!.verdict, 'inconclusive');
    assert.match(readFileSync(join(dir, 'stopped', 'report.md'), 'utf8'), /Stopped before every run finished/);
  });

  it('an unknown claim is bad input', () => {
    const { status, stderr } = cli(['reproduce', '--claims', 'telepathy']);
    assert.equal(status, 2);
    assert.match(stderr, /^error: --claims telepathy: no such claim; the claims are online-learning, depth, /);
    assert.equal(existsSync(join(dir, '.plasticity')), false, 'nothing was started');
  });
});
