// Batch-1 kernels for the online executor, compiled to WebAssembly SIMD at build time
// (scripts/build.mjs → media/wasm/online-kernels.wasm). Pointers are byte offsets into this module's
// memory; the JavaScript side (src/engine/executors/wasmOnline.ts) lays everything out above
// heapBase(). Every row is padded with zeros to a multiple of 8 floats, so loops need no tails:
// padded weights stay zero because the padded entries of every vector they are updated with are zero.

import { LINEAR, RELU, TANH, SOFTPLUS, horizontalSum, activateVector, slopeVector } from './simdMath';

export function heapBase(): usize {
  return __heap_base;
}

/** g_k ·= σ'(z_k), given y_k = σ(z_k), for `floats` values (a multiple of 4; padding is zero in g). */
export function scaleBySlope(g: usize, y: usize, floats: i32, kind: i32, beta: f32): void {
  if (kind == LINEAR) return;
  const betaV = f32x4.splat(beta);
  for (let b: usize = 0; b < (<usize>floats << 2); b += 16) v128.store(g + b, f32x4.mul(v128.load(g + b), slopeVector(v128.load(y + b), kind, betaV)));
}


/**
 * Row i of W: applies the deferred update (when `pending`; the uPrev term only when `hasBeta`),
 *   W_i += alpha_i · aPrev + beta_i · uPrev,
 * and returns W_i · a (+ bias_i), in one pass over the row.
 */
@inline
function updateAndDot(
  row: usize, rowBytes: usize, i: i32, a: usize, bias: usize, pending: bool, alpha: usize, betas: usize, aPrev: usize, hasBeta: bool, uPrev: usize,
): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  if (pending && hasBeta) {
    const al = f32x4.splat(load<f32>(alpha + (<usize>i << 2)));
    const be = f32x4.splat(load<f32>(betas + (<usize>i << 2)));
    for (let j: usize = 0; j < rowBytes; j += 32) {
      let w0 = v128.load(row + j);
      let w1 = v128.load(row + j, 16);
      w0 = f32x4.add(w0, f32x4.add(f32x4.mul(al, v128.load(aPrev + j)), f32x4.mul(be, v128.load(uPrev + j))));
      w1 = f32x4.add(w1, f32x4.add(f32x4.mul(al, v128.load(aPrev + j, 16)), f32x4.mul(be, v128.load(uPrev + j, 16))));
      v128.store(row + j, w0);
      v128.store(row + j, w1, 16);
      acc0 = f32x4.add(acc0, f32x4.mul(w0, v128.load(a + j)));
      acc1 = f32x4.add(acc1, f32x4.mul(w1, v128.load(a + j, 16)));
    }
  } else if (pending) {
    const al = f32x4.splat(load<f32>(alpha + (<usize>i << 2)));
    for (let j: usize = 0; j < rowBytes; j += 32) {
      let w0 = v128.load(row + j);
      let w1 = v128.load(row + j, 16);
      w0 = f32x4.add(w0, f32x4.mul(al, v128.load(aPrev + j)));
      w1 = f32x4.add(w1, f32x4.mul(al, v128.load(aPrev + j, 16)));
      v128.store(row + j, w0);
      v128.store(row + j, w1, 16);
      acc0 = f32x4.add(acc0, f32x4.mul(w0, v128.load(a + j)));
      acc1 = f32x4.add(acc1, f32x4.mul(w1, v128.load(a + j, 16)));
    }
  } else {
    for (let j: usize = 0; j < rowBytes; j += 32) {
      acc0 = f32x4.add(acc0, f32x4.mul(v128.load(row + j), v128.load(a + j)));
      acc1 = f32x4.add(acc1, f32x4.mul(v128.load(row + j, 16), v128.load(a + j, 16)));
    }
  }
  const z = horizontalSum(f32x4.add(acc0, acc1));
  return bias ? z + load<f32>(bias + (<usize>i << 2)) : z;
}

/**
 * One layer's forward pass, fused with the update deferred from the previous step and with Oja's
 * back-projection, in a single pass over W (row-major, `stride` floats per row):
 *   W_i += alpha_i · aPrev + beta_i · uPrev       (when `pending`; uPrev only when `hasBeta`)
 *   out_i = σ(W_i · a + bias_i)
 *   u += out_i · W_i                              (when `u` ≠ 0; u must be zeroed by the caller)
 * Rows go four at a time, so σ is one vector operation per four rows; their u contributions
 * reuse the rows while they are still in L1.
 */
export function forwardLayer(
  w: usize, nOut: i32, stride: i32, a: usize, bias: usize, out: usize, kind: i32, beta: f32,
  pending: bool, alpha: usize, betas: usize, aPrev: usize, hasBeta: bool, uPrev: usize, u: usize,
): void {
  const rowBytes = <usize>stride << 2;
  const betaV = f32x4.splat(beta);
  let i = 0;
  for (; i + 4 <= nOut; i += 4) {
    const row = w + <usize>i * rowBytes;
    let z = f32x4.splat(updateAndDot(row, rowBytes, i, a, bias, pending, alpha, betas, aPrev, hasBeta, uPrev));
    z = f32x4.replace_lane(z, 1, updateAndDot(row + rowBytes, rowBytes, i + 1, a, bias, pending, alpha, betas, aPrev, hasBeta, uPrev));
    z = f32x4.replace_lane(z, 2, updateAndDot(row + 2 * rowBytes, rowBytes, i + 2, a, bias, pending, alpha, betas, aPrev, hasBeta, uPrev));
    z = f32x4.replace_lane(z, 3, updateAndDot(row + 3 * rowBytes, rowBytes, i + 3, a, bias, pending, alpha, betas, aPrev, hasBeta, uPrev));
    const y = activateVector(z, kind, betaV);
    v128.store(out + (<usize>i << 2), y);
    if (u) {
      accumulateRow(row, f32x4.extract_lane(y, 0), u, rowBytes);
      accumulateRow(row + rowBytes, f32x4.extract_lane(y, 1), u, rowBytes);
      accumulateRow(row + 2 * rowBytes, f32x4.extract_lane(y, 2), u, rowBytes);
      accumulateRow(row + 3 * rowBytes, f32x4.extract_lane(y, 3), u, rowBytes);
    }
  }
  for (; i < nOut; i++) {
    const row = w + <usize>i * rowBytes;
    const y = f32x4.extract_lane(activateVector(f32x4.splat(updateAndDot(row, rowBytes, i, a, bias, pending, alpha, betas, aPrev, hasBeta, uPrev)), kind, betaV), 0);
    store<f32>(out + (<usize>i << 2), y);
    if (u) accumulateRow(row, y, u, rowBytes);
  }
}

/** u += s · row over `bytes` bytes. */
@inline
function accumulateRow(row: usize, s: f32, u: usize, bytes: usize): void {
  const sv = f32x4.splat(s);
  for (let j: usize = 0; j < bytes; j += 32) {
    v128.store(u + j, f32x4.add(v128.load(u + j), f32x4.mul(sv, v128.load(row + j))));
    v128.store(u + j, f32x4.add(v128.load(u + j, 16), f32x4.mul(sv, v128.load(row + j, 16))), 16);
  }
}

/** out = Mᵀ s (M row-major nOut × stride): zeroes `out`, then adds s_i · M_i for every row. */
export function transposedProduct(m: usize, nOut: i32, stride: i32, s: usize, out: usize): void {
  const rowBytes = <usize>stride << 2;
  memory.fill(out, 0, rowBytes);
  for (let i = 0; i < nOut; i++) {
    const si = load<f32>(s + (<usize>i << 2));
    if (si != 0) accumulateRow(m + <usize>i * rowBytes, si, out, rowBytes);
  }
}

/**
 * W_i += alpha_i · aPrev + beta_i · uPrev for every row: a deferred update applied on its own, with
 * the same arithmetic as forwardLayer's fused version, so when it happens does not change the numbers.
 */
export function applyUpdate(
  w: usize, nOut: i32, stride: i32, alpha: usize, betas: usize, aPrev: usize, hasBeta: bool, uPrev: usize,
): void {
  const rowBytes = <usize>stride << 2;
  for (let i = 0; i < nOut; i++) {
    const row = w + <usize>i * rowBytes;
    const al = f32x4.splat(load<f32>(alpha + (<usize>i << 2)));
    const be = f32x4.splat(hasBeta ? load<f32>(betas + (<usize>i << 2)) : 0);
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const step = hasBeta
        ? f32x4.add(f32x4.mul(al, v128.load(aPrev + j)), f32x4.mul(be, v128.load(uPrev + j)))
        : f32x4.mul(al, v128.load(aPrev + j));
      v128.store(row + j, f32x4.add(v128.load(row + j), step));
    }
  }
}


/**
 * Adam on the error term, every row (row-major nOut × stride): g_ij = e_i a_j, then
 *   m = β₁m + (1 − β₁)g,  v = β₂v + (1 − β₂)g²,  W_ij −= η (m/c₁) / (√(v/c₂) + ε),
 * with 1/c₁ and 1/c₂ (c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ) passed in: one division per four weights, not three. Padded entries of a are zero, so their g, m, v
 * and step stay zero. Returns the sum of the squared steps (for the Oja-to-update ratio).
 */
export function adamUpdate(
  w: usize, m: usize, v: usize, nOut: i32, stride: i32, e: usize, a: usize, beta1: f32, beta2: f32, invC1: f32, invC2: f32, eta: f32, epsilon: f32,
): f32 {
  let squares = f32x4.splat(0);
  const rowBytes = <usize>stride << 2;
  const b1 = f32x4.splat(beta1);
  const ob1 = f32x4.splat(1 - beta1);
  const b2 = f32x4.splat(beta2);
  const ob2 = f32x4.splat(1 - beta2);
  const c1v = f32x4.splat(invC1);
  const c2v = f32x4.splat(invC2);
  const etaV = f32x4.splat(eta);
  const epsV = f32x4.splat(epsilon);
  for (let i = 0; i < nOut; i++) {
    const ei = f32x4.splat(load<f32>(e + (<usize>i << 2)));
    const row = <usize>i * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const g = f32x4.mul(ei, v128.load(a + j));
      const mm = f32x4.add(f32x4.mul(b1, v128.load(m + row + j)), f32x4.mul(ob1, g));
      const vv = f32x4.add(f32x4.mul(b2, v128.load(v + row + j)), f32x4.mul(ob2, f32x4.mul(g, g)));
      v128.store(m + row + j, mm);
      v128.store(v + row + j, vv);
      const step = f32x4.div(f32x4.mul(etaV, f32x4.mul(mm, c1v)), f32x4.add(f32x4.sqrt(f32x4.mul(vv, c2v)), epsV));
      v128.store(w + row + j, f32x4.sub(v128.load(w + row + j), step));
      squares = f32x4.add(squares, f32x4.mul(step, step));
    }
  }
  return horizontalSum(squares);
}


/**
 * The local terms that act on the old weights, row by row (row-major nOut × stride), in place:
 *   W_i ← (1 − decay − single·y_i²) W_i − sanger·y_i p_i,   p_i = Σ_{k≤i} y_k W_k (old rows, summed as the rows go),
 * where `prefix` (stride floats, zeroed here) holds p. Their y aᵀ parts are rank one and left to the
 * caller. Writes the squared step norms' sums, before the coefficients' squares, to `norms`:
 * [Σ_i y_i² ‖a − y_i W_i‖², Σ_i y_i² ‖a − p_i‖², ‖W‖²] (ojaSingle, sanger, decay).
 */
export function localTerms(
  w: usize, nOut: i32, stride: i32, a: usize, y: usize, decay: f32, single: f32, sanger: f32, prefix: usize, norms: usize,
): void {
  const rowBytes = <usize>stride << 2;
  if (sanger != 0) memory.fill(prefix, 0, rowBytes);
  let singleSq: f32 = 0;
  let sangerSq: f32 = 0;
  let decayAcc = f32x4.splat(0);
  for (let i = 0; i < nOut; i++) {
    const row = w + <usize>i * rowBytes;
    const yi = load<f32>(y + (<usize>i << 2));
    const yv = f32x4.splat(yi);
    // W − sW, not (1 − s)W: 1 − s in float32 would round s (≈1e-4) by up to 3e-8 at every step.
    const shrink = f32x4.splat(-(decay + single * yi * yi));
    const back = f32x4.splat(-sanger * yi);
    let singleRow = f32x4.splat(0);
    let sangerRow = f32x4.splat(0);
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const old = v128.load(row + j);
      const av = v128.load(a + j);
      let next = f32x4.add(old, f32x4.mul(shrink, old));
      if (sanger != 0) {
        const p = f32x4.add(v128.load(prefix + j), f32x4.mul(yv, old));
        v128.store(prefix + j, p);
        next = f32x4.add(next, f32x4.mul(back, p));
        const d = f32x4.sub(av, p);
        sangerRow = f32x4.add(sangerRow, f32x4.mul(d, d));
      }
      if (single != 0) {
        const d = f32x4.sub(av, f32x4.mul(yv, old));
        singleRow = f32x4.add(singleRow, f32x4.mul(d, d));
      }
      decayAcc = f32x4.add(decayAcc, f32x4.mul(old, old));
      v128.store(row + j, next);
    }
    singleSq += yi * yi * horizontalSum(singleRow);
    sangerSq += yi * yi * horizontalSum(sangerRow);
  }
  store<f32>(norms, singleSq);
  store<f32>(norms, sangerSq, 4);
  store<f32>(norms, horizontalSum(decayAcc), 8);
}

/**
 * Σ (a_k − u_k)² over `floats` values (a multiple of 8); with u = 0, Σ a_k². The factors of a
 * rank-one step's Frobenius norm (‖x yᵀ‖ = ‖x‖‖y‖), for the Oja-to-update ratio.
 */
export function squaredDistance(a: usize, u: usize, floats: i32): f32 {
  const bytes = <usize>floats << 2;
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  if (u) {
    for (let j: usize = 0; j < bytes; j += 32) {
      const d0 = f32x4.sub(v128.load(a + j), v128.load(u + j));
      const d1 = f32x4.sub(v128.load(a + j, 16), v128.load(u + j, 16));
      acc0 = f32x4.add(acc0, f32x4.mul(d0, d0));
      acc1 = f32x4.add(acc1, f32x4.mul(d1, d1));
    }
  } else {
    for (let j: usize = 0; j < bytes; j += 32) {
      const x0 = v128.load(a + j);
      const x1 = v128.load(a + j, 16);
      acc0 = f32x4.add(acc0, f32x4.mul(x0, x0));
      acc1 = f32x4.add(acc1, f32x4.mul(x1, x1));
    }
  }
  return horizontalSum(f32x4.add(acc0, acc1));
}

// ---- Evaluation: many samples through one layer ----

/** out_k = σ(z_k) for `floats` values, a multiple of 4 (out may alias z). */
export function activateAll(z: usize, out: usize, floats: i32, kind: i32, beta: f32): void {
  const betaV = f32x4.splat(beta);
  for (let b: usize = 0; b < (<usize>floats << 2); b += 16) v128.store(out + b, activateVector(v128.load(z + b), kind, betaV));
}

/**
 * out_s = σ(Wx_s + bias) for `count` samples: x rows of `xStride` floats (nIn used), W given
 * transposed (nIn rows of `outStride` floats), out rows of `outStride` floats.
 *
 * Samples go four at a time through a register tile of 4 samples × 8 outputs: each weight loaded
 * is used four times, and the 8 accumulators stay in registers over the whole input, so the loop is
 * bound by arithmetic rather than by loads and stores. Only inputs non-zero in at least one of the
 * four samples are visited (digits are mostly background). `nonZero` is scratch for nIn indices,
 * `packed` for 4·nIn floats (the four samples' inputs, interleaved). Leftover samples go one by one.
 */
export function denseForward(
  x: usize, count: i32, xStride: i32, nIn: i32, wT: usize, outStride: i32, bias: usize, out: usize, kind: i32, beta: f32, nonZero: usize, packed: usize,
): void {
  const outBytes = <usize>outStride << 2;
  const xBytes = <usize>xStride << 2;
  const betaV = f32x4.splat(beta);
  let s = 0;
  for (; s + 4 <= count; s += 4) {
    const x0 = x + <usize>s * xBytes;
    const x1 = x0 + xBytes;
    const x2 = x1 + xBytes;
    const x3 = x2 + xBytes;
    let m = 0;
    for (let j = 0; j < nIn; j++) {
      const jb = <usize>j << 2;
      const a = load<f32>(x0 + jb);
      const b = load<f32>(x1 + jb);
      const c = load<f32>(x2 + jb);
      const d = load<f32>(x3 + jb);
      if (a != 0 || b != 0 || c != 0 || d != 0) {
        store<i32>(nonZero + (<usize>m << 2), j);
        const p = packed + (<usize>m << 4);
        store<f32>(p, a);
        store<f32>(p, b, 4);
        store<f32>(p, c, 8);
        store<f32>(p, d, 12);
        m++;
      }
    }
    const z0 = out + <usize>s * outBytes;
    // Even on digits, where the four's strokes differ and the tile multiplies every input non-zero
    // in any of them, this beat each sample alone over its own non-zeros (17.5 against 21 ms for
    // the test split): the tile streams the weights from L2 once per four samples.
    for (let b: usize = 0; b < outBytes; b += 32) {
      const lo = bias ? v128.load(bias + b) : f32x4.splat(0);
      const hi = bias ? v128.load(bias + b, 16) : f32x4.splat(0);
      let a0 = lo, a1 = hi, b0 = lo, b1 = hi, c0 = lo, c1 = hi, d0 = lo, d1 = hi;
      for (let k = 0; k < m; k++) {
        const row = wT + <usize>load<i32>(nonZero + (<usize>k << 2)) * outBytes + b;
        const w0 = v128.load(row);
        const w1 = v128.load(row, 16);
        const p = packed + (<usize>k << 4);
        const xa = v128.load32_splat(p);
        const xb = v128.load32_splat(p, 4);
        const xc = v128.load32_splat(p, 8);
        const xd = v128.load32_splat(p, 12);
        a0 = f32x4.add(a0, f32x4.mul(xa, w0));
        a1 = f32x4.add(a1, f32x4.mul(xa, w1));
        b0 = f32x4.add(b0, f32x4.mul(xb, w0));
        b1 = f32x4.add(b1, f32x4.mul(xb, w1));
        c0 = f32x4.add(c0, f32x4.mul(xc, w0));
        c1 = f32x4.add(c1, f32x4.mul(xc, w1));
        d0 = f32x4.add(d0, f32x4.mul(xd, w0));
        d1 = f32x4.add(d1, f32x4.mul(xd, w1));
      }
      if (kind != LINEAR) {
        a0 = activateVector(a0, kind, betaV);
        a1 = activateVector(a1, kind, betaV);
        b0 = activateVector(b0, kind, betaV);
        b1 = activateVector(b1, kind, betaV);
        c0 = activateVector(c0, kind, betaV);
        c1 = activateVector(c1, kind, betaV);
        d0 = activateVector(d0, kind, betaV);
        d1 = activateVector(d1, kind, betaV);
      }
      const z = z0 + b;
      v128.store(z, a0);
      v128.store(z, a1, 16);
      v128.store(z + outBytes, b0);
      v128.store(z + outBytes, b1, 16);
      v128.store(z + 2 * outBytes, c0);
      v128.store(z + 2 * outBytes, c1, 16);
      v128.store(z + 3 * outBytes, d0);
      v128.store(z + 3 * outBytes, d1, 16);
    }
  }
  for (; s < count; s++) denseForwardOne(x + <usize>s * xBytes, nIn, wT, outBytes, bias, out + <usize>s * outBytes, kind, betaV, nonZero);
}

/**
 * One sample of denseForward (the up to three left over after the groups of four), visiting its own
 * non-zero inputs only, 8 outputs at a time held in registers.
 */
function denseForwardOne(xs: usize, nIn: i32, wT: usize, outBytes: usize, bias: usize, z: usize, kind: i32, betaV: v128, nonZero: usize): void {
  let m = 0;
  for (let j = 0; j < nIn; j++) {
    if (load<f32>(xs + (<usize>j << 2)) != 0) {
      store<i32>(nonZero + (<usize>m << 2), j);
      m++;
    }
  }
  for (let b: usize = 0; b < outBytes; b += 32) {
    let a0 = bias ? v128.load(bias + b) : f32x4.splat(0);
    let a1 = bias ? v128.load(bias + b, 16) : f32x4.splat(0);
    for (let k = 0; k < m; k++) {
      const j = <usize>load<i32>(nonZero + (<usize>k << 2));
      const xj = v128.load32_splat(xs + (j << 2));
      const row = wT + j * outBytes + b;
      a0 = f32x4.add(a0, f32x4.mul(xj, v128.load(row)));
      a1 = f32x4.add(a1, f32x4.mul(xj, v128.load(row, 16)));
    }
    v128.store(z + b, activateVector(a0, kind, betaV));
    v128.store(z + b, activateVector(a1, kind, betaV), 16);
  }
}
