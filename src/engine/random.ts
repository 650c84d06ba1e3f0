/**
 * The run's one seeded generator: sfc32 (a small, fast, well-tested 32-bit PRNG) seeded through
 * splitmix32, so nearby seeds give unrelated streams. Same seed, same numbers, on every platform.
 */
export interface RandomState {
  words: [number, number, number, number];
  spareNormal: number | null;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next() | 0;
    this.b = next() | 0;
    this.c = next() | 0;
    this.d = next() | 0;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /**
   * The state is kept as int32 (`| 0`), the same bits as uint32 modulo 2³², so V8 keeps it in small
   * integers instead of boxing every value above 2³¹; only the output is made unsigned.
   */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (this.spareNormal !== null) {
      const value = this.spareNormal;
      this.spareNormal = null;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Uint32Array {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = order[i]!;
      order[i] = order[j]!;
      order[j] = tmp;
    }
    return order;
  }

  /** n distinct items drawn uniformly, in draw order (a partial Fisher–Yates on a copy). */
  sample<T>(items: readonly T[], n: number): T[] {
    const pool = items.slice();
    const count = Math.min(n, pool.length);
    for (let i = 0; i < count; i++) {
      const j = i + this.int(pool.length - i);
      const tmp = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = tmp;
    }
    return pool.slice(0, count);
  }

  /** The generator's state (JSON-safe), to continue its stream later (a resumed run). */
  state(): RandomState {
    return { words: [this.a, this.b, this.c, this.d], spareNormal: this.spareNormal };
  }

  /** A generator that continues from `state()`. */
  static fromState(state: RandomState): Random {
    const random = new Random(0);
    [random.a, random.b, random.c, random.d] = state.words.map((v) => v | 0) as [number, number, number, number];
    random.spareNormal = state.spareNormal;
    return random;
  }
}
