/** Meta-learning runs end to end: learning, the learned rule as a file and as a rule, stop and resume, bad configs. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../src/engine/backend';
import { parseExperiment, validateExperiment } from '../../src/engine/config/validate';
import { resumeRun, runExperiment } from '../../src/engine/run/runExperiment';
import { readConfig, readPoints } from '../../src/runFiles/runStore';
import { ConfigError } from '../../src/engine/config/issues';

before(async () => {
  await initBackend('cpu');
});

const base = {
  name: 'meta',
  seed: 3,
  data: { source: 'mnist', trainSize: 3000, testSize: 1000 },
  model: { layers: [784, 20, 10] },
  rule: { learningRate: 0.002, oja: 0.001 },
  training: { episodes: { ways: 5, shots: 4, queries: 6, classes: 'train', movingAverage: 10 } },
  meta: { trainClasses: [0, 1, 2, 3, 4], testClasses: [5, 6, 7, 8, 9], learn: ['error'], learningRate: 0.003, episodes: 40 },
};
const experiment = (overrides: Record<string, unknown> = {}) => parseExperiment({ ...base, ...overrides });
const out = () => mkdtempSync(join(tmpdir(), 'meta-'));

describe('meta-learning runs', () => {
  it('learn a too-small learning rate up, and the query loss falls; the learned rule is a file a new experiment loads', async () => {
    const { summary, runDir, result } = await runExperiment({ config: experiment(), outDir: out(), baseDir: process.cwd() });
    assert.equal(summary.status, 'completed');
    assert.equal(result.points.length, 40);
    const eta = result.points.map((p) => p.coefficients!.error!);
    assert.ok(eta.at(-1)! > 0.05, `η grew from 0.002 to ${eta.at(-1)}`);
    const early = result.points[9]!.episode!.movingLoss;
    const late = result.points[39]!.episode!.movingLoss;
    assert.ok(late < early - 0.1, `moving query loss ${early} → ${late}`);
    const learned = JSON.parse(readFileSync(join(runDir, 'learned-rule.json'), 'utf8'));
    assert.equal(learned.format, 'plasticity-lab/learned-rule@1');
    assert.equal(learned.metaEpisodes, 40);
    assert.equal(learned.coefficients.error, eta.at(-1));

    // A plain episodic run from the learned rule, on the held-out classes.
    const folder = out();
    writeFileSync(join(folder, 'rule.json'), readFileSync(join(runDir, 'learned-rule.json')));
    const evaluation = experiment({ rule: { learningRate: 0.5, oja: 0.001, terms: { from: 'rule.json' } }, training: { episodes: { ways: 5, shots: 4, queries: 6, classes: 'test', count: 5 } }, meta: { trainClasses: [0, 1, 2, 3, 4], testClasses: [5, 6, 7, 8, 9] } });
    const run = await runExperiment({ config: evaluation, outDir: folder, baseDir: folder });
    assert.equal(run.summary.status, 'completed');
    assert.equal(readConfig(run.runDir)!.rule.learningRate, eta.at(-1), 'the run records the learned η it used');
    assert.equal(readConfig(run.runDir)!.rule.terms.from, undefined);
    await assert.rejects(runExperiment({ config: experiment({ rule: { terms: { from: 'missing.json' } } }), outDir: folder, baseDir: folder }), (error: unknown) => error instanceof ConfigError && /rule\.terms\.from: .*missing\.json: no such file/.test(String(error.message)));
  });

  it('a stopped run, resumed from its folder, ends exactly as one that was never stopped', async () => {
    const config = experiment({ meta: { ...base.meta, learn: ['error', 'oja'], episodes: 24 } });
    const whole = await runExperiment({ config, outDir: out(), baseDir: process.cwd() });
    const controller = new AbortController();
    const stopped = await runExperiment({ config, outDir: out(), baseDir: process.cwd(), signal: controller.signal, onPoint: (p) => p.step === 9 && controller.abort() });
    assert.equal(stopped.summary.status, 'stopped');
    assert.equal(JSON.parse(readFileSync(join(stopped.runDir, 'learned-rule.json'), 'utf8')).metaEpisodes, 9, 'a stop keeps the rule as it stood');
    const resumed = await resumeRun({ runDir: stopped.runDir, baseDir: process.cwd() });
    assert.equal(resumed.summary.status, 'completed');
    const strip = (points: ReturnType<typeof readPoints>) => points.map(({ elapsedSec: _, ...rest }) => rest);
    assert.deepEqual(strip(readPoints(resumed.runDir)), strip(readPoints(whole.runDir)));
    assert.deepEqual(JSON.parse(readFileSync(join(resumed.runDir, 'learned-rule.json'), 'utf8')), JSON.parse(readFileSync(join(whole.runDir, 'learned-rule.json'), 'utf8')));
    assert.equal(resumed.summary.steps, 24);
    await assert.rejects(resumeRun({ runDir: resumed.runDir, baseDir: process.cwd() }), /all 24 meta-episodes are done/);
  });

  it('meta.evaluate judges the learned rule on fresh held-out episodes per K, as a plain few-shot run of it with the same seed would', async () => {
    const config = experiment({ meta: { ...base.meta, episodes: 3, evaluate: { shots: [1, 5], episodes: 4 } } });
    const { summary, runDir } = await runExperiment({ config, outDir: out(), baseDir: process.cwd() });
    assert.deepEqual(summary.metaEvaluation!.map((e) => [e.shots, e.episodes]), [[1, 4], [5, 4]]);
    const learned = JSON.parse(readFileSync(join(runDir, 'learned-rule.json'), 'utf8')).coefficients;
    const plain = await runExperiment({
      config: experiment({ rule: { ...base.rule, learningRate: learned.error }, training: { episodes: { ...base.training.episodes, shots: 5, count: 4, classes: 'test' } }, meta: { trainClasses: base.meta.trainClasses, testClasses: base.meta.testClasses } }),
      outDir: out(),
      baseDir: process.cwd(),
    });
    assert.equal(summary.metaEvaluation![1]!.accuracy.mean, plain.summary.episodes!.accuracy.mean);
    assert.equal(summary.metaEvaluation![1]!.loss.mean, plain.summary.episodes!.loss.mean);
    const issues = validateExperiment({ ...base, meta: { trainClasses: [0, 1, 2, 3, 4], learn: ['error'], evaluate: {} } });
    assert.deepEqual(!issues.ok && issues.issues.map((i) => `${i.path}: ${i.message}`), ['meta.evaluate.classes: "test" names meta.testClasses, which is not set']);
  });

  it('only meta-learning runs resume', async () => {
    const plain = await runExperiment({ config: parseExperiment({ ...base, meta: undefined, training: { episodes: { ways: 5, shots: 2, queries: 2, count: 2 } } }), outDir: out(), baseDir: process.cwd() });
    await assert.rejects(resumeRun({ runDir: plain.runDir, baseDir: process.cwd() }), /only a meta-learning run \(meta\.learn\) can be resumed/);
    assert.equal(existsSync(join(plain.runDir, 'learned-rule.json')), false);
  });

  it('bad meta configs are named', () => {
    const issues = (overrides: Record<string, unknown>) => {
      const result = validateExperiment({ ...base, ...overrides });
      return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
    };
    assert.match(issues({ meta: { ...base.meta, learn: ['bcm'] } }).join('\n'), /meta\.learn\.0: "bcm" is not allowed; expected one of "error", "oja", "errorHebbian"/);
    assert.deepEqual(issues({ meta: { ...base.meta, learn: ['sanger'] } }), ['meta.learn: "sanger" is not in the rule; give rule.terms.sanger its starting value']);
    assert.match(issues({ meta: { ...base.meta, episodes: 0 } }).join('\n'), /meta\.episodes: 0 is not allowed; must be >= 1/);
    assert.deepEqual(issues({ training: {} }), ['meta.learn: needs training.episodes: each meta-episode trains on one episode and is judged on its queries']);
    assert.deepEqual(issues({ rule: { learningRate: 0.01, oja: [0.001, 0] } , meta: { ...base.meta, learn: ['oja'] } }), ['rule.oja: [0.001,0]: a learned coefficient is one number for every layer']);
    assert.deepEqual(issues({ rule: { learningRate: 0.01, errorTerm: false }, meta: { ...base.meta, learn: ['error'] } }), ['meta.learn: "error" needs the error signals, which rule.errorTerm turns off']);
    assert.deepEqual(issues({ training: { ...base.training, batchSize: 4 } }), ['training.batchSize: 4 is not allowed with meta.learn: the inner loop trains online (1)']);
    assert.deepEqual(issues({ rule: { ...base.rule, optimizer: 'adam' } }), ['rule.optimizer: "adam" is not allowed with meta.learn: the inner loop\'s steps are plain (use "sgd")']);
    assert.deepEqual(issues({ model: { layers: [784, 20, 10], bias: true } }), ['model.bias: true is not allowed with meta.learn: the inner loop has no biases']);
    assert.deepEqual(issues({ meta: { ...base.meta, learn: ['error', 'error'] } }).length, 1);
  });
});
