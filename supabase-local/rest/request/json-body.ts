/** Parses a write's JSON body: an object or an array of objects (PGRST102 otherwise). */
import { z } from 'zod';
import { RestError } from '../rest-error';

const objectSchema = z.record(z.string(), z.unknown());
const payloadSchema = z.union([objectSchema, z.array(objectSchema)]);

export type JsonPayload = { rows: Record<string, unknown>[]; isArray: boolean };

function invalid(): RestError {
  return new RestError(400, 'PGRST102', 'Empty or invalid json');
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid();
  }
}

export function parsePayload(text: string): JsonPayload {
  if (text.trim() === '') throw invalid();
  const parsed = payloadSchema.safeParse(parseJson(text));
  if (!parsed.success) throw invalid();
  return Array.isArray(parsed.data) ? { rows: parsed.data, isArray: true } : { rows: [parsed.data], isArray: false };
}

/** The union of the rows' keys, in first-seen order. */
export function payloadKeys(rows: Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys];
}
