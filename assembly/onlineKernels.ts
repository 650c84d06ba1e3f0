// Batch-1 kernels for the online executor, compiled to WebAssembly SIMD at build time
// (scripts/build.mjs → media/wasm/online-kernels.wasm). Pointers are byte offsets into this module's
// memory; the JavaScript side (src/engine/executors/wasmOnline.ts) lays everything out above
// heapBase(). Every row is padded with zeros to a multiple of 8 floats, so loops need no tails:
// padded weights stay zero because the padded entries of every vector they are updated with are zero.

const LINEAR = 0;
const RELU = 1;
const TANH = 2;
const SOFTPLUS = 3;

export function heapBase(): usize {
  return __heap_base;
}

// Same arithmetic as activations.ts (double precision, one rounding to float32 at the end).
@inline
function activate(z: f32, kind: i32, beta: f64): f32 {
  if (kind == RELU) return z > 0 ? z : 0;
  if (kind == TANH) return <f32>Math.tanh(<f64>z);
  if (kind == SOFTPLUS) {
    const bz = beta * <f64>z;
    return <f32>(((bz > 0 ? bz : 0) + Math.log1p(Math.exp(-Math.abs(bz)))) / beta);
  }
  return z;
}

@inline
function horizontalSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * One layer's forward pass, fused with the update deferred from the previous step and with Oja's
 * back-projection, in a single pass over W (row-major, `stride` floats per row):
 *   W_i += alpha_i · aPrev + beta_i · uPrev       (when `pending`; uPrev only when `hasBeta`)
 *   out_i = σ(W_i · a + bias_i)
 *   u += out_i · W_i                              (when `u` ≠ 0; u must be zeroed by the caller)
 * Row i's u contribution reuses the row while it is still in L1.
 */
export function forwardLayer(
  w: usize, nOut: i32, stride: i32, a: usize, bias: usize, out: usize, kind: i32, beta: f64,
  pending: bool, alpha: usize, betas: usize, aPrev: usize, hasBeta: bool, uPrev: usize, u: usize,
): void {
  const rowBytes = <usize>stride << 2;
  for (let i = 0; i < nOut; i++) {
    const row = w + <usize>i * rowBytes;
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
    let z = horizontalSum(f32x4.add(acc0, acc1));
    if (bias) z += load<f32>(bias + (<usize>i << 2));
    const y = activate(z, kind, beta);
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

/** out_k = σ(z_k) for n values (out may alias z). */
export function activateAll(z: usize, out: usize, n: i32, kind: i32, beta: f64): void {
  for (let k = 0; k < n; k++) store<f32>(out + (<usize>k << 2), activate(load<f32>(z + (<usize>k << 2)), kind, beta));
}
