/** Numbers as the dashboard writes them on axes, tooltips and tables. Pure, tested in Node. */

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 || (Math.abs(value) < 0.001 && value !== 0) ? value.toExponential(3) : value.toPrecision(4);
}

/** A fraction as a percentage with two decimals. */
export function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(2)}%`;
}

/** Accuracy axes: a fraction as a whole percentage. */
export function percentTick(value: unknown): string {
  return `${(100 * Number(value)).toFixed(0)}%`;
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });

/** A large axis value kept short (10T, not 10,000,000,000,000); null where the default reads well. */
export function compactNumber(value: number): string | null {
  if (Math.abs(value) >= 1e15) return value.toExponential(0);
  if (Math.abs(value) >= 10_000) return compact.format(value);
  return null;
}
