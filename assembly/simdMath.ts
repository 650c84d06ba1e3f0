// Float32 SIMD math shared by the kernels (onlineKernels.ts, metaKernels.ts): activations, their
// slopes, and the exponentials they are built from.

/**
 * a·b + c: one fused instruction where the module is built with relaxed SIMD (its rounding then
 * differs from the separate multiply and add in the last bit), a multiply and an add otherwise.
 */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** row · v over `bytes` bytes (a multiple of 32): two accumulators, so the adds' latency does not bound it. */
@inline
export function rowDot(row: usize, v: usize, bytes: usize): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  for (let j: usize = 0; j < bytes; j += 32) {
    acc0 = madd(v128.load(row + j), v128.load(v + j), acc0);
    acc1 = madd(v128.load(row + j, 16), v128.load(v + j, 16), acc1);
  }
  return horizontalSum(f32x4.add(acc0, acc1));
}

export const LINEAR = 0;
export const RELU = 1;
export const TANH = 2;
export const SOFTPLUS = 3;

@inline
export function horizontalSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** e^x for x ≤ 0 (clamped at −87, where it is below float32's normal range anyway); Cephes expf. */
@inline
export function expNonPositive(x: v128): v128 {
  x = f32x4.max(x, f32x4.splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  // × 2ⁿ through the exponent bits (n ≥ −126 after the clamp).
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** eˣ − 1 for x ≤ 0, accurate near 0 (a Taylor polynomial there, where eˣ − 1 would cancel). */
@inline
export function expm1NonPositive(x: v128): v128 {
  let p = f32x4.splat(1.0 / 5040);
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1.0 / 720));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1.0 / 120));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1.0 / 24));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(1.0 / 6));
  p = f32x4.add(f32x4.mul(p, x), f32x4.splat(0.5));
  const small = f32x4.mul(f32x4.add(f32x4.mul(p, x), f32x4.splat(1)), x);
  const large = f32x4.sub(expNonPositive(x), f32x4.splat(1));
  return v128.bitselect(small, large, f32x4.gt(x, f32x4.splat(-0.35)));
}

/** log(1 + t) for 0 ≤ t ≤ 1 as 2 atanh(s), s = t / (2 + t) ≤ 1/3: no cancellation for small t. */
@inline
export function log1pUnit(t: v128): v128 {
  const s = f32x4.div(t, f32x4.add(t, f32x4.splat(2)));
  const z = f32x4.mul(s, s);
  let p = f32x4.splat(1.0 / 15);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.0 / 13));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.0 / 11));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.0 / 9));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.0 / 7));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.0 / 5));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.0 / 3));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1));
  return f32x4.mul(f32x4.add(s, s), p);
}

@inline
export function activateVector(z: v128, kind: i32, beta: v128): v128 {
  if (kind == RELU) return f32x4.max(z, f32x4.splat(0));
  if (kind == SOFTPLUS) {
    const bz = f32x4.mul(beta, z);
    const tail = log1pUnit(expNonPositive(f32x4.neg(f32x4.abs(bz))));
    return f32x4.div(f32x4.add(f32x4.max(bz, f32x4.splat(0)), tail), beta);
  }
  if (kind == TANH) {
    // sign(z) · −m / (2 + m), m = expm1(−2|z|): no cancellation for small z.
    const m = expm1NonPositive(f32x4.mul(f32x4.abs(z), f32x4.splat(-2)));
    const magnitude = f32x4.div(f32x4.neg(m), f32x4.add(f32x4.splat(2), m));
    return v128.or(magnitude, v128.and(z, i32x4.splat(0x80000000)));
  }
  return z;
}

/** σ'(z) from y = σ(z), as activations.ts writes it: softplus −expm1(−βy), tanh 1 − y², relu [y > 0]. */
@inline
export function slopeVector(y: v128, kind: i32, beta: v128): v128 {
  if (kind == SOFTPLUS) return f32x4.neg(expm1NonPositive(f32x4.neg(f32x4.mul(beta, y))));
  // (1 − y)(1 + y), not 1 − y²: float32 would cancel near |y| = 1.
  if (kind == TANH) return f32x4.mul(f32x4.sub(f32x4.splat(1), y), f32x4.add(f32x4.splat(1), y));
  if (kind == RELU) return v128.and(f32x4.gt(y, f32x4.splat(0)), f32x4.splat(1));
  return f32x4.splat(1);
}
