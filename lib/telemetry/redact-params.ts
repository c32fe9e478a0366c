/**
 * Makes call parameters safe to log: values under secret-looking keys and any string that
 * looks like a JWT are replaced; deep or large structures are cut short.
 */
const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|apikey|authorization|cookie|jwt|credential|session/i;
const JWT_SHAPE = /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/;
const MAX_DEPTH = 4;
const MAX_ARRAY_ITEMS = 20;
const MAX_STRING_CHARS = 200;

export const REDACTED = '[redacted]';

export function redactParams(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    if (JWT_SHAPE.test(value)) return REDACTED;
    return value.length > MAX_STRING_CHARS ? `${value.slice(0, MAX_STRING_CHARS)}…` : value;
  }
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? '[function]' : value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ARRAY_ITEMS).map((item) => redactParams(item, depth + 1));
    return value.length > MAX_ARRAY_ITEMS ? [...items, `… ${value.length - MAX_ARRAY_ITEMS} more`] : items;
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof FormData !== 'undefined' && value instanceof FormData) {
    return redactParams(Object.fromEntries(value.entries()), depth);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactParams(item, depth + 1);
  }
  return out;
}
