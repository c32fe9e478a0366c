/** Sign-out scopes: global, local and others, and what each leaves usable. */
import { describe, expect, it } from 'vitest';
import { callAuth, DEFAULT_PASSWORD, makeClient, signUpUser } from './auth-test-kit';

async function signedInClient(email: string) {
  const client = makeClient();
  const { data, error } = await client.auth.signInWithPassword({ email, password: DEFAULT_PASSWORD });
  if (error || !data.session) throw new Error(`sign-in failed: ${error?.message}`);
  return { client, session: data.session };
}

async function refreshFails(refreshToken: string): Promise<string | undefined> {
  const { error } = await makeClient().auth.refreshSession({ refresh_token: refreshToken });
  return error?.code;
}

describe('sign-out', () => {
  it('revokes the refresh token of a signed-out session and answers 204', async () => {
    const { email } = await signUpUser('signout');
    const { client, session } = await signedInClient(email);
    const { error } = await client.auth.signOut();
    expect(error).toBeNull();
    expect(await refreshFails(session.refresh_token)).toBe('refresh_token_not_found');
    expect((await callAuth('/user', { bearer: session.access_token })).status).toBe(403);
  });

  it('global sign-out ends every session of the user', async () => {
    const { email } = await signUpUser('global');
    const a = await signedInClient(email);
    const b = await signedInClient(email);
    expect((await callAuth('/logout?scope=global', { method: 'POST', bearer: a.session.access_token })).status).toBe(204);
    expect(await refreshFails(a.session.refresh_token)).toBe('refresh_token_not_found');
    expect(await refreshFails(b.session.refresh_token)).toBe('refresh_token_not_found');
  });

  it('local sign-out ends only this session; others ends all but this one', async () => {
    const { email } = await signUpUser('scoped');
    const a = await signedInClient(email);
    const b = await signedInClient(email);
    const c = await signedInClient(email);
    expect((await a.client.auth.signOut({ scope: 'local' })).error).toBeNull();
    expect(await refreshFails(a.session.refresh_token)).toBe('refresh_token_not_found');
    expect((await b.client.auth.signOut({ scope: 'others' })).error).toBeNull();
    expect(await refreshFails(c.session.refresh_token)).toBe('refresh_token_not_found');
    expect(await refreshFails(b.session.refresh_token)).toBeUndefined();
  });

  it('refuses an unknown scope with validation_failed', async () => {
    const { session } = await signUpUser('badscope');
    const response = await callAuth('/logout?scope=everywhere', { method: 'POST', bearer: session.access_token });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ code: 'validation_failed', message: 'Unsupported logout scope "everywhere"' });
  });
});
