/** GET /user and the access token: claims as GoTrue mints them, and every way a token is refused. */
import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { callAuth, makeClient, signUpUser, stack, withPgClient } from './auth-test-kit';

const secret = new TextEncoder().encode(stack.jwtSecret);

describe('the access token', () => {
  it('carries GoTrue claims for the user and session', async () => {
    const { email, session } = await signUpUser('claims', { display_name: 'Grace' });
    const claims = decodeJwt(session.access_token);
    expect(claims).toMatchObject({
      iss: `${stack.apiUrl}/auth/v1`,
      sub: session.user.id,
      aud: 'authenticated',
      role: 'authenticated',
      email,
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { display_name: 'Grace', email_verified: true },
      aal: 'aal1',
      is_anonymous: false,
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(session.expires_at).toBe(claims.exp);
    expect(claims.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }]);
    await withPgClient(async (db) => {
      const { rows } = await db.query('select user_id from auth.sessions where id = $1', [claims.session_id]);
      expect(rows).toEqual([{ user_id: session.user.id }]);
    });
  });
});

describe('GET /user', () => {
  it('returns the signed-in user', async () => {
    const { email, session } = await signUpUser('getuser');
    const { data, error } = await makeClient().auth.getUser(session.access_token);
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: session.user.id, email, aud: 'authenticated', role: 'authenticated' });
    expect(data.user?.identities).toHaveLength(1);
  });

  it('refuses a request without a Bearer token with 401 no_authorization', async () => {
    const response = await callAuth('/user');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ code: 'no_authorization', message: 'This endpoint requires a valid Bearer token' });
  });

  it('refuses an expired token with 403 bad_jwt', async () => {
    const { session } = await signUpUser('expired');
    const claims = decodeJwt(session.access_token);
    const past = Math.floor(Date.now() / 1000) - 7200;
    const expired = await new SignJWT({ ...claims, iat: past, exp: past + 3600 }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
    const { data, error } = await makeClient().auth.getUser(expired);
    expect(data.user).toBeNull();
    expect(error).toMatchObject({ status: 403, code: 'bad_jwt' });
    expect(error?.message).toBe('invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired');
  });

  it('refuses a token with a tampered signature with 403 bad_jwt', async () => {
    const { session } = await signUpUser('tampered');
    const [header, payload, signature] = session.access_token.split('.');
    const flipped = (signature![0] === 'A' ? 'B' : 'A') + signature!.slice(1);
    const { error } = await makeClient().auth.getUser(`${header}.${payload}.${flipped}`);
    expect(error).toMatchObject({ status: 403, code: 'bad_jwt' });
    // Session tokens are ES256: golang-jwt's ECDSA method words the failure itself.
    expect(error?.message).toBe('invalid JWT: unable to parse or verify signature, token signature is invalid: crypto/ecdsa: verification error');
    const forged = await new SignJWT({ ...decodeJwt(session.access_token) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode('x'.repeat(48)));
    expect((await makeClient().auth.getUser(forged)).error).toMatchObject({ status: 403, code: 'bad_jwt' });
  });

  it('accepts an HS256 token signed with the project secret, as issued before the signing key', async () => {
    const { email, session } = await signUpUser('legacy');
    const legacy = await new SignJWT({ ...decodeJwt(session.access_token) }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
    const { data, error } = await makeClient().auth.getUser(legacy);
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: session.user.id, email });
  });

  it('refuses a token whose session was deleted with 403 session_not_found', async () => {
    const { session } = await signUpUser('nosession');
    const sessionId = decodeJwt(session.access_token).session_id;
    await withPgClient((db) => db.query('delete from auth.sessions where id = $1', [sessionId]));
    const response = await callAuth('/user', { bearer: session.access_token });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ code: 'session_not_found', message: 'Session from session_id claim in JWT does not exist' });
    // auth-js turns this code into its "session missing" error.
    const { error } = await makeClient().auth.getUser(session.access_token);
    expect(error?.name).toBe('AuthSessionMissingError');
  });

  it('refuses the anon key, which has no sub claim', async () => {
    const response = await callAuth('/user', { bearer: stack.anonKey });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'bad_jwt' });
  });
});
