/** Sign-up (autoconfirm) and password sign-in, through supabase-js, as a new user would. */
import { describe, expect, it } from 'vitest';
import { callAuth, DEFAULT_PASSWORD, makeClient, signUpUser, uniqueEmail, withPgClient } from './auth-test-kit';

describe('sign-up', () => {
  it('creates a confirmed user with an email identity and returns a session', async () => {
    const email = uniqueEmail('Signup');
    const { data, error } = await makeClient().auth.signUp({ email, password: DEFAULT_PASSWORD, options: { data: { display_name: 'Ada' } } });
    expect(error).toBeNull();
    expect(data.session).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(data.session?.refresh_token).toMatch(/^[a-z0-9]{12}$/);
    const user = data.user!;
    expect(user).toMatchObject({
      aud: 'authenticated',
      role: 'authenticated',
      email: email.toLowerCase(),
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { display_name: 'Ada', email: email.toLowerCase(), email_verified: true, sub: user.id },
      is_anonymous: false,
    });
    expect(user.email_confirmed_at).toBeTruthy();
    expect(user.confirmed_at).toBe(user.email_confirmed_at);
    expect(user.last_sign_in_at).toBeTruthy();
    expect(user.identities).toHaveLength(1);
    expect(user.identities?.[0]).toMatchObject({ provider: 'email', id: user.id, user_id: user.id, email: email.toLowerCase() });

    await withPgClient(async (db) => {
      const users = await db.query('select email, encrypted_password, aud, role from auth.users where id = $1', [user.id]);
      expect(users.rows[0]).toMatchObject({ email: email.toLowerCase(), aud: 'authenticated', role: 'authenticated' });
      expect(users.rows[0].encrypted_password).toMatch(/^\$2[aby]\$10\$/);
      const identities = await db.query('select provider, provider_id from auth.identities where user_id = $1', [user.id]);
      expect(identities.rows).toEqual([{ provider: 'email', provider_id: user.id }]);
      const sessions = await db.query('select count(*)::int as n from auth.sessions where user_id = $1', [user.id]);
      expect(sessions.rows[0].n).toBe(1);
    });
  });

  it('refuses an email that is already registered with user_already_exists', async () => {
    const { email } = await signUpUser('dup');
    const { data, error } = await makeClient().auth.signUp({ email: email.toUpperCase(), password: DEFAULT_PASSWORD });
    expect(data.session).toBeNull();
    expect(error).toMatchObject({ status: 422, code: 'user_already_exists', message: 'User already registered' });
  });

  it('refuses a short password with weak_password and its reasons', async () => {
    const { error } = await makeClient().auth.signUp({ email: uniqueEmail('weak'), password: '12345' });
    expect(error).toMatchObject({ status: 422, code: 'weak_password', reasons: ['length'] });
    expect(error?.message).toBe('Password should be at least 6 characters.');
  });

  it('refuses a malformed email with validation_failed', async () => {
    const { error } = await makeClient().auth.signUp({ email: 'not-an-email', password: DEFAULT_PASSWORD });
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', message: 'Unable to validate email address: invalid format' });
  });
});

describe('password sign-in', () => {
  it('signs in a signed-up user and records last_sign_in_at and a new session', async () => {
    const { email, session: first } = await signUpUser('signin');
    const { data, error } = await makeClient().auth.signInWithPassword({ email, password: DEFAULT_PASSWORD });
    expect(error).toBeNull();
    expect(data.user?.id).toBe(first.user.id);
    expect(data.session?.refresh_token).not.toBe(first.refresh_token);
    expect(new Date(data.user!.last_sign_in_at!).getTime()).toBeGreaterThanOrEqual(new Date(first.user.last_sign_in_at!).getTime());
    await withPgClient(async (db) => {
      const sessions = await db.query('select count(*)::int as n from auth.sessions where user_id = $1', [first.user.id]);
      expect(sessions.rows[0].n).toBe(2);
    });
  });

  it('answers a wrong password and an unknown email alike: invalid_credentials', async () => {
    const { email } = await signUpUser('wrongpw');
    for (const attempt of [
      { email, password: 'not the password' },
      { email: uniqueEmail('nobody'), password: DEFAULT_PASSWORD },
    ]) {
      const { data, error } = await makeClient().auth.signInWithPassword(attempt);
      expect(data.session).toBeNull();
      expect(error).toMatchObject({ name: 'AuthApiError', status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' });
    }
  });

  it('signs in a seed-style user whose password was set with pgcrypto crypt()', async () => {
    const email = uniqueEmail('seeded');
    const id = await withPgClient(async (db) => {
      const { rows } = await db.query(
        `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
           raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
         values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1,
           extensions.crypt('pupil-pass', extensions.gen_salt('bf')), now(),
           '{"provider":"email","providers":["email"]}', '{"full_name":"Seed Teacher"}', now(), now())
         returning id`,
        [email],
      );
      return rows[0].id as string;
    });
    const { data, error } = await makeClient().auth.signInWithPassword({ email, password: 'pupil-pass' });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id, email, user_metadata: { full_name: 'Seed Teacher' }, identities: [] });
  });

  it('refuses an unconfirmed user with email_not_confirmed', async () => {
    const email = uniqueEmail('unconfirmed');
    await withPgClient((db) =>
      db.query(
        `insert into auth.users (id, aud, role, email, encrypted_password, created_at, updated_at)
         values (gen_random_uuid(), 'authenticated', 'authenticated', $1, extensions.crypt('pupil-pass', extensions.gen_salt('bf')), now(), now())`,
        [email],
      ),
    );
    const { error } = await makeClient().auth.signInWithPassword({ email, password: 'pupil-pass' });
    expect(error).toMatchObject({ status: 400, code: 'email_not_confirmed' });
  });
});

describe('the /token endpoint', () => {
  it('refuses an unsupported grant type as GoTrue does', async () => {
    const response = await callAuth('/token?grant_type=magic', { method: 'POST', body: {} });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ code: 'invalid_credentials', message: 'unsupported_grant_type' });
  });

  it('uses the legacy error body when the client sends no API version', async () => {
    const response = await callAuth('/token?grant_type=password', { method: 'POST', body: { email: uniqueEmail('x'), password: 'nope-nope' }, apiVersion: null });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-supabase-api-version')).toBeNull();
    expect(response.headers.get('x-sb-error-code')).toBe('invalid_credentials');
    expect(response.body).toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
  });

  it('echoes the API version and sets x-sb-error-code on errors', async () => {
    const response = await callAuth('/token?grant_type=password', { method: 'POST', body: { email: uniqueEmail('x'), password: 'nope-nope' } });
    expect(response.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(response.headers.get('x-sb-error-code')).toBe('invalid_credentials');
  });
});
