/** The command line end to end, through the built bin (npm test builds first). */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { listPresets } from '../../src/engine/presets';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '../../src/engine/data/idx';
import { validateExperiment } from '../../src/engine/config/validate';

const BIN = resolve(__dirname, '..', '..', 'bin', 'plasticity-lab.js');
let dir: string;

function cli(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A CSV line's cells, quotes undone. */
const fields = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'));

function writeExperiment(name: string, experiment: object): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(experiment, null, 2));
  return file;
}

const small = {
  name: 'cli small',
  seed: 2,
  data: { source: 'synthetic-gaussian', trainSize: 100, testSize: 50 },
  model: { layers: [8, 6, 3] },
  rule: { learningRate: 0.05, oja: 0.01 },
  training: { steps: 40, evalEvery: 20, probeSize: 20 },
};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-'));
  assert.ok(existsSync(join(__dirname, '..', '..', 'dist', 'cli.js')), 'run `npm run build` before these tests');
});

describe('plasticity-lab run', () => {
  it('runs an experiment: exit 0, a run folder, one JSON line per run with --json', () => {
    const file = writeExperiment('small.plasticity.json', small);
    const { code, stdout, stderr } = cli(['run', file, '--out', 'runs', '--json', '--save-weights']);
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 1);
    assert.equal(lines[0].status, 'completed');
    assert.equal(lines[0].steps, 40);
    assert.ok(lines[0].runDir.startsWith(join(dir, 'runs')));
    assert.deepEqual(readdirSync(lines[0].runDir).sort(), ['config.json', 'metrics.jsonl', 'summary.json', 'weights.json']);
    const metrics = readFileSync(join(lines[0].runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    assert.equal(metrics.length, 3);
    assert.match(stderr, /cli small \(1\/1\): completed, test accuracy \d+\.\d\d% →/);
    assert.match(stderr, /│ cli small │ completed │/, 'the comparison table goes to stderr with --json');
  });

  it('runs every member of a sweep, with labels, and aggregates over seeds', () => {
    const file = writeExperiment('sweep.plasticity.json', { ...small, sweep: { 'rule.oja': [0, 0.01], seed: [1, 2] } });
    const { code, stdout, stderr } = cli(['run', file, '--out', 'sweep-runs', '--json']);
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.label), ['oja=0 seed=1', 'oja=0 seed=2', 'oja=0.01 seed=1', 'oja=0.01 seed=2']);
    assert.equal(new Set(lines.map((l) => l.runDir)).size, 4);
    // The sweep folder records the grid and each member's run, in grid order.
    const [sweepId] = readdirSync(join(dir, 'sweep-runs', 'sweeps'));
    const record = JSON.parse(readFileSync(join(dir, 'sweep-runs', 'sweeps', sweepId!, 'sweep.json'), 'utf8'));
    assert.deepEqual(record.grid, { 'rule.oja': [0, 0.01], seed: [1, 2] });
    assert.equal(record.shard, null);
    assert.deepEqual(record.members.map((m: { label: string }) => m.label), lines.map((l) => l.label));
    assert.deepEqual(record.members.map((m: { runId: string }) => join(dir, 'sweep-runs', m.runId)), lines.map((l) => l.runDir));
    assert.ok(record.members.every((m: { status: string }) => m.status === 'completed'));
    assert.deepEqual(record.members[3].assignments, { 'rule.oja': 0.01, seed: 2 });
    // export takes the sweep folder for all of its runs.
    const exported = JSON.parse(cli(['export', join('sweep-runs', 'sweeps', sweepId!), '--format', 'json']).stdout);
    assert.deepEqual(exported.runs.map((r: { label: string }) => r.label), lines.map((l) => l.label));
    assert.match(stderr, /│ oja=0\s+│ 2\s+│ 2\s+│ 0\s+│ \d+\.\d\d% ± \d+\.\d\d/, 'runs, completed, diverged, then the mean');
  });

  it('--set and --steps override the file', () => {
    const file = writeExperiment('override.plasticity.json', { ...small, training: { epochs: 2, evalEvery: 5, probeSize: 20 } });
    const { code, stdout } = cli(['run', file, '--out', 'runs', '--json', '--steps', '7', '--set', 'rule.oja=0.002', '--set', 'name=renamed']);
    assert.equal(code, 0);
    const [line] = stdout.trim().split('\n').map((l) => JSON.parse(l));
    const config = JSON.parse(readFileSync(join(line.runDir, 'config.json'), 'utf8'));
    assert.equal(config.rule.oja, 0.002);
    assert.equal(config.name, 'renamed');
    assert.equal(config.training.steps, 7);
    assert.equal(config.training.epochs, undefined);
    assert.equal(line.steps, 7);
  });

  it('--set on a swept field replaces that sweep axis; the other axes stay; sweep={} drops the sweep', () => {
    const file = writeExperiment('swept.plasticity.json', { ...small, training: { steps: 4, evalEvery: 4, probeSize: 20 }, sweep: { 'rule.oja': [0, 0.0003], seed: [1, 2, 3] } });
    const one = cli(['run', file, '--out', 'set-runs', '--json', '--set', 'rule.oja=0.001', '--set', 'seed=4']);
    assert.equal(one.code, 0, one.stderr);
    const lines = one.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 1);
    const config = JSON.parse(readFileSync(join(lines[0].runDir, 'config.json'), 'utf8'));
    assert.deepEqual([config.rule.oja, config.seed, config.sweep], [0.001, 4, undefined]);
    const seeds = cli(['run', file, '--out', 'set-runs', '--json', '--set', 'rule.oja=0.001']);
    assert.deepEqual(seeds.stdout.trim().split('\n').map((l) => JSON.parse(l).label), ['seed=1', 'seed=2', 'seed=3']);
    const none = cli(['run', file, '--out', 'set-runs', '--json', '--set', 'sweep={}']);
    assert.equal(none.stdout.trim().split('\n').length, 1);
  });

  it('reads IDX files named relative to the experiment file', () => {
    const data = join(dir, 'idx-data');
    mkdirSync(data, { recursive: true });
    const pixels = Uint8Array.from({ length: 30 * 9 }, (_, i) => (i * 37) % 256);
    const labels = Uint8Array.from({ length: 30 }, (_, i) => i % 3);
    writeFileSync(join(data, 'train-images-idx3-ubyte.gz'), gzipSync(encodeIdx([30, 3, 3], pixels)));
    writeFileSync(join(data, 'train-labels-idx1-ubyte'), encodeIdx([30], labels));
    writeFileSync(join(data, 't10k-images-idx3-ubyte'), encodeIdx([30, 3, 3], pixels));
    writeFileSync(join(data, 't10k-labels-idx1-ubyte.gz'), gzipSync(encodeIdx([30], labels)));
    const idx = {
      ...small,
      data: { source: 'idx', trainImages: 'idx-data/train-images-idx3-ubyte.gz', trainLabels: 'idx-data/train-labels-idx1-ubyte', testImages: 'idx-data/t10k-images-idx3-ubyte', testLabels: 'idx-data/t10k-labels-idx1-ubyte.gz' },
      model: { layers: [9, 5, 3] },
    };
    const file = writeExperiment('idx.plasticity.json', idx);
    const ok = cli(['run', file, '--out', 'runs', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const summary = JSON.parse(readFileSync(join(JSON.parse(ok.stdout).runDir, 'summary.json'), 'utf8'));
    assert.deepEqual(summary.dataset, { description: 'IDX files', trainCount: 30, testCount: 30 });

    const missing = writeExperiment('idx-missing.plasticity.json', { ...idx, data: { ...idx.data, testLabels: 'idx-data/nope-idx1-ubyte' } });
    const bad = cli(['run', missing, '--out', 'runs']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /nope-idx1-ubyte: cannot be read \(ENOENT\)/);
  });

  it('says when a value is more than the data holds, and what the run does instead', () => {
    const file = writeExperiment('clamped.plasticity.json', { ...small, data: { ...small.data, trainSize: 100 }, training: { steps: 2, evalEvery: 2, probeSize: 20, batchSize: 1000 } });
    const { code, stdout, stderr } = cli(['run', file, '--out', 'runs', '--json', '--executor', 'tfjs']);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /\n  note: training\.batchSize 1000 is more than the 100 training samples; each step uses all 100\n/);
    const summary = JSON.parse(readFileSync(join(JSON.parse(stdout).runDir, 'summary.json'), 'utf8'));
    assert.deepEqual(summary.notes, ['training.batchSize 1000 is more than the 100 training samples; each step uses all 100']);
  });

  it('exit 1 when a run diverges, and the summary says at which step', () => {
    const file = writeExperiment('diverge.plasticity.json', { ...small, model: { layers: [8, 6, 3], init: { gain: 3 } }, rule: { learningRate: 0, oja: 80 }, training: { steps: 200, evalEvery: 50, probeSize: 20 } });
    const { code, stdout } = cli(['run', file, '--out', 'runs', '--json']);
    assert.equal(code, 1);
    const [line] = stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(line.status, 'diverged');
    assert.ok(Number.isInteger(line.divergedAtStep));
    const summary = JSON.parse(readFileSync(join(line.runDir, 'summary.json'), 'utf8'));
    assert.equal(summary.status, 'diverged');
    assert.equal(summary.divergedAtStep, line.divergedAtStep);
  });

  /** The native backend is an optional download; where it is installed, naming it is not bad input. */
  const nativeInstalled = (() => {
    try {
      require.resolve('@tensorflow/tfjs-node');
      return true;
    } catch {
      return false;
    }
  })();
  const emptyIdx = () => {
    const data = join(dir, 'empty-idx');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'train-images'), encodeIdx([0, 3, 3], new Uint8Array(0)));
    writeFileSync(join(data, 'train-labels'), encodeIdx([0], new Uint8Array(0)));
    return writeExperiment('empty.plasticity.json', { ...small, data: { source: 'idx', trainImages: 'empty-idx/train-images', trainLabels: 'empty-idx/train-labels', testImages: 'empty-idx/train-images', testLabels: 'empty-idx/train-labels' }, model: { layers: [9, 3] } });
  };
  const aFile = () => {
    writeFileSync(join(dir, 'a-file'), 'not a folder');
    return join(dir, 'a-file');
  };
  // Every row: exit 2, exactly one line on stderr, starting "error:", naming the problem; no stack trace.
  const badInput: Array<[string, () => string[], RegExp]> = [
    ['an invalid field', () => ['run', writeExperiment('bad.plasticity.json', { ...small, rule: { learningRate: -2 } })], /^error: .*bad\.plasticity\.json: rule\.learningRate: -2 is not allowed; must be >= 0/],
    ['an unknown field', () => ['run', writeExperiment('unknown.plasticity.json', { ...small, rule: { learningRate: 0.1, momentum: 0.9 } })], /unknown\.plasticity\.json: rule\.momentum: unknown field/],
    ['an unknown data source', () => ['run', writeExperiment('cifar.plasticity.json', { ...small, data: { source: 'cifar' } })], /cifar\.plasticity\.json: data\.source: "cifar" is not allowed; expected one of/],
    ['an empty sweep list', () => ['run', writeExperiment('emptysweep.plasticity.json', { ...small, sweep: { 'rule.oja': [] } })], /emptysweep\.plasticity\.json: sweep\["rule\.oja"\]: \[\] is not allowed; needs at least 1 entries/],
    ['a missing file', () => ['run', join(dir, 'nowhere.plasticity.json')], /nowhere\.plasticity\.json: cannot read the file \(ENOENT\)/],
    ['broken JSON', () => { writeFileSync(join(dir, 'broken.plasticity.json'), '{\n  "name": "x",\n}'); return ['run', join(dir, 'broken.plasticity.json')]; }, /broken\.plasticity\.json: not valid JSON at line 3, column 1/],
    ['a --set without =', () => ['run', writeExperiment('s.plasticity.json', small), '--set', 'rule.oja'], /--set "rule\.oja": expected path=value/],
    ['a --set to a bad value', () => ['run', writeExperiment('s2.plasticity.json', small), '--set', 'model.activation=sigmoid'], /model\.activation: "sigmoid" is not allowed; expected one of/],
    ['a --set to an unknown normalisation', () => ['run', writeExperiment('n1.plasticity.json', small), '--set', 'model.normalization=batch'], /model\.normalization: "batch" is not allowed; expected one of "none", "layer"/],
    ['a --set of normalizationAffine to a word', () => ['run', writeExperiment('n2.plasticity.json', small), '--set', 'model.normalizationAffine=yes'], /model\.normalizationAffine: "yes" is not allowed; expected a boolean/],
    ['an unknown local term', () => ['run', writeExperiment('t1.plasticity.json', { ...small, rule: { terms: { bcm: 0.1 } } })], /t1\.plasticity\.json: rule\.terms\.bcm: unknown field/],
    ['an unknown optimizer', () => ['run', writeExperiment('o3.plasticity.json', { ...small, rule: { optimizer: 'rmsprop' } })], /o3\.plasticity\.json: rule\.optimizer: "rmsprop" is not allowed; expected one of "sgd", "adam"/],
    ['--steps 0', () => ['run', 'x.json', '--steps', '0'], /"0" is not a whole number >= 1/],
    ['--workers many', () => ['run', 'x.json', '--workers', 'many'], /option '--workers <k>' argument 'many' is invalid\. "many" is neither "auto" nor a whole number >= 1/],
    ['an unknown option', () => ['run', 'x.json', '--bogus'], /unknown option '--bogus'/],
    ['an unknown backend', () => ['run', 'x.json', '--backend', 'gpu'], /Allowed choices are auto, tensorflow, wasm, cpu/],
    ['--shard 5/4', () => ['run', writeExperiment('sh.plasticity.json', small), '--shard', '5/4'], /--shard "5\/4": expected i\/n with 1 <= i <= n/],
    ['the online executor at batch size 8', () => ['run', writeExperiment('b8.plasticity.json', { ...small, training: { batchSize: 8, steps: 2 } }), '--executor', 'online'], /b8\.plasticity\.json: training\.batchSize: 8 is not allowed with the online executor/],
    ['a model that does not fit the data', () => ['run', writeExperiment('fit.plasticity.json', { ...small, data: { source: 'mnist' }, model: { layers: [100, 10] } })], /fit\.plasticity\.json: model\.layers\.0: 100 does not match the 784 input values per sample/],
    ['a sweep of more than 10,000 members without --yes', () => ['run', writeExperiment('vast.plasticity.json', { ...small, sweep: { seed: Array.from({ length: 101 }, (_, i) => i), 'rule.oja': Array.from({ length: 100 }, (_, i) => i / 1000) } })], /vast\.plasticity\.json: the sweep has 10,100 members \(more than 10,000\); add --yes to run them all, or split them with --shard i\/n/],
    ['an IDX file with no images', () => ['run', emptyIdx()], /empty\.plasticity\.json: data: train-images: holds no images/],
    ['a network too large for memory', () => ['run', writeExperiment('huge.plasticity.json', { ...small, data: { source: 'mnist' }, model: { layers: [784, 100000, 10] } }), '--backend', 'wasm'], /huge\.plasticity\.json: model\.layers: needs about \d+\.\d GiB for the per-layer diagnostics .*; one WebAssembly memory holds at most 2\.0 GiB/],
    ['--out that is a file', () => ['run', writeExperiment('o1.plasticity.json', small), '--out', aFile()], /--out .*a-file: is a file, not a folder/],
    ['--out under a file', () => ['run', writeExperiment('o2.plasticity.json', small), '--out', join(aFile(), 'runs')], /--out .*a-file\/runs: a file stands where a folder is needed \(ENOTDIR\)/],
    ['few-shot episodes asking for more samples per class than the data has', () => ['run', writeExperiment('k.plasticity.json', { ...small, training: { episodes: { ways: 2, shots: 40 } } })], /k\.plasticity\.json: training\.episodes\.shots: 40 samples per class, but class \d has \d+ in the training split of correlated Gaussian/],
    ['overlapping class splits', () => ['run', writeExperiment('m.plasticity.json', { ...small, training: { episodes: { ways: 2, classes: 'test' } }, meta: { trainClasses: [0, 1], testClasses: [1, 2] } })], /m\.plasticity\.json: meta\.testClasses: \[1,2\] shares class 1 with meta\.trainClasses/],
    ['export of a file', () => ['export', writeExperiment('e.plasticity.json', small)], /e\.plasticity\.json: neither a run folder/],
    ['export of nothing', () => ['export', 'nowhere'], /nowhere: neither a run folder/],
    ['export --out a folder', () => ['export', join(dir, 'runs'), '--out', dir], /--out .*: is a folder; name the file to write/],
    ['presets --write to a file', () => ['presets', '--write', aFile()], /--write .*a-file: is a file, not a folder/],
    ...(nativeInstalled ? [] : [['--backend tensorflow without @tensorflow/tfjs-node', () => ['run', writeExperiment('tf.plasticity.json', small), '--backend', 'tensorflow'], /--backend tensorflow: the tensorflow backend is not available here .*npm install @tensorflow\/tfjs-node/] as [string, () => string[], RegExp]]),
  ];
  it('the bad-input table covers at least 18 cases', () => assert.ok(badInput.length >= 18, String(badInput.length)));
  for (const [name, args, message] of badInput) {
    it(`exit 2 with one line for ${name}`, () => {
      const { code, stderr } = cli(args());
      assert.equal(code, 2, stderr);
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0]!, /^error: /);
      assert.match(lines[0]!, message);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    });
  }

  it('a read-only file system as --out is one line naming it (EROFS), exit 2 (a read-only tmpfs; needs root)', (t) => {
    const mount = join(dir, 'read-only');
    mkdirSync(mount, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', mount]);
    t.after(() => execFileSync('umount', [mount]));
    const { code, stderr } = cli(['run', writeExperiment('ro.plasticity.json', small), '--out', join(mount, 'runs')]);
    assert.equal(code, 2, stderr);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^error: --out .*read-only\/runs: read-only file system \(EROFS\)$/m);
  });

  it('a file saved with a UTF-8 byte-order mark runs', () => {
    const file = join(dir, 'bom.plasticity.json');
    writeFileSync(file, `\uFEFF${JSON.stringify({ ...small, training: { steps: 4, evalEvery: 4, probeSize: 20 } })}`);
    const { code, stderr } = cli(['run', file, '--out', 'runs']);
    assert.equal(code, 0, stderr);
  });

  it('a full disk (a 64 KiB tmpfs; needs root, as CI has): every member fails with the path and cause, no *.tmp left, no summary saying running, exit 1', (t) => {
    const mount = join(dir, 'full-disk');
    mkdirSync(mount, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
    t.after(() => execFileSync('umount', [mount]));
    const file = writeExperiment('full.plasticity.json', { ...small, training: { steps: 3000, evalEvery: 1, probeSize: 20 }, sweep: { seed: [1, 2, 3, 4] } });
    const { code, stderr } = cli(['run', file, '--out', mount, '--workers', '2']);
    assert.equal(code, 1, stderr);
    const failures = stderr.trim().split('\n').filter((line) => /\(\d\/4\): failed/.test(line));
    assert.equal(failures.length, 4, stderr);
    for (const line of failures) assert.match(line, /\/full-disk[^ ]*: no space left on the device \(ENOSPC\)/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    const files = readdirSync(mount, { recursive: true }).map(String);
    assert.deepEqual(files.filter((f) => f.endsWith('.tmp')), []);
    for (const summary of files.filter((f) => f.endsWith('summary.json'))) assert.notEqual(JSON.parse(readFileSync(join(mount, summary), 'utf8')).status, 'running', summary);
  });

  it('a stop (Ctrl-C) ends the run as stopped, keeping its points; exit 130', async () => {
    const file = writeExperiment('long.plasticity.json', { ...small, training: { steps: 50_000_000, evalEvery: 5000, probeSize: 20 } });
    const child = spawn(process.execPath, [BIN, 'run', file, '--out', 'stop-runs', '--json'], { cwd: dir });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const metrics = () => {
      const runs = existsSync(join(dir, 'stop-runs')) ? readdirSync(join(dir, 'stop-runs')) : [];
      const file = runs[0] && join(dir, 'stop-runs', runs[0], 'metrics.jsonl');
      return file && existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').length : 0;
    };
    const deadline = Date.now() + 60_000;
    while (metrics() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 130);
    const line = JSON.parse(stdout.trim());
    assert.equal(line.status, 'stopped');
    assert.ok(line.steps >= 10_000 && line.steps < 50_000_000);
    const points = readFileSync(join(line.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(points.at(-1).step, line.steps);
  });

  it('Ctrl-C stops a --workers 1 sweep of 12,000 short members within seconds: one line for the cancelled rest, exit 130', async () => {
    const seeds = Array.from({ length: 12_000 }, (_, k) => k + 1);
    const file = writeExperiment('many.plasticity.json', { ...small, training: { steps: 20, evalEvery: 20, probeSize: 20 }, sweep: { seed: seeds } });
    const child = spawn(process.execPath, [BIN, 'run', file, '--out', 'many-runs', '--workers', '1', '--json', '--yes'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const finished = () => stdout.split('\n').filter(Boolean).length;
    const deadline = Date.now() + 60_000;
    while (finished() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const stoppedAt = Date.now();
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 130);
    assert.ok(Date.now() - stoppedAt < 5000, `exited ${Date.now() - stoppedAt} ms after Ctrl-C`);
    assert.ok(finished() < seeds.length, `${finished()} of ${seeds.length} members ran`);
    const [sweepId] = readdirSync(join(dir, 'many-runs', 'sweeps'));
    const record = JSON.parse(readFileSync(join(dir, 'many-runs', 'sweeps', sweepId!, 'sweep.json'), 'utf8'));
    // Every member that began printed a line (completed, or stopped mid-run); the rest never began.
    const cancelled = seeds.length - finished();
    assert.equal(record.members.filter((m: { status: string }) => m.status === 'cancelled').length, cancelled);
    assert.equal(record.members.filter((m: { status: string }) => m.status === 'queued' || m.status === 'running').length, 0);
    assert.deepEqual(readdirSync(join(dir, 'many-runs', 'sweeps', sweepId!)), ['sweep.json'], 'the log is folded in once the sweep settles');
    assert.equal(stderr.match(/cancelled/g)?.length, 1, 'one line for the cancelled rest');
    assert.match(stderr, new RegExp(`${cancelled.toLocaleString('en-US')} members cancelled before starting`));
  });
});

describe('plasticity-lab presets', () => {
  it('lists every preset with what it shows', () => {
    const { code, stdout } = cli(['presets']);
    assert.equal(code, 0);
    for (const id of ['online-learning', 'deep-network', 'bad-initialisation', 'feedback-alignment', 'hebbian-only', 'oja-pca', 'data-scarce', 'meta-learned-rule']) assert.match(stdout, new RegExp(id));
  });

  it('--write copies valid experiment files, and will not overwrite without --force', () => {
    const target = join(dir, 'my-presets');
    const first = cli(['presets', '--write', target]);
    assert.equal(first.code, 0, first.stderr);
    const files = readdirSync(target);
    assert.deepEqual(files.sort(), listPresets().map((p) => `${p.id}.plasticity.json`).sort(), 'every shipped preset');
    for (const f of files) {
      const result = validateExperiment(JSON.parse(readFileSync(join(target, f), 'utf8')));
      assert.ok(result.ok, f);
      assert.ok(result.ok && result.config.sweep, `${f} has a comparison built in`);
      const schema = JSON.parse(readFileSync(join(target, f), 'utf8')).$schema;
      assert.ok(existsSync(resolve(target, schema)), `${f}: $schema ${schema} resolves from where the copy lands`);
    }
    assert.equal(cli(['presets', '--write', target]).code, 2);
    assert.equal(cli(['presets', '--write', target, '--force']).code, 0);
  });
});

describe('plasticity-lab bench', () => {
  it('measures the online executor and each backend that loads', () => {
    const { code, stdout, stderr } = cli(['bench', '--scale', '0.01', '--repeats', '1', '--json', '--layers', '784-20-10']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.network, [784, 20, 10]);
    const cases = report.rows.map((r: { case: string; executor: string; backend: string }) => `${r.case}|${r.executor}|${r.backend}`);
    assert.ok(cases.includes('train, batch 1|online (WebAssembly SIMD)|none'));
    assert.ok(cases.includes('train, batch 1|online-js (TypeScript)|none'));
    // 784·20·(2 + 4 + 2) + 20·10·(2 + 4 + 2 + 2): counted by hand from stepCost.ts's rule.
    assert.equal(report.onlineStep.flops, 784 * 20 * 8 + 20 * 10 * 10);
    assert.ok(report.matMulGflops > 0);
    assert.equal(report.lockstep.members, 16);
    assert.equal(report.lockstep.sequential.length, report.lockstep.lockstep.length);
    assert.ok(cases.includes('train, batch 64|tfjs|wasm'));
    assert.ok(cases.some((c: string) => c.startsWith('evaluate 2000 test')));
    assert.ok(report.rows.every((r: { stepsPerSec: number }) => r.stepsPerSec > 0));
    assert.ok(report.rerunLatency.coldStartMs > 0 && report.rerunLatency.firstPointWarmMs.length === 1 && report.rerunLatency.firstPointWarmMs[0] > 0);
    assert.ok(cases.includes('train, batch 1, every local term|online (WebAssembly SIMD)|none'));
    // Few-shot episodes: both rules, K = 1 and 50, on both online executors.
    const episodes = report.episodes.map((e: { rule: string; shots: number; executor: string }) => `${e.rule}|${e.shots}|${e.executor}`);
    for (const rule of ['BP+Oja', 'FA+errorHebbian+Oja']) for (const shots of [1, 50]) for (const executor of ['online', 'online-js']) assert.ok(episodes.includes(`${rule}|${shots}|${executor}`), `${rule} K=${shots} ${executor}`);
    assert.ok(report.episodes.every((e: { msPerEpisode: number[] }) => e.msPerEpisode.length === 1 && e.msPerEpisode[0]! > 0));
    // Meta-episodes: at least five on the SIMD inner loop (this Node runs the fused build behind its flag), one on the float64 one.
    assert.equal(report.metaEpisode.simdBuild, 'fused');
    assert.equal(report.metaEpisode.simd.length, 5);
    assert.equal(report.metaEpisode.reference.length, 1);
    assert.ok([...report.metaEpisode.simd, ...report.metaEpisode.reference].every((s: number) => s > 0));
    // One recurrent update at issue 14's size, timed once (repeats 1).
    assert.deepEqual([report.recurrent.hidden, report.recurrent.steps, report.recurrent.symbols], [128, 30, 8]);
    assert.ok(report.recurrent.msPerSequence.simd.length === 1 && report.recurrent.msPerSequence.simd[0] > 0);
    assert.ok(report.recurrent.msPerSequence.reference.length === 1 && report.recurrent.msPerSequence.reference[0] > 0);
  });

  it('--only measures just the groups asked for, and names the groups when one is unknown', () => {
    const { code, stdout, stderr } = cli(['bench', '--only', 'lockstep', '--scale', '0.01', '--repeats', '1', '--json', '--layers', '784-20-10']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.rows, []);
    assert.equal(report.metaEpisode, null);
    assert.equal(report.recurrent, null);
    assert.deepEqual(report.episodes, []);
    assert.equal(report.lockstep.members, 16);
    const bad = cli(['bench', '--only', 'lockstep,meta-episodes']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /meta-episodes: not a bench case; use online, episodes, meta, rnn, lockstep, backends, rerun, sweep/);
  });
});

describe('sweeps across processes and machines', () => {
  const sweep = () => writeExperiment('grid.plasticity.json', { ...small, sweep: { 'rule.oja': [0, 0.01, 0.02], seed: [1, 2] } });

  it('--shard i/n runs each member of the grid in exactly one shard', () => {
    const labels = [1, 2, 3, 4].flatMap((i) => {
      const { code, stdout } = cli(['run', sweep(), '--out', 'shards', '--json', '--shard', `${i}/4`]);
      assert.equal(code, 0);
      return stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).label);
    });
    assert.deepEqual([...labels].sort(), ['oja=0 seed=1', 'oja=0 seed=2', 'oja=0.01 seed=1', 'oja=0.01 seed=2', 'oja=0.02 seed=1', 'oja=0.02 seed=2']);
    // Each shard's sweep folder lists the whole grid: its own members run, the rest "elsewhere".
    const records = readdirSync(join(dir, 'shards', 'sweeps')).map((id) => JSON.parse(readFileSync(join(dir, 'shards', 'sweeps', id, 'sweep.json'), 'utf8')));
    assert.deepEqual(records.map((r) => r.shard).sort(), ['1/4', '2/4', '3/4', '4/4']);
    const completed = records.flatMap((r) => r.members.filter((m: { status: string }) => m.status === 'completed').map((m: { index: number }) => m.index));
    assert.deepEqual(completed.sort(), [0, 1, 2, 3, 4, 5]);
    assert.ok(records.every((r) => r.members.length === 6 && r.members.every((m: { status: string }) => m.status === 'completed' || m.status === 'elsewhere')));
    const bad = cli(['run', sweep(), '--shard', '5/4']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--shard "5\/4": expected i\/n with 1 <= i <= n/);
  });

  it('--workers 2 runs members on warm workers, with the same numbers as one after another', () => {
    const parallel = cli(['run', sweep(), '--out', 'par', '--json', '--workers', '2']);
    const serial = cli(['run', sweep(), '--out', 'ser', '--json', '--workers', '1']);
    assert.equal(parallel.code, 0, parallel.stderr);
    const read = (out: string) => Object.fromEntries(out.trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.label, r.final.testLoss]));
    assert.deepEqual(read(parallel.stdout), read(serial.stdout));
    assert.equal(Object.keys(read(parallel.stdout)).length, 6);
    // --executor reaches the workers.
    const js = cli(['run', sweep(), '--out', 'par-js', '--json', '--workers', '2', '--executor', 'online-js']);
    assert.equal(js.code, 0, js.stderr);
    const executors = js.stdout.trim().split('\n').map((l) => JSON.parse(readFileSync(join(JSON.parse(l).runDir, 'summary.json'), 'utf8')).executor);
    assert.deepEqual(new Set(executors), new Set(['online-js']));
    const [sweepId] = readdirSync(join(dir, 'par', 'sweeps'));
    const record = JSON.parse(readFileSync(join(dir, 'par', 'sweeps', sweepId!, 'sweep.json'), 'utf8'));
    assert.ok(record.members.every((m: { status: string; runId: string }) => m.status === 'completed' && existsSync(join(dir, 'par', m.runId, 'summary.json'))));
  });

  it('on workers (the default), --json lines come in grid order, whatever order members finish in', () => {
    // The first member runs far longer than the others, so on two workers it ends last. Long enough
    // to outlast the second worker's start on a busy machine (300,000 steps took 1 s, and once ended first).
    const uneven = writeExperiment('uneven.plasticity.json', { ...small, training: { ...small.training, evalEvery: 1_000_000 }, sweep: { 'training.steps': [2_000_000, 20, 20, 20] } });
    const { code, stdout, stderr } = cli(['run', uneven, '--out', 'uneven', '--json']);
    assert.equal(code, 0, stderr);
    assert.deepEqual(stdout.trim().split('\n').map((l) => JSON.parse(l).label), ['steps=2000000', 'steps=20', 'steps=20', 'steps=20']);
    // Finished lines on stderr follow finishing order: the long member's comes after a short one's.
    assert.ok(stderr.indexOf('steps=2000000] (1/4): completed') > stderr.indexOf('steps=20] (2/4): completed'), stderr);
  });

  it('few-shot episodes: a point per episode, the summary means, an export row per episode with its classes', () => {
    const file = writeExperiment('episodes.plasticity.json', {
      name: 'five-way',
      data: { source: 'mnist', trainSize: 2000, testSize: 500 },
      model: { layers: [784, 50, 5] },
      rule: { learningRate: 0.05 },
      training: { episodes: { ways: 5, shots: 5, queries: 4, count: 15, relabel: true } },
    });
    const { code, stdout, stderr } = cli(['run', file, '--out', 'episodes', '--json']);
    assert.equal(code, 0, stderr);
    const line = JSON.parse(stdout.trim());
    const summary = JSON.parse(readFileSync(join(line.runDir, 'summary.json'), 'utf8'));
    assert.equal(summary.steps, 15);
    assert.equal(summary.episodes.count, 15);
    const points = readFileSync(join(line.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(points.length, 15);
    const mean = points.reduce((sum: number, p: { testAccuracy: number }) => sum + p.testAccuracy, 0) / 15;
    assert.ok(Math.abs(summary.final.testAccuracy - mean) < 1e-12, 'final is the mean over episodes');
    assert.ok(points.every((p: { testAccuracy: number }) => Number.isInteger(p.testAccuracy * 20)), 'each accuracy is over 5 × 4 query samples');
    assert.match(cli(['run', file, '--out', 'episodes']).stderr, /five-way \(1\/1\): completed, query accuracy \d+\.\d\d% ± \d+\.\d\d \(mean ± sd over 15 episodes\)/);
    const csv = cli(['export', line.runDir, '--format', 'csv', '--out', 'episodes.csv']);
    assert.equal(csv.code, 0, csv.stderr);
    const rows = readFileSync(join(dir, 'episodes.csv'), 'utf8').trim().split('\n').map(fields);
    assert.equal(rows.length, 16);
    const classes = rows[0]!.indexOf('episode.classes');
    assert.ok(classes > 0);
    assert.deepEqual(rows.slice(1).map((row) => row[classes]!.split(' ').length), new Array(15).fill(5));
  });

  it('export writes CSV (a row per point) and JSON for a folder of runs', () => {
    cli(['run', writeExperiment('exp.plasticity.json', { ...small, sweep: { seed: [1, 2] } }), '--out', 'to-export']);
    const csv = cli(['export', 'to-export', '--format', 'csv', '--out', 'all.csv']);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = readFileSync(join(dir, 'all.csv'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1 + 2 * 3, 'header + 2 runs × 3 points');
    assert.match(lines[0]!, /^run,label,step,epoch,trainLoss,testLoss,testAccuracy,elapsedSec,layer1\.weightNorm,/);
    const json = JSON.parse(cli(['export', 'to-export', '--format', 'json']).stdout);
    assert.deepEqual(json.runs.map((r: { label: string }) => r.label).sort(), ['seed=1', 'seed=2']);
    // CSV and JSON agree: the same test accuracy at each point.
    const accuracyColumn = lines[0]!.split(',').indexOf('testAccuracy');
    const fromCsv = lines.slice(1).map((l) => Number(l.split(',')[accuracyColumn]));
    const fromJson = json.runs.flatMap((r: { points: Array<{ testAccuracy: number }> }) => r.points.map((p) => p.testAccuracy));
    assert.deepEqual([...fromCsv].sort(), [...fromJson].sort());
    // Each row carries its run's status and config values, so runs can be told apart without the JSON.
    const header = fields(lines[0]!);
    const [status, seed, layers] = ['status', 'config.seed', 'config.model.layers'].map((name) => header.indexOf(name));
    assert.ok(status > header.indexOf('testAccuracy') && seed > status, 'appended after the metrics');
    const rows = lines.slice(1).map(fields);
    assert.ok(rows.every((row) => row.length === header.length));
    assert.deepEqual(new Set(rows.map((row) => row[status])), new Set(['completed']));
    assert.deepEqual(rows.map((row) => row[seed]).sort(), ['1', '1', '1', '2', '2', '2']);
    assert.deepEqual(new Set(rows.map((row) => row[layers])), new Set(['[8,6,3]']));
    assert.deepEqual(json.runs.map((r: { status: string }) => r.status), ['completed', 'completed']);
    assert.equal(cli(['export', 'nowhere']).code, 2);
  });
});
