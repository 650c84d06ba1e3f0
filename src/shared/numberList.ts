/**
 * Number lists (layer sizes, per-layer θ) written short for labels, legends and run ids: runs of a
 * repeated value as "value x count", so [784, 100, …14 times…, 10] reads "784-100x14-10".
 */
export function compactNumberList(values: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[i]) j++;
    const count = j - i + 1;
    parts.push(count > 2 ? `${values[i]}x${count}` : Array(count).fill(String(values[i])).join('-'));
    i = j + 1;
  }
  return parts.join('-');
}

/** A config value as labels show it: number lists compacted, strings bare, the rest as JSON. */
export function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number')) return compactNumberList(value);
  return JSON.stringify(value);
}
