/**
 * A Postgres error → PostgREST's status and body (src/PostgREST/Error.hs `pgErrorStatus`).
 * 42501 is 401 for the anonymous role and 403 for everyone else.
 */
import { z } from 'zod';
import { RestError } from './rest-error';

const pgErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  detail: z.string().optional(),
  hint: z.string().optional(),
});

export function isPgError(error: unknown): boolean {
  return pgErrorSchema.safeParse(error).success && error instanceof Error;
}

function statusFor(code: string, message: string, anonymous: boolean): number {
  if (code === '42501') return anonymous ? 401 : 403;
  if (code === '23503' || code === '23505') return 409;
  if (code === '25006') return 405;
  if (code === '21000') return message.includes('requires a WHERE clause') ? 400 : 500;
  if (code === '22023' && /role .* does not exist/.test(message)) return 401;
  if (code === 'P0001') return 400;
  if (code === '42883' || code === '42P01') return 404;
  if (code === '42P17') return 500;
  if (code === '53400') return 500;
  if (code === '57P01') return 503;
  const klass = code.slice(0, 2);
  if (klass === '08' || klass === '53') return 503;
  if (['09', '25', '2D', '38', '39', '3B', '40', '54', '55', '57', '58', 'F0', 'HV', 'P0', 'XX'].includes(klass)) return 500;
  if (klass === '0L' || klass === '0P' || klass === '28') return 403;
  return 400;
}

export function mapPgError(error: unknown, anonymous: boolean): RestError | undefined {
  const parsed = pgErrorSchema.safeParse(error);
  if (!parsed.success || !(error instanceof Error)) return undefined;
  const { code, message, detail, hint } = parsed.data;
  const cacheMiss = code === '42P01' || code === '42703' || code === '42883';
  return new RestError(statusFor(code, message, anonymous), code, message, detail ?? null, hint ?? null, cacheMiss);
}
