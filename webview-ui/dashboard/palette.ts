/** Series colours and line styles from the theme's chart colours. Pure, tested in Node. */
export class Palette {
  /** `series`: the theme's chart colours, in the order series take them. */
  constructor(private readonly series: readonly string[]) {}

  colour(index: number): string {
    return this.series[index % this.series.length]!;
  }

  /** Solid for the first round of theme colours, then dashed, then dotted: more series than colours stay apart. */
  dash(index: number): number[] {
    return [[], [6, 3], [2, 3]][Math.floor(index / this.series.length) % 3]!;
  }
}

/** rgba() of a theme colour (#rrggbb or rgb()) at `alpha`, for band fills. */
export function withAlpha(colour: string, alpha: number): string {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(colour);
  if (hex) return `rgba(${parseInt(hex[1]!, 16)}, ${parseInt(hex[2]!, 16)}, ${parseInt(hex[3]!, 16)}, ${alpha})`;
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(colour);
  return rgb ? `rgba(${rgb[1]},${rgb[2]},${rgb[3]}, ${alpha})` : colour;
}
