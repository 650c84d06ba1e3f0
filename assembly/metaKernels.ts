// Meta-learning's inner loop on WebAssembly SIMD (float32), compiled at build time twice
// (scripts/build.mjs → media/wasm/meta-kernels.wasm, and meta-kernels-fma.wasm with relaxed SIMD's
// fused multiply-add): one online step of the rule on each layer W, together with the tangents
// Ẇ_k = dW/dc_k of K learned coefficients, as the float64 reference (src/engine/meta/innerLoop.ts)
// computes them. The JavaScript side (src/engine/meta/wasmInnerLoop.ts) describes each layer once, in
// a block of i32 slots (the offsets below), and calls these per step.
//
// Like the online executor, each step's update is deferred to the next step's pass over the rows, so a
// row of W and of every Ẇ_k is brought into cache once per step: updated, multiplied with the input,
// and (once its output is known) added into Oja's back-projections while it is in L1. The deferred
// updates, with the previous step's vectors (suffix P) and per-row coefficients:
//   W_i  += α_i preP + β_i uP + γ_i ebP − s_i W_i
//   Ẇk_i += A preP + B ṗreP_k − C uP − D u̇P_k − E ebP − F ėbP_k − G W_i − H Ẇk_i   (W_i before its update)
// Rows are padded with zeros to a multiple of 8 floats; padded entries stay zero because every vector
// they are updated with is zero there.

import { TANH, SOFTPLUS, horizontalSum, activateVector, slopeVector, madd, rowDot } from './simdMath';

export function heapBase(): usize {
  return __heap_base;
}

// Slots of a layer's descriptor (i32 each; BETA is an f32).
const W = 0;
const W_DOT = 1;
const N_OUT = 2;
const STRIDE = 3;
const K_COUNT = 4;
const INPUT = 5;
const INPUT_DOT = 6;
const OUTPUT = 7;
const SLOPE = 8;
const CURVATURE = 9;
const Z_DOT = 10;
const OUTPUT_DOT = 11;
const OUT_STRIDE = 12;
const KIND = 13;
const BETA = 14;
const ACTIVATE = 15;
const FLAGS = 16;
const COEF_W = 17;
const COEF_T = 18;
const PRE_P = 19;
const PRE_DOT_P = 20;
const U_P = 21;
const U_DOT_P = 22;
const BELOW_P = 23;
const BELOW_DOT_P = 24;
const U = 25;
const U_DOT = 26;
const ERRORS = 27;
const SENT = 28;
const FEEDBACK = 29;
const RULE = 30;
const BELOW_DESC = 31;

// FLAGS bits: which pieces of the deferred updates this layer has.
const HAS_PRE_DOT = 1;
const HAS_BELOW = 2;
const HAS_U = 4;
const ROW_SCALE = 8;

@inline
function slot(d: usize, index: i32): usize {
  return <usize>load<i32>(d + (<usize>index << 2));
}

@inline
function count(d: usize, index: i32): i32 {
  return load<i32>(d + (<usize>index << 2));
}

/** Coefficient `field` of the block (fields outBytes apart) for the row at byte ib, in every lane. */
@inline
function coefficient(block: usize, field: i32, outBytes: usize, ib: usize): v128 {
  return v128.load32_splat(block + <usize>field * outBytes + ib);
}

@inline
function negated(block: usize, field: i32, outBytes: usize, ib: usize): v128 {
  return f32x4.neg(coefficient(block, field, outBytes, ib));
}

/** σ'' from y = σ(z) and s = σ'(z): softplus β s (1 − s), tanh −2 y s, 0 for relu and linear. */
@inline
function curvatureOf(y: f32, s: f32, kind: i32, beta: f32): f32 {
  if (kind == SOFTPLUS) return beta * s * (1 - s);
  if (kind == TANH) return -2 * y * s;
  return 0;
}

/**
 * One layer of a step (or of a query's forward pass, with `pending` and `accumulate` false): for
 * each row i, apply the deferred updates to Ẇk_i and W_i, then
 *   żk_i = Ẇk_i · a + W_i · ȧ_k,   z_i = W_i · a,
 * and for a hidden layer (ACTIVATE) y_i = σ(z_i), σ'_i, σ''_i, ẏk_i = σ'_i żk_i, and with
 * `accumulate` u += y_i W_i, u̇_k += ẏk_i W_i + y_i Ẇk_i. The output layer stores z in OUTPUT and
 * leaves the softmax and its back-projections (metaAccumulate) to the caller.
 */
export function metaForwardLayer(d: usize, pending: bool, accumulate: bool): void {
  const w = slot(d, W);
  const wDot = slot(d, W_DOT);
  const nOut = count(d, N_OUT);
  const rowBytes = slot(d, STRIDE) << 2;
  const K = count(d, K_COUNT);
  const a = slot(d, INPUT);
  const aDot = slot(d, INPUT_DOT);
  const zDot = slot(d, Z_DOT);
  const outBytes = slot(d, OUT_STRIDE) << 2;
  const activate = count(d, ACTIVATE) != 0;
  const flags = count(d, FLAGS);
  const hasU = (flags & HAS_U) != 0;
  const matBytes = <usize>nOut * rowBytes;
  if (accumulate && activate && hasU) {
    memory.fill(slot(d, U), 0, rowBytes);
    memory.fill(slot(d, U_DOT), 0, <usize>K * rowBytes);
  }
  for (let i = 0; i < nOut; i++) {
    const ib = <usize>i << 2;
    const row = w + <usize>i * rowBytes;
    const tRows = wDot + <usize>i * rowBytes;
    let k = 0;
    for (; k < K; k++) {
      const tRow = tRows + <usize>k * matBytes;
      const dot = pending ? updateTangentRow(d, k, tRow, row, ib, rowBytes, outBytes, flags, a) : rowDot(tRow, a, rowBytes);
      store<f32>(zDot + <usize>k * outBytes + ib, dot);
    }
    const z = pending ? updateWeightRow(d, row, ib, rowBytes, outBytes, flags, a) : rowDot(row, a, rowBytes);
    if (aDot) {
      let k = 0;
      for (; k + 1 < K; k += 2) rowDotPair(row, aDot + <usize>k * rowBytes, rowBytes, zDot + <usize>k * outBytes + ib, outBytes);
      if (k < K) {
        const at = zDot + <usize>k * outBytes + ib;
        store<f32>(at, load<f32>(at) + rowDot(row, aDot + <usize>k * rowBytes, rowBytes));
      }
    }
    if (!activate) {
      store<f32>(slot(d, OUTPUT) + ib, z);
      continue;
    }
    const kind = count(d, KIND);
    const beta = load<f32>(d + (BETA << 2));
    const betaV = f32x4.splat(beta);
    const y = f32x4.extract_lane(activateVector(f32x4.splat(z), kind, betaV), 0);
    const s = f32x4.extract_lane(slopeVector(f32x4.splat(y), kind, betaV), 0);
    store<f32>(slot(d, OUTPUT) + ib, y);
    store<f32>(slot(d, SLOPE) + ib, s);
    store<f32>(slot(d, CURVATURE) + ib, curvatureOf(y, s, kind, beta));
    for (let k = 0; k < K; k++) {
      const off = <usize>k * outBytes + ib;
      store<f32>(slot(d, OUTPUT_DOT) + off, s * load<f32>(zDot + off));
    }
    // Back-projections two rows at a time (each vector of u and u̇ loaded and stored once per pair):
    // an even row waits for the odd one after it, both still in L1.
    if (accumulate && hasU) {
      if (i & 1) accumulateRowPair(d, i - 1, row - rowBytes, rowBytes, outBytes, matBytes, K);
      else if (i == nOut - 1) accumulateRow(d, i, row, rowBytes, outBytes, matBytes, K);
    }
  }
}

/** Oja's back-projections of a layer whose outputs were set by the caller (the softmax layer): u = Wᵀy, u̇_k = Wᵀẏ_k + Ẇ_kᵀy. */
export function metaAccumulate(d: usize): void {
  const nOut = count(d, N_OUT);
  const rowBytes = slot(d, STRIDE) << 2;
  const K = count(d, K_COUNT);
  const outBytes = slot(d, OUT_STRIDE) << 2;
  const matBytes = <usize>nOut * rowBytes;
  memory.fill(slot(d, U), 0, rowBytes);
  memory.fill(slot(d, U_DOT), 0, <usize>K * rowBytes);
  for (let i = 0; i < nOut; i++) accumulateRow(d, i, slot(d, W) + <usize>i * rowBytes, rowBytes, outBytes, matBytes, K);
}

/**
 * The error signals below layer d (above the first), from its own ([e, ė_0 …] in ERRORS):
 *   g = Bᵀe, ġ_k = Bᵀė_k (+ Ẇ_kᵀe with backprop, where B is W itself) into SENT, then for the layer below
 *   e = g ⊙ σ',  ė_k = ġ_k ⊙ σ' + g ⊙ σ'' ⊙ ż_k  into its ERRORS.
 */
export function metaBackward(d: usize): void {
  const nOut = count(d, N_OUT);
  const rowBytes = slot(d, STRIDE) << 2;
  const K = count(d, K_COUNT);
  const outBytes = slot(d, OUT_STRIDE) << 2;
  const errors = slot(d, ERRORS);
  const sent = slot(d, SENT);
  const feedback = slot(d, FEEDBACK);
  transposedProducts(feedback, nOut, rowBytes, errors, 1 + K, outBytes, sent, rowBytes, false);
  if (feedback == slot(d, W)) {
    const matBytes = <usize>nOut * rowBytes;
    for (let k = 0; k < K; k++) transposedProducts(slot(d, W_DOT) + <usize>k * matBytes, nOut, rowBytes, errors, 1, 0, sent + <usize>(1 + k) * rowBytes, 0, true);
  }
  const below = slot(d, BELOW_DESC);
  const slope = slot(below, SLOPE);
  const curvature = slot(below, CURVATURE);
  const zDot = slot(below, Z_DOT);
  const out = slot(below, ERRORS);
  for (let j: usize = 0; j < rowBytes; j += 16) {
    const g = v128.load(sent + j);
    const s = v128.load(slope + j);
    const gc = f32x4.mul(g, v128.load(curvature + j));
    v128.store(out + j, f32x4.mul(g, s));
    for (let k = 0; k < K; k++) {
      const kv = <usize>k * rowBytes;
      v128.store(out + rowBytes + kv + j, madd(v128.load(sent + rowBytes + kv + j), s, f32x4.mul(gc, v128.load(zDot + kv + j))));
    }
  }
}

/**
 * The step's update of layer d and of its tangents as per-row coefficients (COEF_W, COEF_T; see the
 * top of this file), four rows at a time, and the vectors they multiply copied aside for the next
 * pass. RULE holds the layer's η, θ, c_eH, c_os, c_h, c_d (0 where a term does not act), then per
 * tangent the 0/1 weights of its own term: ∂/∂η, ∂/∂θ, ∂/∂c_eH, ∂/∂c_os, ∂/∂c_h, ∂/∂c_d.
 */
export function metaDefer(d: usize): void {
  const K = count(d, K_COUNT);
  const outBytes = slot(d, OUT_STRIDE) << 2;
  const rowBytes = slot(d, STRIDE) << 2;
  const rule = slot(d, RULE);
  const eta = v128.load32_splat(rule);
  const theta = v128.load32_splat(rule, 4);
  const eH = v128.load32_splat(rule, 8);
  const os = v128.load32_splat(rule, 12);
  const along = f32x4.splat(load<f32>(rule, 4) + load<f32>(rule, 12) + load<f32>(rule, 16));
  const dc = v128.load32_splat(rule, 20);
  const y = slot(d, OUTPUT);
  const yDot = slot(d, OUTPUT_DOT);
  const errors = slot(d, ERRORS);
  const coefW = slot(d, COEF_W);
  const coefT = slot(d, COEF_T);
  for (let ib: usize = 0; ib < outBytes; ib += 16) {
    const yv = v128.load(y + ib);
    const ev = v128.load(errors + ib);
    const ySq = f32x4.mul(yv, yv);
    const B = f32x4.sub(f32x4.mul(along, yv), f32x4.mul(eta, ev));
    const D = f32x4.mul(theta, yv);
    const F = f32x4.mul(eH, ev);
    const H = madd(os, ySq, dc);
    v128.store(coefW + ib, B);
    v128.store(coefW + outBytes + ib, f32x4.neg(D));
    v128.store(coefW + 2 * outBytes + ib, f32x4.neg(F));
    v128.store(coefW + 3 * outBytes + ib, H);
    for (let k = 0; k < K; k++) {
      const own = rule + 24 + <usize>k * 24;
      const dE = v128.load32_splat(own);
      const dO = v128.load32_splat(own, 4);
      const dEH = v128.load32_splat(own, 8);
      const dOS = v128.load32_splat(own, 12);
      const dH = v128.load32_splat(own, 16);
      const dD = v128.load32_splat(own, 20);
      const ydv = v128.load(yDot + <usize>k * outBytes + ib);
      const edv = v128.load(errors + <usize>(1 + k) * outBytes + ib);
      const block = coefT + <usize>k * 8 * outBytes + ib;
      const A = f32x4.sub(
        f32x4.add(f32x4.sub(f32x4.mul(along, ydv), f32x4.mul(eta, edv)), f32x4.mul(f32x4.add(f32x4.add(dO, dOS), dH), yv)),
        f32x4.mul(dE, ev),
      );
      v128.store(block, A);
      v128.store(block + outBytes, B);
      v128.store(block + 2 * outBytes, f32x4.add(f32x4.mul(theta, ydv), f32x4.mul(dO, yv)));
      v128.store(block + 3 * outBytes, D);
      v128.store(block + 4 * outBytes, f32x4.add(f32x4.mul(eH, edv), f32x4.mul(dEH, ev)));
      v128.store(block + 5 * outBytes, F);
      v128.store(block + 6 * outBytes, f32x4.add(f32x4.add(f32x4.mul(f32x4.add(os, os), f32x4.mul(yv, ydv)), f32x4.mul(dOS, ySq)), dD));
      v128.store(block + 7 * outBytes, H);
    }
  }
  const flags = count(d, FLAGS);
  memory.copy(slot(d, PRE_P), slot(d, INPUT), rowBytes);
  if (flags & HAS_PRE_DOT) memory.copy(slot(d, PRE_DOT_P), slot(d, INPUT_DOT), <usize>K * rowBytes);
  if (flags & HAS_U) {
    memory.copy(slot(d, U_P), slot(d, U), rowBytes);
    memory.copy(slot(d, U_DOT_P), slot(d, U_DOT), <usize>K * rowBytes);
  }
  if (flags & HAS_BELOW) memory.copy(slot(d, BELOW_P), slot(slot(d, BELOW_DESC), ERRORS), <usize>(1 + K) * rowBytes);
}

/**
 * out_c = Mᵀ s_c (or += with `add`) for `vectors` vectors s_c (`sBytes` apart) and out_c (`outBytes`
 * apart), in one pass over M's rows (nOut × rowBytes).
 */
function transposedProducts(m: usize, nOut: i32, rowBytes: usize, s: usize, vectors: i32, sBytes: usize, out: usize, outBytes: usize, add: bool): void {
  if (!add) for (let c = 0; c < vectors; c++) memory.fill(out + <usize>c * outBytes, 0, rowBytes);
  for (let i = 0; i < nOut; i++) {
    const row = m + <usize>i * rowBytes;
    for (let c = 0; c < vectors; c++) {
      const si = load<f32>(s + <usize>c * sBytes + (<usize>i << 2));
      if (si == 0) continue;
      const sv = f32x4.splat(si);
      const o = out + <usize>c * outBytes;
      for (let j: usize = 0; j < rowBytes; j += 16) v128.store(o + j, madd(sv, v128.load(row + j), v128.load(o + j)));
    }
  }
}

/** Adds row · b0 and row · b1 (b1 = b0 + rowBytes) to the values at `at` and `at + outBytes`. */
@inline
function rowDotPair(row: usize, b0: usize, rowBytes: usize, at: usize, outBytes: usize): void {
  const b1 = b0 + rowBytes;
  // Two accumulators per sum: the adds' latency, not the loads, would bound one.
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let acc2 = f32x4.splat(0);
  let acc3 = f32x4.splat(0);
  for (let j: usize = 0; j < rowBytes; j += 32) {
    const w0 = v128.load(row + j);
    const w1 = v128.load(row + j, 16);
    acc0 = madd(w0, v128.load(b0 + j), acc0);
    acc1 = madd(w0, v128.load(b1 + j), acc1);
    acc2 = madd(w1, v128.load(b0 + j, 16), acc2);
    acc3 = madd(w1, v128.load(b1 + j, 16), acc3);
  }
  store<f32>(at, load<f32>(at) + horizontalSum(f32x4.add(acc0, acc2)));
  store<f32>(at + outBytes, load<f32>(at + outBytes) + horizontalSum(f32x4.add(acc1, acc3)));
}

/** Ẇk_i's deferred update (reading W_i before its own), in place; returns the updated row · a. */
@inline
function updateTangentRow(d: usize, k: i32, tRow: usize, row: usize, ib: usize, rowBytes: usize, outBytes: usize, flags: i32, a: usize): f32 {
  const block = slot(d, COEF_T) + <usize>k * 8 * outBytes;
  const kv = <usize>k * rowBytes;
  const A = coefficient(block, 0, outBytes, ib);
  const B = coefficient(block, 1, outBytes, ib);
  const nC = negated(block, 2, outBytes, ib);
  const nD = negated(block, 3, outBytes, ib);
  const nE = negated(block, 4, outBytes, ib);
  const nF = negated(block, 5, outBytes, ib);
  const preP = slot(d, PRE_P);
  const preDotP = slot(d, PRE_DOT_P) + kv;
  const uP = slot(d, U_P);
  const uDotP = slot(d, U_DOT_P) + kv;
  const belowP = slot(d, BELOW_P);
  const belowDotP = slot(d, BELOW_DOT_P) + kv;
  let acc = f32x4.splat(0);
  if (flags == HAS_U) {
    // The first layer's usual case with an odd tangent out: its own loop, no branches.
    let accH = f32x4.splat(0);
    for (let j: usize = 0; j < rowBytes; j += 32) {
      const next = madd(nD, v128.load(uDotP + j), madd(nC, v128.load(uP + j), madd(A, v128.load(preP + j), v128.load(tRow + j))));
      v128.store(tRow + j, next);
      acc = madd(next, v128.load(a + j), acc);
      const nextH = madd(nD, v128.load(uDotP + j, 16), madd(nC, v128.load(uP + j, 16), madd(A, v128.load(preP + j, 16), v128.load(tRow + j, 16))));
      v128.store(tRow + j, nextH, 16);
      accH = madd(nextH, v128.load(a + j, 16), accH);
    }
    return horizontalSum(f32x4.add(acc, accH));
  }
  if (flags == (HAS_PRE_DOT | HAS_BELOW | HAS_U)) {
    // A hidden layer's usual case with errorHebbian and Oja's term: its own loop, no branches.
    let accH = f32x4.splat(0);
    for (let j: usize = 0; j < rowBytes; j += 32) {
      let next = madd(A, v128.load(preP + j), v128.load(tRow + j));
      next = madd(B, v128.load(preDotP + j), next);
      next = madd(nC, v128.load(uP + j), next);
      next = madd(nD, v128.load(uDotP + j), next);
      next = madd(nE, v128.load(belowP + j), next);
      next = madd(nF, v128.load(belowDotP + j), next);
      v128.store(tRow + j, next);
      acc = madd(next, v128.load(a + j), acc);
      let nextH = madd(A, v128.load(preP + j, 16), v128.load(tRow + j, 16));
      nextH = madd(B, v128.load(preDotP + j, 16), nextH);
      nextH = madd(nC, v128.load(uP + j, 16), nextH);
      nextH = madd(nD, v128.load(uDotP + j, 16), nextH);
      nextH = madd(nE, v128.load(belowP + j, 16), nextH);
      nextH = madd(nF, v128.load(belowDotP + j, 16), nextH);
      v128.store(tRow + j, nextH, 16);
      accH = madd(nextH, v128.load(a + j, 16), accH);
    }
    return horizontalSum(f32x4.add(acc, accH));
  }
  const nG = negated(block, 6, outBytes, ib);
  const nH = negated(block, 7, outBytes, ib);
  const hasPreDot = (flags & HAS_PRE_DOT) != 0;
  const hasBelow = (flags & HAS_BELOW) != 0;
  const hasU = (flags & HAS_U) != 0;
  const rowScale = (flags & ROW_SCALE) != 0;
  for (let j: usize = 0; j < rowBytes; j += 16) {
    const old = v128.load(tRow + j);
    let next = madd(A, v128.load(preP + j), old);
    if (hasPreDot) next = madd(B, v128.load(preDotP + j), next);
    if (hasU) next = madd(nD, v128.load(uDotP + j), madd(nC, v128.load(uP + j), next));
    if (hasBelow) next = madd(nF, v128.load(belowDotP + j), madd(nE, v128.load(belowP + j), next));
    if (rowScale) next = madd(nH, old, madd(nG, v128.load(row + j), next));
    v128.store(tRow + j, next);
    acc = madd(next, v128.load(a + j), acc);
  }
  return horizontalSum(acc);
}

/** W_i's deferred update, in place; returns the updated row · a. */
@inline
function updateWeightRow(d: usize, row: usize, ib: usize, rowBytes: usize, outBytes: usize, flags: i32, a: usize): f32 {
  const block = slot(d, COEF_W);
  const alpha = coefficient(block, 0, outBytes, ib);
  const beta = coefficient(block, 1, outBytes, ib);
  const gamma = coefficient(block, 2, outBytes, ib);
  const nShrink = negated(block, 3, outBytes, ib);
  const hasBelow = (flags & HAS_BELOW) != 0;
  const rowScale = (flags & ROW_SCALE) != 0;
  const preP = slot(d, PRE_P);
  const uP = slot(d, U_P);
  const belowP = slot(d, BELOW_P);
  let acc = f32x4.splat(0);
  let accH = f32x4.splat(0);
  for (let j: usize = 0; j < rowBytes; j += 32) {
    const old = v128.load(row + j);
    const oldH = v128.load(row + j, 16);
    // β uP is there whenever Oja's term is (β = 0 without it, and uP is then zero too).
    let next = madd(beta, v128.load(uP + j), madd(alpha, v128.load(preP + j), old));
    let nextH = madd(beta, v128.load(uP + j, 16), madd(alpha, v128.load(preP + j, 16), oldH));
    if (hasBelow) {
      next = madd(gamma, v128.load(belowP + j), next);
      nextH = madd(gamma, v128.load(belowP + j, 16), nextH);
    }
    // W − sW, not (1 − s)W, as the online executor does (1 − s would round a small s).
    if (rowScale) {
      next = madd(nShrink, old, next);
      nextH = madd(nShrink, oldH, nextH);
    }
    v128.store(row + j, next);
    v128.store(row + j, nextH, 16);
    acc = madd(next, v128.load(a + j), acc);
    accH = madd(nextH, v128.load(a + j, 16), accH);
  }
  return horizontalSum(f32x4.add(acc, accH));
}

/**
 * u += y_i W_i and u̇_k += ẏk_i W_i + y_i Ẇk_i, for row i (in cache from the pass that just updated
 * it): u with the first two tangents in one pass over the row, then the others two at a time.
 */
@inline
function accumulateRow(d: usize, i: i32, row: usize, rowBytes: usize, outBytes: usize, matBytes: usize, K: i32): void {
  const ib = <usize>i << 2;
  const yv = v128.load32_splat(slot(d, OUTPUT) + ib);
  const u = slot(d, U);
  const uDot = slot(d, U_DOT);
  const outputDot = slot(d, OUTPUT_DOT) + ib;
  const tRow = slot(d, W_DOT) + (row - slot(d, W));
  let k = 0;
  if (K >= 2) {
    const y0 = v128.load32_splat(outputDot);
    const y1 = v128.load32_splat(outputDot + outBytes);
    const t0 = tRow;
    const t1 = tRow + matBytes;
    const u0 = uDot;
    const u1 = uDot + rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const wv = v128.load(row + j);
      v128.store(u + j, madd(yv, wv, v128.load(u + j)));
      v128.store(u0 + j, madd(yv, v128.load(t0 + j), madd(y0, wv, v128.load(u0 + j))));
      v128.store(u1 + j, madd(yv, v128.load(t1 + j), madd(y1, wv, v128.load(u1 + j))));
    }
    k = 2;
  } else {
    for (let j: usize = 0; j < rowBytes; j += 16) v128.store(u + j, madd(yv, v128.load(row + j), v128.load(u + j)));
  }
  for (; k + 1 < K; k += 2) {
    const y0 = v128.load32_splat(outputDot + <usize>k * outBytes);
    const y1 = v128.load32_splat(outputDot + <usize>(k + 1) * outBytes);
    const t0 = tRow + <usize>k * matBytes;
    const t1 = t0 + matBytes;
    const u0 = uDot + <usize>k * rowBytes;
    const u1 = u0 + rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const wv = v128.load(row + j);
      v128.store(u0 + j, madd(yv, v128.load(t0 + j), madd(y0, wv, v128.load(u0 + j))));
      v128.store(u1 + j, madd(yv, v128.load(t1 + j), madd(y1, wv, v128.load(u1 + j))));
    }
  }
  if (k < K) {
    const y0 = v128.load32_splat(outputDot + <usize>k * outBytes);
    const t0 = tRow + <usize>k * matBytes;
    const u0 = uDot + <usize>k * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) v128.store(u0 + j, madd(yv, v128.load(t0 + j), madd(y0, v128.load(row + j), v128.load(u0 + j))));
  }
}

/** accumulateRow for rows i and i+1 together (row is row i's address). */
@inline
function accumulateRowPair(d: usize, i: i32, row: usize, rowBytes: usize, outBytes: usize, matBytes: usize, K: i32): void {
  const ib = <usize>i << 2;
  const y = slot(d, OUTPUT) + ib;
  const ya = v128.load32_splat(y);
  const yb = v128.load32_splat(y, 4);
  const u = slot(d, U);
  const uDot = slot(d, U_DOT);
  const outputDot = slot(d, OUTPUT_DOT) + ib;
  const tRow = slot(d, W_DOT) + (row - slot(d, W));
  const rowB = row + rowBytes;
  let k = 0;
  if (K >= 2) {
    const y0a = v128.load32_splat(outputDot);
    const y0b = v128.load32_splat(outputDot, 4);
    const y1a = v128.load32_splat(outputDot + outBytes);
    const y1b = v128.load32_splat(outputDot + outBytes, 4);
    const t0 = tRow;
    const t1 = tRow + matBytes;
    const u0 = uDot;
    const u1 = uDot + rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const wa = v128.load(row + j);
      const wb = v128.load(rowB + j);
      v128.store(u + j, madd(yb, wb, madd(ya, wa, v128.load(u + j))));
      v128.store(u0 + j, madd(yb, v128.load(t0 + rowBytes + j), madd(y0b, wb, madd(ya, v128.load(t0 + j), madd(y0a, wa, v128.load(u0 + j))))));
      v128.store(u1 + j, madd(yb, v128.load(t1 + rowBytes + j), madd(y1b, wb, madd(ya, v128.load(t1 + j), madd(y1a, wa, v128.load(u1 + j))))));
    }
    k = 2;
  } else {
    for (let j: usize = 0; j < rowBytes; j += 16) v128.store(u + j, madd(yb, v128.load(rowB + j), madd(ya, v128.load(row + j), v128.load(u + j))));
  }
  for (; k < K; k++) {
    const y0a = v128.load32_splat(outputDot + <usize>k * outBytes);
    const y0b = v128.load32_splat(outputDot + <usize>k * outBytes, 4);
    const t0 = tRow + <usize>k * matBytes;
    const u0 = uDot + <usize>k * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      v128.store(u0 + j, madd(yb, v128.load(t0 + rowBytes + j), madd(y0b, v128.load(rowB + j), madd(ya, v128.load(t0 + j), madd(y0a, v128.load(row + j), v128.load(u0 + j))))));
    }
  }
}

/**
 * A layer's forward pass for four query samples at once (no updates pending): each row of W and of
 * every Ẇ_k is loaded once for the four. x: the samples' inputs (rowBytes apart); xDot: their input
 * tangents, sample-major (K vectors each, rowBytes apart), or 0 for the first layer; y, yDot, zDot:
 * their outputs, output tangents and tangents of z, likewise with the layer's output stride. The
 * output layer leaves z in y (the caller's softmax) and ż in zDot.
 */
export function metaQueryLayer(d: usize, x: usize, xDot: usize, y: usize, yDot: usize, zDot: usize): void {
  const w = slot(d, W);
  const wDot = slot(d, W_DOT);
  const nOut = count(d, N_OUT);
  const rowBytes = slot(d, STRIDE) << 2;
  const K = count(d, K_COUNT);
  const outBytes = slot(d, OUT_STRIDE) << 2;
  const activate = count(d, ACTIVATE) != 0;
  const kind = count(d, KIND);
  const beta = load<f32>(d + (BETA << 2));
  const betaV = f32x4.splat(beta);
  const matBytes = <usize>nOut * rowBytes;
  const inSample = <usize>K * rowBytes;
  const outSample = <usize>K * outBytes;
  for (let i = 0; i < nOut; i++) {
    const ib = <usize>i << 2;
    const row = w + <usize>i * rowBytes;
    // z for the four samples, one lane each.
    const z = dotFour(row, x, rowBytes);
    for (let k = 0; k < K; k++) {
      let zd = dotFour(wDot + <usize>k * matBytes + <usize>i * rowBytes, x, rowBytes);
      if (xDot) {
        const lanes = f32x4(
          rowDot(row, xDot + <usize>k * rowBytes, rowBytes),
          rowDot(row, xDot + inSample + <usize>k * rowBytes, rowBytes),
          rowDot(row, xDot + 2 * inSample + <usize>k * rowBytes, rowBytes),
          rowDot(row, xDot + 3 * inSample + <usize>k * rowBytes, rowBytes),
        );
        zd = f32x4.add(zd, lanes);
      }
      storeLanes(zDot + <usize>k * outBytes + ib, outSample, zd);
    }
    if (!activate) {
      storeLanes(y + ib, outBytes, z);
      continue;
    }
    const yv = activateVector(z, kind, betaV);
    const s = slopeVector(yv, kind, betaV);
    storeLanes(y + ib, outBytes, yv);
    for (let k = 0; k < K; k++) storeLanes(yDot + <usize>k * outBytes + ib, outSample, f32x4.mul(s, loadLanes(zDot + <usize>k * outBytes + ib, outSample)));
  }
}

/** row · x_s for the four samples x_s (rowBytes apart), one per lane. */
@inline
function dotFour(row: usize, x: usize, rowBytes: usize): v128 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  for (let j: usize = 0; j < rowBytes; j += 16) {
    const wv = v128.load(row + j);
    a0 = madd(wv, v128.load(x + j), a0);
    a1 = madd(wv, v128.load(x + rowBytes + j), a1);
    a2 = madd(wv, v128.load(x + 2 * rowBytes + j), a2);
    a3 = madd(wv, v128.load(x + 3 * rowBytes + j), a3);
  }
  return f32x4(horizontalSum(a0), horizontalSum(a1), horizontalSum(a2), horizontalSum(a3));
}

/** Lane s of v to at + s·gap. */
@inline
function storeLanes(at: usize, gap: usize, v: v128): void {
  store<f32>(at, f32x4.extract_lane(v, 0));
  store<f32>(at + gap, f32x4.extract_lane(v, 1));
  store<f32>(at + 2 * gap, f32x4.extract_lane(v, 2));
  store<f32>(at + 3 * gap, f32x4.extract_lane(v, 3));
}

@inline
function loadLanes(at: usize, gap: usize): v128 {
  return f32x4(load<f32>(at), load<f32>(at + gap), load<f32>(at + 2 * gap), load<f32>(at + 3 * gap));
}
