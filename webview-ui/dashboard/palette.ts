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
  const rgb = parseColour(colour);
  return rgb ? `rgba(${rgb.r}, ${rgb.g}, ${rgb.b}, ${alpha})` : colour;
}

interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** A CSS colour as the theme variables give it (#rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba()); alpha dropped. */
export function parseColour(text: string): Rgb | null {
  const value = text.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(value)?.[1];
  if (hex && [3, 4].includes(hex.length)) return { r: parseInt(hex[0]! + hex[0]!, 16), g: parseInt(hex[1]! + hex[1]!, 16), b: parseInt(hex[2]! + hex[2]!, 16) };
  if (hex && [6, 8].includes(hex.length)) return { r: parseInt(hex.slice(0, 2), 16), g: parseInt(hex.slice(2, 4), 16), b: parseInt(hex.slice(4, 6), 16) };
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(value);
  return rgb ? { r: Number(rgb[1]), g: Number(rgb[2]), b: Number(rgb[3]) } : null;
}

/** WCAG relative luminance. */
function luminance({ r, g, b }: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio, 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

const toHex = ({ r, g, b }: Rgb) => `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** Lines and legends need this much contrast against the background (WCAG's minimum for graphics). */
export const MIN_SERIES_CONTRAST = 3;

/**
 * The theme's chart colours made fit for lines: opaque (several built-in themes give charts.orange
 * at alpha 0.33, which drew a faint series), and at least 3:1 against the editor background, moved
 * towards white on dark themes and black on light ones only as far as that needs.
 */
export function readableSeries(series: readonly string[], background: string): string[] {
  const back = parseColour(background);
  return series.map((text) => {
    const colour = parseColour(text);
    if (!colour) return text;
    if (!back) return toHex(colour);
    const target = luminance(back) < 0.5 ? { r: 255, g: 255, b: 255 } : { r: 0, g: 0, b: 0 };
    for (let t = 0; t <= 1; t += 0.02) {
      const mixed = { r: colour.r + (target.r - colour.r) * t, g: colour.g + (target.g - colour.g) * t, b: colour.b + (target.b - colour.b) * t };
      const rounded = { r: Math.round(mixed.r), g: Math.round(mixed.g), b: Math.round(mixed.b) };
      if (contrastRatio(rounded, back) >= MIN_SERIES_CONTRAST) return toHex(rounded);
    }
    return toHex(target);
  });
}
