// A recurrent network's online update on WebAssembly SIMD (float32), compiled at build time
// (scripts/build.mjs → media/wasm/recurrent-kernels.wasm); src/engine/recurrent/wasmRecurrent.ts lays
// the buffers out and calls these once per sequence. The two passes that must go step by step (the
// forward pass and the error signals back through time) are matrix-vector products; Oja's
// back-projections u_t = W_recᵀ h_t ride along the forward pass while each row is loaded; and every
// weight update is a sum of T outer products, done at the end of the sequence as register-tiled
// products over the steps. Rows are padded with zeros to a multiple of 8 floats.

import { activateVector, slopeVector, madd, rowDot } from './simdMath';

export function heapBase(): usize {
  return __heap_base;
}

/** out += s · row over `bytes` bytes. */
@inline
function accumulate(out: usize, s: f32, row: usize, bytes: usize): void {
  const sv = f32x4.splat(s);
  for (let j: usize = 0; j < bytes; j += 16) v128.store(out + j, madd(sv, v128.load(row + j), v128.load(out + j)));
}

/**
 * The forward pass over T steps: for t = 1 … T, h_t = σ(W_in x_t + W_rec h_{t−1}) into H's row t (row 0
 * is h_0 = 0), σ'(a_t) into S's row t − 1, and with `ojaRec` u_t = W_recᵀ h_t into U's row t − 1, with
 * `ojaIn` u_in,t = W_inᵀ h_t into UIN's. W_in is N × inBytes, W_rec N × hBytes, X's rows are inBytes apart.
 */
export function rnnForward(
  wIn: usize, wRec: usize, n: i32, inBytes: usize, hBytes: usize, x: usize, h: usize, s: usize, u: usize, uIn: usize, steps: i32, kind: i32, beta: f32, ojaRec: bool, ojaIn: bool,
): void {
  const betaV = f32x4.splat(beta);
  for (let t = 1; t <= steps; t++) {
    const previous = h + <usize>(t - 1) * hBytes;
    const now = h + <usize>t * hBytes;
    const input = x + <usize>(t - 1) * inBytes;
    const slope = s + <usize>(t - 1) * hBytes;
    const ut = u + <usize>(t - 1) * hBytes;
    const uInT = uIn + <usize>(t - 1) * inBytes;
    if (ojaRec) memory.fill(ut, 0, hBytes);
    if (ojaIn) memory.fill(uInT, 0, inBytes);
    for (let i = 0; i < n; i++) {
      const inRow = wIn + <usize>i * inBytes;
      const recRow = wRec + <usize>i * hBytes;
      const a = rowDot(inRow, input, inBytes) + rowDot(recRow, previous, hBytes);
      const y = f32x4.extract_lane(activateVector(f32x4.splat(a), kind, betaV), 0);
      store<f32>(now + (<usize>i << 2), y);
      store<f32>(slope + (<usize>i << 2), f32x4.extract_lane(slopeVector(f32x4.splat(y), kind, betaV), 0));
      // The row is in L1: Oja's back-projections of h_t take it on the way.
      if (y != 0) {
        if (ojaRec) accumulate(ut, y, recRow, hBytes);
        if (ojaIn) accumulate(uInT, y, inRow, inBytes);
      }
    }
  }
}

/**
 * The error signals back through time, t = T … 1: g = B_outᵀ dz_t + B_recᵀ δa_{t+1}, δa_t = g ⊙ σ'(a_t)
 * into D's row t − 1. dz_t is DZ's row t − 1 (zero where step t has no target; O values, outBytes
 * apart); B_out is O × hBytes, B_rec N × hBytes (the weights under backprop, fixed matrices under
 * feedback alignment). `scratch` holds one row.
 */
export function rnnBackward(bOut: usize, bRec: usize, n: i32, o: i32, hBytes: usize, outBytes: usize, dz: usize, s: usize, d: usize, steps: i32, scratch: usize): void {
  for (let t = steps; t >= 1; t--) {
    const g = scratch;
    memory.fill(g, 0, hBytes);
    const dzt = dz + <usize>(t - 1) * outBytes;
    for (let k = 0; k < o; k++) {
      const e = load<f32>(dzt + (<usize>k << 2));
      if (e != 0) accumulate(g, e, bOut + <usize>k * hBytes, hBytes);
    }
    if (t < steps) {
      const next = d + <usize>t * hBytes;
      for (let i = 0; i < n; i++) {
        const e = load<f32>(next + (<usize>i << 2));
        if (e != 0) accumulate(g, e, bRec + <usize>i * hBytes, hBytes);
      }
    }
    const slope = s + <usize>(t - 1) * hBytes;
    const out = d + <usize>(t - 1) * hBytes;
    for (let j: usize = 0; j < hBytes; j += 16) v128.store(out + j, f32x4.mul(v128.load(g + j), v128.load(slope + j)));
  }
}

/** out_k = α a_k + β b_k for `rows` rows of `bytes` bytes, each of the three `stride` bytes apart. */
export function combineRows(out: usize, a: usize, alpha: f32, b: usize, beta: f32, rows: i32, bytes: usize, stride: usize): void {
  const av = f32x4.splat(alpha);
  const bv = f32x4.splat(beta);
  for (let r = 0; r < rows; r++) {
    const at = <usize>r * stride;
    for (let j: usize = 0; j < bytes; j += 16) v128.store(out + at + j, madd(av, v128.load(a + at + j), f32x4.mul(bv, v128.load(b + at + j))));
  }
}

/**
 * W += Σ_k A1_k B1_kᵀ + Σ_k A2_k B2_kᵀ (W: `rows` rows of wBytes; A rows aBytes apart, B rows wBytes
 * apart; count2 may be 0): each 16 floats of a row of W stay in registers over every k.
 */
export function rankUpdate(w: usize, rows: i32, wBytes: usize, a1: usize, b1: usize, count1: i32, a2: usize, b2: usize, count2: i32, aBytes: usize): void {
  for (let i = 0; i < rows; i++) {
    const row = w + <usize>i * wBytes;
    const ib = <usize>i << 2;
    let j: usize = 0;
    for (; j + 64 <= wBytes; j += 64) {
      let c0 = v128.load(row + j);
      let c1 = v128.load(row + j, 16);
      let c2 = v128.load(row + j, 32);
      let c3 = v128.load(row + j, 48);
      for (let k = 0; k < count1; k++) {
        const s = v128.load32_splat(a1 + <usize>k * aBytes + ib);
        const b = b1 + <usize>k * wBytes + j;
        c0 = madd(s, v128.load(b), c0);
        c1 = madd(s, v128.load(b, 16), c1);
        c2 = madd(s, v128.load(b, 32), c2);
        c3 = madd(s, v128.load(b, 48), c3);
      }
      for (let k = 0; k < count2; k++) {
        const s = v128.load32_splat(a2 + <usize>k * aBytes + ib);
        const b = b2 + <usize>k * wBytes + j;
        c0 = madd(s, v128.load(b), c0);
        c1 = madd(s, v128.load(b, 16), c1);
        c2 = madd(s, v128.load(b, 32), c2);
        c3 = madd(s, v128.load(b, 48), c3);
      }
      v128.store(row + j, c0);
      v128.store(row + j, c1, 16);
      v128.store(row + j, c2, 32);
      v128.store(row + j, c3, 48);
    }
    for (; j < wBytes; j += 16) {
      let c = v128.load(row + j);
      for (let k = 0; k < count1; k++) c = madd(v128.load32_splat(a1 + <usize>k * aBytes + ib), v128.load(b1 + <usize>k * wBytes + j), c);
      for (let k = 0; k < count2; k++) c = madd(v128.load32_splat(a2 + <usize>k * aBytes + ib), v128.load(b2 + <usize>k * wBytes + j), c);
      v128.store(row + j, c);
    }
  }
}
