import { describe, expect, it } from 'vitest';
import { contentRange } from './handlers/reply';
import { mapPgError } from './map-pg-error';

function pgError(code: string, message = 'boom'): Error {
  return Object.assign(new Error(message), { code, detail: 'd', hint: undefined });
}

describe('mapPgError', () => {
  it.each([
    ['23505', false, 409],
    ['23503', false, 409],
    ['42501', true, 401],
    ['42501', false, 403],
    ['42P01', false, 404],
    ['42883', false, 404],
    ['P0001', false, 400],
    ['22P02', false, 400],
    ['53300', false, 503],
    ['XX000', false, 500],
  ] as const)('maps %s (anonymous %s) to %i', (code, anonymous, status) => {
    expect(mapPgError(pgError(code), anonymous)?.status).toBe(status);
  });

  it('keeps the body in PostgREST shape and ignores non-Postgres errors', () => {
    expect(mapPgError(pgError('23505', 'dup'), false)?.body()).toEqual({ code: '23505', message: 'dup', details: 'd', hint: null });
    expect(mapPgError(new Error('plain'), false)).toBeUndefined();
  });
});

describe('contentRange', () => {
  it('formats pages, totals and empty results', () => {
    expect(contentRange(0, 15, undefined)).toBe('0-14/*');
    expect(contentRange(0, 25, 3573458)).toBe('0-24/3573458');
    expect(contentRange(0, 0, 0)).toBe('*/0');
    expect(contentRange(10, 0, undefined)).toBe('*/*');
  });
});
