/** Small checks the protocol parsers share: each message is validated field by field on arrival. */

export type Fields = Record<string, unknown>;

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message's fields when it is an object with a string `type`; else null. */
export function messageFields(value: unknown): (Fields & { type: string }) | null {
  return isRecord(value) && typeof value.type === 'string' ? (value as Fields & { type: string }) : null;
}

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isNonEmptyString = (v: unknown, maxLength = 4096): v is string => typeof v === 'string' && v.length > 0 && v.length < maxLength;
export const isNumber = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
export const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
/** A metric as it crosses IPC: JSON carries NaN and ±Infinity as null. */
export const isMetric = (v: unknown): v is number | null => v === null || typeof v === 'number';
