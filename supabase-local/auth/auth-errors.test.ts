/** GoTrue's two error body shapes, chosen by the request's X-Supabase-Api-Version. */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AuthError, sendAuthError } from './auth-errors';

type Written = { status: number; headers: Record<string, string>; body: unknown };

function recordingResponse(): { res: ServerResponse; written: () => Written } {
  let status = 0;
  let headers: Record<string, string> = {};
  let text = '';
  const fake = {
    writeHead(code: number, h: Record<string, string>) {
      status = code;
      headers = h;
      return fake;
    },
    end(chunk: string) {
      text = chunk;
      return fake;
    },
  };
  // Only writeHead/end are used by sendJson; the fake stands in for the rest.
  const res = fake as Pick<ServerResponse, 'writeHead' | 'end'> as ServerResponse;
  return { res, written: () => ({ status, headers, body: JSON.parse(text) as unknown }) };
}

describe('sendAuthError', () => {
  it('sends {code, message} and echoes the version for 2024-01-01 clients', () => {
    const { res, written } = recordingResponse();
    sendAuthError({ 'x-supabase-api-version': '2024-01-01' }, res, new AuthError(400, 'invalid_credentials', 'Invalid login credentials'));
    expect(written()).toEqual({
      status: 400,
      headers: expect.objectContaining({ 'X-Supabase-Api-Version': '2024-01-01', 'x-sb-error-code': 'invalid_credentials' }),
      body: { code: 'invalid_credentials', message: 'Invalid login credentials' },
    });
  });

  it('sends the legacy {code, error_code, msg} without a version header', () => {
    const { res, written } = recordingResponse();
    sendAuthError({}, res, new AuthError(403, 'bad_jwt', 'nope'));
    expect(written().body).toEqual({ code: 403, error_code: 'bad_jwt', msg: 'nope' });
    expect(written().headers['X-Supabase-Api-Version']).toBeUndefined();
  });

  it('adds weak_password.reasons to weak-password errors', () => {
    const { res, written } = recordingResponse();
    sendAuthError({ 'x-supabase-api-version': '2025-06-01' }, res, new AuthError(422, 'weak_password', 'short', ['length']));
    expect(written().body).toEqual({ code: 'weak_password', message: 'short', weak_password: { reasons: ['length'] } });
  });
});
