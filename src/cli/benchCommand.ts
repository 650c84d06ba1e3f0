/**
 * `plasticity-lab bench`: steps per second of each executor and backend on the online-learning
 * network (784-170-130-100-70-10, BP+Oja), side by side in one process, median of repeats, plus
 * the cost of one evaluation point. Numbers for BENCHMARKS.md; never asserted in tests.
 */
import { cpus } from 'node:os';
import Table from 'cli-table3';
import { parseExperiment } from '../engine/config/validate';
import type { ExperimentConfig } from '../engine/config/schema';
import { loadDataset } from '../engine/data/load';
import { availableBackends, initBackend, tfjsVersion, type BackendName } from '../engine/backend';
import { prepareRun } from '../engine/trainer';
import { OnlineExecutor } from '../engine/executors/online';
import { TfjsExecutor } from '../engine/executors/tfjs';
import { WasmOnlineExecutor, wasmOnlineAvailable } from '../engine/executors/wasmOnline';
import { onlineStepCost } from '../engine/executors/stepCost';
import { ojaPerLayer } from '../engine/model/params';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingExecutor } from '../engine/executors/executor';
import { Evaluator } from '../engine/diagnostics/evaluator';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureRerunLatency } from './benchRerun';
import { measureLockstep } from './benchLockstep';
import { measureSweepThroughput } from './benchSweep';
import { measureEpisodes } from './benchEpisodes';
import { measureMetaEpisode } from './benchMeta';
import { measureRecurrentUpdate, RECURRENT_BENCH } from './benchRecurrent';

export interface BenchOptions {
  repeats: number;
  /** Multiplies every case's step count (smaller for a quick look). */
  scale: number;
  json: boolean;
  layers?: number[];
  /** TensorFlow.js backends to measure (default: every one that loads). */
  backends?: BackendName[];
  /** The groups of cases to run (default: all). */
  only?: BenchCase[];
}

/** The groups of cases `bench --only` picks from. */
export const BENCH_CASES = ['online', 'episodes', 'meta', 'rnn', 'lockstep', 'backends', 'rerun', 'sweep'] as const;
export type BenchCase = (typeof BENCH_CASES)[number];

interface BenchRow {
  case: string;
  backend: BackendName | 'none';
  executor: string;
  batchSize: number;
  msPerStep: number;
  stepsPerSec: number;
  samplesPerSec: number;
  repeats: number[];
}

function benchConfig(batchSize: number, layers: number[], model: Record<string, unknown> = {}, rule: Record<string, unknown> = {}): ExperimentConfig {
  return parseExperiment({ name: 'bench', seed: 1, model: { layers, ...model }, rule: { learningRate: 0.01, oja: 0.001, ...rule }, training: { batchSize, steps: 1 } });
}

const MATMUL_SIZE = 1024;

/** What one core sustains on a large matrix product through the wasm backend (XNNPACK, SIMD). */
function largeMatMulGflops(repeats: number): number {
  const a = tf.randomUniform([MATMUL_SIZE, MATMUL_SIZE]);
  const b = tf.randomUniform([MATMUL_SIZE, MATMUL_SIZE]);
  const times: number[] = [];
  try {
    for (let r = 0; r <= repeats; r++) {
      const t0 = performance.now();
      const product = tf.matMul(a, b);
      product.dataSync(); // 4 MB read back, about 1% of the product's time
      product.dispose();
      if (r > 0) times.push(performance.now() - t0);
    }
  } finally {
    a.dispose();
    b.dispose();
  }
  return (2 * MATMUL_SIZE ** 3) / median(times) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeSteps(make: () => TrainingExecutor, steps: number, batchSize: number, trainCount: number, repeats: number): number[] {
  const results: number[] = [];
  const indices = new Uint32Array(batchSize);
  for (let r = 0; r < repeats; r++) {
    const executor = make();
    try {
      // Warm-up: first calls compile kernels and allocate buffers.
      for (let s = 0; s < Math.min(20, steps); s++) executor.step(indices.map((_, i) => (s * batchSize + i) % trainCount));
      executor.takeLoss();
      const t0 = performance.now();
      for (let s = 0; s < steps; s++) {
        for (let i = 0; i < batchSize; i++) indices[i] = (s * batchSize + i) % trainCount;
        executor.step(indices);
      }
      executor.takeLoss(); // waits for queued device work
      results.push((performance.now() - t0) / steps);
    } finally {
      executor.dispose();
    }
  }
  return results;
}

export async function benchCommand(options: BenchOptions): Promise<number> {
  const layers = options.layers ?? [784, 170, 130, 100, 70, 10];
  const rows: BenchRow[] = [];
  let matMulGflops: number | null = null;
  const scaled = (n: number) => Math.max(5, Math.round(n * options.scale));
  const wants = (group: BenchCase) => !options.only || options.only.includes(group);
  const online = benchConfig(1, layers);
  const dataset = loadDataset(online, { baseDir: process.cwd() });
  const row = (name: string, backend: BenchRow['backend'], executor: string, batchSize: number, ms: number[]): BenchRow => {
    const m = median(ms);
    return { case: name, backend, executor, batchSize, msPerStep: m, stepsPerSec: 1000 / m, samplesPerSec: (1000 * batchSize) / m, repeats: ms };
  };

  if (wants('online')) {
    const { params, feedback } = prepareRun(online);
    if (wasmOnlineAvailable(online)) {
      rows.push(row('train, batch 1', 'none', 'online (WebAssembly SIMD)', 1, timeSteps(() => new WasmOnlineExecutor(online, params, feedback, dataset.train), scaled(20000), 1, dataset.train.count, options.repeats)));
    }
    rows.push(row('train, batch 1', 'none', 'online-js (TypeScript)', 1, timeSteps(() => new OnlineExecutor(online, params, feedback, dataset.train), scaled(3000), 1, dataset.train.count, options.repeats)));
    // The options that cost the SIMD path an extra pass: Adam's per-weight moments, layer normalisation's
    // u = Wᵀy, the local terms' pass over the old weights.
    for (const [name, config] of [
      ['train, batch 1, Adam', benchConfig(1, layers, {}, { optimizer: 'adam', learningRate: 0.001 })],
      ['train, batch 1, layer norm', benchConfig(1, layers, { normalization: 'layer' })],
      ['train, batch 1, every local term', benchConfig(1, layers, {}, { terms: { errorHebbian: 0.001, ojaSingle: 0.0001, sanger: 0.0001, hebbian: 0.00001, decay: 0.00001 } })],
    ] as const) {
      const prepared = prepareRun(config);
      if (wasmOnlineAvailable(config)) {
        rows.push(row(name, 'none', 'online (WebAssembly SIMD)', 1, timeSteps(() => new WasmOnlineExecutor(config, prepared.params, prepared.feedback, dataset.train), scaled(10000), 1, dataset.train.count, options.repeats)));
      }
      rows.push(row(name, 'none', 'online-js (TypeScript)', 1, timeSteps(() => new OnlineExecutor(config, prepared.params, prepared.feedback, dataset.train), scaled(1500), 1, dataset.train.count, options.repeats)));
    }
  }
  // On the data-scarce preset's network whatever --layers says: that is the workload it stands for.
  const episodeBackend = await initBackend('auto');
  const episodes = wants('episodes') ? await measureEpisodes(dataset, episodeBackend, scaled(40), options.repeats) : [];
  const metaEpisode = wants('meta') ? await measureMetaEpisode(dataset, episodeBackend, options.repeats) : null;
  const recurrentMs = wants('rnn') ? measureRecurrentUpdate(scaled(300), options.repeats) : null;
  const cost = onlineStepCost(layers, ojaPerLayer(online));
  const lockstep = wants('lockstep') ? measureLockstep(dataset, layers, 16, scaled(2000), options.repeats) : null;
  const backends = wants('backends') ? await availableBackends() : [];
  for (const backend of backends.filter((b) => !options.backends || options.backends.includes(b))) {
    await initBackend(backend);
    const slow = backend === 'cpu';
    for (const batchSize of [1, 64]) {
      const config = benchConfig(batchSize, layers);
      const { params, feedback } = prepareRun(config);
      const steps = scaled(batchSize === 1 ? (slow ? 100 : 400) : slow ? 10 : 60);
      rows.push(row(`train, batch ${batchSize}`, backend, 'tfjs', batchSize, timeSteps(() => new TfjsExecutor(config, params, feedback, dataset.train), steps, batchSize, dataset.train.count, options.repeats)));
    }
    if (backend === 'wasm') matMulGflops = largeMatMulGflops(options.repeats);
    const { params } = prepareRun(online);
    const evaluator = new Evaluator(online, dataset.test, null);
    try {
      evaluator.evaluate(params);
      const times: number[] = [];
      for (let r = 0; r < options.repeats; r++) {
        const t0 = performance.now();
        evaluator.evaluate(params);
        times.push(performance.now() - t0);
      }
      rows.push(row(`evaluate ${dataset.test.count} test + ${online.training.probeSize} probe`, backend, 'tfjs', dataset.test.count, times));
    } finally {
      evaluator.dispose();
    }
  }

  const scratch = mkdtempSync(join(tmpdir(), 'plasticity-bench-'));
  const latency = wants('rerun') ? await measureRerunLatency(scratch, options.repeats) : null;
  const sweep = wants('sweep') ? await measureSweepThroughput(scratch, 8, scaled(4000), Math.min(options.repeats, 3)) : null;
  const onlineRows = rows.filter((r) => r.backend === 'none' && r.case === 'train, batch 1');
  const soloGflops = onlineRows[0] ? cost.flops / onlineRows[0].msPerStep / 1e6 : null;
  // Members share no weights, so batching them saves no arithmetic: at best every member-step runs at the large product's rate.
  const lockstepCeiling = soloGflops !== null && matMulGflops !== null ? matMulGflops / soloGflops : null;
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.versions.node, tfjs: tfjsVersion(), date: new Date().toISOString() };
  if (options.json) {
    const onlineStep = { flops: cost.flops, weightBytes: cost.weightBytes, gflopsByExecutor: Object.fromEntries(onlineRows.map((r) => [r.executor, cost.flops / r.msPerStep / 1e6])) };
    process.stdout.write(`${JSON.stringify({ network: layers, rule: 'BP+Oja (θ=0.001, η=0.01)', machine, rows, onlineStep, matMulGflops, lockstep, lockstepCeiling, sweep, rerunLatency: latency, episodes, metaEpisode, recurrent: recurrentMs ? { ...RECURRENT_BENCH, msPerSequence: recurrentMs } : null }, null, 2)}\n`);
    return 0;
  }
  const table = new Table({ head: ['case', 'backend', 'executor', 'ms/step', 'steps/s', 'samples/s'], style: { head: [], border: [] } });
  for (const r of rows) {
    table.push([r.case, r.backend, r.executor, r.msPerStep.toFixed(3), Math.round(r.stepsPerSec).toLocaleString('en-US'), Math.round(r.samplesPerSec).toLocaleString('en-US')]);
  }
  if (rows.length > 0) process.stdout.write(`network ${layers.join('-')}, BP+Oja, median of ${options.repeats}; ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, tfjs ${machine.tfjs}\n${table.toString()}\n`);
  if (onlineRows.length > 0) process.stdout.write(
    `one online step: ${(cost.flops / 1e6).toFixed(2)} MFLOP, ${(cost.weightBytes / 1e6).toFixed(2)} MB of weight traffic; achieved ` +
      onlineRows.map((r) => `${r.executor} ${(cost.flops / r.msPerStep / 1e6).toFixed(1)} GFLOP/s`).join(', ') +
      (matMulGflops !== null ? `; one core on a large product (wasm matMul ${MATMUL_SIZE}³): ${matMulGflops.toFixed(1)} GFLOP/s` : '') +
      '\n',
  );
  if (lockstep) {
    const sequential = median(lockstep.sequential);
    const together = median(lockstep.lockstep);
    process.stdout.write(
      `${lockstep.members}-member sweep, ${lockstep.steps} steps each, ms per member-step: one after another ${sequential.toFixed(3)}, ` +
        `in lockstep ${together.toFixed(3)} (per-member throughput ×${(sequential / together).toFixed(2)})` +
        (lockstepCeiling !== null ? `; ceiling for any batching over members on one core, large-product rate ÷ solo rate: ×${lockstepCeiling.toFixed(2)}` : '') +
        '\n',
    );
  }
  if (sweep) {
    const one = median(sweep.oneWorker);
    const all = median(sweep.allWorkers);
    process.stdout.write(
      `${sweep.members}-member sweep, ${sweep.stepsEach} steps each, through the worker pool (start-up included): ` +
        `1 worker ${one.toFixed(2)} s, ${sweep.workers} workers ${all.toFixed(2)} s (per-member throughput ×${(one / all).toFixed(2)})\n`,
    );
  }
  if (episodes.length > 0) {
    const episodeTable = new Table({ head: ['5-way episode', 'K', 'executor', 'episodes', 'ms/episode'], style: { head: [], border: [] } });
    for (const e of episodes) episodeTable.push([e.rule, e.shots, e.executor, e.episodes, median(e.msPerEpisode).toFixed(1)]);
    process.stdout.write(`few-shot episodes (a fresh network each, 10 queries per class, median of ${options.repeats}):\n${episodeTable.toString()}\n`);
  }
  if (metaEpisode) process.stdout.write(
    `one meta-episode (784-170-130-100-70-10, 5-way K = 50, FA + errorHebbian + Oja, exact gradient for 3 coefficients), ` +
      `seconds each within one meta-training run, after a first one left out: ` +
      (metaEpisode.simd.length > 0 ? `SIMD inner loop (${metaEpisode.simdBuild} build) median ${median(metaEpisode.simd).toFixed(3)} (${metaEpisode.simd.map((s) => s.toFixed(3)).join(', ')}); ` : 'no SIMD inner loop here; ') +
      `float64 reference median ${median(metaEpisode.reference).toFixed(2)} (${metaEpisode.reference.map((s) => s.toFixed(2)).join(', ')}); the same in PyTorch: bench/pytorch_meta.py\n`,
  );
  if (recurrentMs) {
    const show = (ms: number[]) => (ms.length > 0 ? `median ${median(ms).toFixed(3)} ms (${ms.map((m) => m.toFixed(3)).join(', ')})` : 'not available here');
    process.stdout.write(
      `one recurrent update (delayed recall, ${RECURRENT_BENCH.hidden} tanh units, T = ${RECURRENT_BENCH.steps}, BPTT + Oja on W_rec): ` +
        `SIMD ${show(recurrentMs.simd)}; float64 reference ${show(recurrentMs.reference)}; the same in PyTorch: bench/pytorch_rnn.py\n`,
    );
  }
  if (latency) process.stdout.write(
    `worker cold start (spawn, backend, bundled digits → ready): ${latency.coldStartMs.toFixed(0)} ms; its first point ${latency.firstPointColdMs.toFixed(0)} ms after the job was sent\n` +
      `rerun on a warm worker, request → first streamed point: median ${median(latency.firstPointWarmMs).toFixed(0)} ms (${latency.firstPointWarmMs.map((m) => m.toFixed(0)).join(', ')})\n`,
  );
  return 0;
}
