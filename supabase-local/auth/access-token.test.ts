/**
 * Access tokens as GoTrue with an ES256 signing key mints them (header alg, kid, typ; the
 * published key verifies them), and `requireAuthentication`'s refusal wording for each way
 * a token can fail the key lookup or the signature.
 */
import { decodeProtectedHeader, importJWK, jwtVerify, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JwtKeys } from '../keys/jwt-keys';
import { testJwtKeys } from '../keys/testing/test-jwt-keys';
import { mintAccessToken, verifyAccessToken } from './access-token';
import type { UserRow } from './user-shape';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';
const NOW = new Date('2026-01-01T00:00:00Z');
const PREFIX = 'invalid JWT: unable to parse or verify signature, ';
const USER_ID = '00000000-0000-4000-8000-000000000007';
const SESSION_ID = '00000000-0000-4000-8000-0000000000aa';

const user: UserRow = {
  id: USER_ID,
  aud: 'authenticated',
  role: 'authenticated',
  email: 'ada@example.test',
  encrypted_password: null,
  email_confirmed_at: NOW,
  invited_at: null,
  phone: null,
  phone_confirmed_at: null,
  confirmation_sent_at: null,
  recovery_sent_at: null,
  email_change: null,
  email_change_sent_at: null,
  last_sign_in_at: NOW,
  raw_app_meta_data: { provider: 'email', providers: ['email'] },
  raw_user_meta_data: {},
  created_at: NOW,
  updated_at: NOW,
  banned_until: null,
  deleted_at: null,
  is_anonymous: false,
};

let keys: JwtKeys;
beforeAll(async () => {
  keys = await testJwtKeys(SECRET);
});

async function mint(): Promise<string> {
  const amr = [{ method: 'password', timestamp: Math.floor(NOW.getTime() / 1000) }];
  const { token } = await mintAccessToken({ user, sessionId: SESSION_ID, amr, issuer: 'http://127.0.0.1/auth/v1', signingKey: keys.signing, lifetimeS: 3600, now: NOW });
  return token;
}

async function refusal(token: string): Promise<string | undefined> {
  const result = await verifyAccessToken(token, keys, NOW);
  return result.ok ? undefined : `${result.error.status} ${result.error.code} ${result.error.message}`;
}

describe('access tokens', () => {
  it('are ES256 with the signing key’s kid, and the published JWK verifies them', async () => {
    const token = await mint();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: keys.signing.kid, typ: 'JWT' });
    const { payload } = await jwtVerify(token, await importJWK(keys.jwks.keys[0]!, 'ES256'), { currentDate: NOW });
    expect(payload).toMatchObject({ sub: USER_ID, session_id: SESSION_ID, role: 'authenticated', aud: 'authenticated', email: 'ada@example.test' });
    expect(await verifyAccessToken(token, keys, NOW)).toMatchObject({ ok: true, claims: { sub: USER_ID } });
  });

  it('still verify when HS256 with the project secret (tokens issued before the signing key)', async () => {
    const legacy = await new SignJWT({ sub: USER_ID, role: 'authenticated', exp: Math.floor(NOW.getTime() / 1000) + 60 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(SECRET));
    expect(await verifyAccessToken(legacy, keys, NOW)).toMatchObject({ ok: true, claims: { sub: USER_ID } });
  });

  it('are refused with GoTrue’s bad_jwt wording when the signature, kid or algorithm is wrong', async () => {
    const token = await mint();
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${payload}.${(signature![0] === 'A' ? 'B' : 'A') + signature!.slice(1)}`;
    expect(await refusal(tampered)).toBe(`403 bad_jwt ${PREFIX}token signature is invalid: crypto/ecdsa: verification error`);

    const strangerKid = '22222222-2222-4222-8222-222222222222';
    const unknownKid = await new SignJWT({ sub: USER_ID, role: 'authenticated' }).setProtectedHeader({ alg: 'ES256', kid: strangerKid }).sign(keys.signing.privateKey);
    expect(await refusal(unknownKid)).toBe(`403 bad_jwt ${PREFIX}token is unverifiable: error while executing keyfunc: invalid kid: ${strangerKid}`);

    const noKid = await new SignJWT({ sub: USER_ID, role: 'authenticated' }).setProtectedHeader({ alg: 'ES256' }).sign(keys.signing.privateKey);
    expect(await refusal(noKid)).toBe(`403 bad_jwt ${PREFIX}token is unverifiable: error while executing keyfunc: missing kid`);

    expect(await refusal(new UnsecuredJWT({ sub: USER_ID, role: 'authenticated' }).encode())).toBe(
      `403 bad_jwt ${PREFIX}token signature is invalid: signing method none is invalid`,
    );
  });
});
