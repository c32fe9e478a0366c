/**
 * Asymmetric session tokens, as a hosted project with JWT signing keys issues them: the
 * JWKS is public and cacheable and holds nothing private, sessions are ES256 under its kid,
 * and supabase-js `getClaims()` verifies them locally instead of calling GET /user.
 */
import { createClient } from '@supabase/supabase-js';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callAuth, DEFAULT_PASSWORD, makeClient, signUpUser, stack, type NoTables } from './auth-test-kit';

const JWKS_URL = `${stack.apiUrl}/auth/v1/.well-known/jwks.json`;

const publicJwkSchema = z
  .object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    alg: z.literal('ES256'),
    kid: z.string().uuid(),
    use: z.literal('sig'),
    key_ops: z.tuple([z.literal('verify')]),
    ext: z.literal(true),
    x: z.string(),
    y: z.string(),
  })
  .strict();
const jwksSchema = z.object({ keys: z.array(publicJwkSchema).length(1) }).strict();

async function publishedKey() {
  const response = await fetch(JWKS_URL);
  return jwksSchema.parse(await response.json()).keys[0]!;
}

/** A supabase-js client whose every request is recorded as `METHOD /path`. */
function recordingClient() {
  const requests: string[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : input.toString());
    requests.push(`${init?.method ?? request?.method ?? 'GET'} ${url.pathname}`);
    return fetch(input, init);
  };
  const client = createClient<NoTables>(stack.apiUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { fetch: recordingFetch },
  });
  return { client, requests };
}

async function signedInRecordingClient() {
  const { email } = await signUpUser('claims');
  const recorded = recordingClient();
  const { data, error } = await recorded.client.auth.signInWithPassword({ email, password: DEFAULT_PASSWORD });
  if (error || !data.session) throw new Error(`sign-in failed: ${error?.message ?? 'no session'}`);
  recorded.requests.length = 0;
  return { ...recorded, email, session: data.session };
}

describe('GET /.well-known/jwks.json', () => {
  it('serves the public ES256 key without an apikey, cacheable for ten minutes, with nothing private in it', async () => {
    const response = await fetch(JWKS_URL);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=600');
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    const jwks = jwksSchema.parse(JSON.parse(text));
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(text).not.toContain(stack.jwtSecret);
  });

  it('is the same document with the apikey the official client sends', async () => {
    const response = await callAuth('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    expect(jwksSchema.parse(response.body).keys[0]).toEqual(await publishedKey());
  });
});

describe('session access tokens', () => {
  it('are ES256 under the published kid, and verify against the JWKS', async () => {
    const { email } = await signUpUser('es256');
    const { data, error } = await makeClient().auth.signInWithPassword({ email, password: DEFAULT_PASSWORD });
    expect(error).toBeNull();
    const token = data.session!.access_token;
    const { kid } = await publishedKey();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid, typ: 'JWT' });
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(JWKS_URL)), {
      issuer: `${stack.apiUrl}/auth/v1`,
      audience: 'authenticated',
      algorithms: ['ES256'],
    });
    expect(payload).toMatchObject({ sub: data.user!.id, email, role: 'authenticated' });
  });
});

describe('getClaims()', () => {
  it('verifies the session locally: no GET /user, at most one JWKS fetch for repeated calls', async () => {
    const { client, requests, email, session } = await signedInRecordingClient();
    for (let call = 0; call < 5; call++) {
      const { data, error } = await client.auth.getClaims();
      expect(error).toBeNull();
      expect(data?.claims).toMatchObject({ sub: session.user.id, email, role: 'authenticated' });
      expect(data?.header).toMatchObject({ alg: 'ES256', kid: (await publishedKey()).kid });
    }
    expect(requests.filter((request) => request === 'GET /auth/v1/user')).toEqual([]);
    // auth-js caches the JWKS process-wide for ten minutes, so an earlier test may have fetched it.
    expect(requests.filter((request) => request !== 'GET /auth/v1/.well-known/jwks.json')).toEqual([]);
    expect(requests.length).toBeLessThanOrEqual(1);
  });

  it('refuses a token signed by another ES256 key that claims the published kid', async () => {
    const { client, requests, session } = await signedInRecordingClient();
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(decodeJwt(session.access_token))
      .setProtectedHeader({ alg: 'ES256', kid: (await publishedKey()).kid, typ: 'JWT' })
      .sign(privateKey);
    const { data, error } = await client.auth.getClaims(forged);
    expect(data).toBeNull();
    expect(error).toMatchObject({ name: 'AuthInvalidJwtError', message: 'Invalid JWT signature' });
    expect(requests.filter((request) => request === 'GET /auth/v1/user')).toEqual([]);

    const user = await callAuth('/user', { bearer: forged });
    expect(user.status).toBe(403);
    expect(user.body).toEqual({
      code: 'bad_jwt',
      message: 'invalid JWT: unable to parse or verify signature, token signature is invalid: crypto/ecdsa: verification error',
    });
  });
});
