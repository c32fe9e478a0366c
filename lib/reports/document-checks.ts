/**
 * zod schemas for the long lists of the documents the report RPCs return (reports_group_page,
 * the export's pages) that check a whole list in one plain loop and hand it on as it is.
 *
 * Why not z.array(z.tuple([...])): zod builds a new array for every row and runs a schema
 * object per value. On the 120 × 12 group page that was ~5 MB of garbage per request, a third
 * of everything the page allocated (V8's sampling heap profiler on the real `next start`), and
 * the young-generation collections it caused were the page's largest cost under npm start's
 * heap settings (scripts/start/next-server-options.ts); at 100,000 export rows per-element
 * schemas were ~1.2 KB of garbage a row (lib/reports/export/export-page.ts).
 */
import { z } from 'zod';

export type Check<T> = (value: unknown) => value is T;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isGuid = (value: unknown): value is string => typeof value === 'string' && GUID.test(value);
export const isText = (value: unknown): value is string => typeof value === 'string';
export const isNullableText = (value: unknown): value is string | null => value === null || typeof value === 'string';
/** A JSON number (the documents are built with json_build_array/json_agg: numeric and bigint arrive as numbers). */
export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const isNullableNumber = (value: unknown): value is number | null => value === null || isNumber(value);
export const isIndex = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
export const isGuidList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isGuid);

/** An array whose every element passes `check`. */
export function columnOf<T>(what: string, check: Check<T>) {
  return z.custom<T[]>((value) => Array.isArray(value) && value.every(check), { message: `expected an array of ${what}` });
}

type Checked<C> = { -readonly [K in keyof C]: C[K] extends Check<infer T> ? T : never };

/** An array of tuples, element i of each passing checks[i]. */
export function tuplesOf<const C extends readonly Check<unknown>[]>(what: string, checks: C) {
  return z.custom<Checked<C>[]>(
    (value) =>
      Array.isArray(value) &&
      value.every((row) => Array.isArray(row) && row.length === checks.length && checks.every((check, i) => check(row[i]))),
    { message: `expected rows of ${what}` },
  );
}

/** Every array of `columns` is `length` long. */
export function sameLength(columns: readonly unknown[][], length: number): boolean {
  return columns.every((column) => column.length === length);
}

/** Every element is an index into a list of `size` items. */
export function indexesBelow(indexes: readonly number[], size: number): boolean {
  return indexes.every((index) => index < size);
}
