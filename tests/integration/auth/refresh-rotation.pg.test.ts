/**
 * Refresh-token rotation as GoTrue does it. The reuse interval (10 s in config.toml) is
 * not shortened for tests: a test that needs to be "outside" it moves the revoked token's
 * revocation time (auth.refresh_tokens.updated_at) into the past.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { makeClient, signUpUser, withPgClient } from './auth-test-kit';

async function refresh(refreshToken: string) {
  return makeClient().auth.refreshSession({ refresh_token: refreshToken });
}

async function backdateRevocation(token: string, seconds: number): Promise<void> {
  await withPgClient((db) =>
    db.query(`update auth.refresh_tokens set updated_at = updated_at - make_interval(secs => $2) where token = $1`, [token, seconds]),
  );
}

async function tokenRow(token: string) {
  return withPgClient(async (db) => {
    const { rows } = await db.query('select revoked, parent, session_id from auth.refresh_tokens where token = $1', [token]);
    return rows[0] as { revoked: boolean; parent: string | null; session_id: string } | undefined;
  });
}

describe('refresh-token rotation', () => {
  it('issues a new access and refresh token and revokes the old one, linking it as parent', async () => {
    const { session } = await signUpUser('refresh');
    const { data, error } = await refresh(session.refresh_token);
    expect(error).toBeNull();
    expect(data.session?.refresh_token).toMatch(/^[a-z0-9]{12}$/);
    expect(data.session?.refresh_token).not.toBe(session.refresh_token);
    // A fresh access token for the same session (byte-identical when minted in the same
    // second, as GoTrue's would be: its claims carry no jti).
    const before = decodeJwt(session.access_token);
    const after = decodeJwt(data.session!.access_token);
    expect(after.session_id).toBe(before.session_id);
    expect(after.iat).toBeGreaterThanOrEqual(before.iat!);
    expect((await makeClient().auth.getUser(data.session!.access_token)).error).toBeNull();
    expect(data.user?.id).toBe(session.user.id);
    expect(await tokenRow(session.refresh_token)).toMatchObject({ revoked: true });
    expect(await tokenRow(data.session!.refresh_token)).toMatchObject({ revoked: false, parent: session.refresh_token });
  });

  it('answers a retried parent token with the current token instead of branching', async () => {
    const { session } = await signUpUser('retry');
    const first = await refresh(session.refresh_token);
    const retried = await refresh(session.refresh_token);
    expect(retried.error).toBeNull();
    expect(retried.data.session?.refresh_token).toBe(first.data.session?.refresh_token);
  });

  it('rejects an old token outside the reuse interval with refresh_token_already_used and revokes the session', async () => {
    const { session } = await signUpUser('reuse');
    const second = (await refresh(session.refresh_token)).data.session!;
    const third = (await refresh(second.refresh_token)).data.session!;
    await backdateRevocation(session.refresh_token, 60);

    const { data, error } = await refresh(session.refresh_token);
    expect(data.session).toBeNull();
    expect(error).toMatchObject({ status: 400, code: 'refresh_token_already_used', message: 'Invalid Refresh Token: Already Used' });
    expect(await tokenRow(third.refresh_token)).toMatchObject({ revoked: true });
  });

  it('still exchanges a non-current revoked token within the reuse interval', async () => {
    const { session } = await signUpUser('within');
    const second = (await refresh(session.refresh_token)).data.session!;
    await refresh(second.refresh_token);
    const { data, error } = await refresh(session.refresh_token);
    expect(error).toBeNull();
    expect(data.session?.user.id).toBe(session.user.id);
  });

  it('serialises concurrent refreshes of one token onto a single new token', async () => {
    const { session } = await signUpUser('race');
    const results = await Promise.all([refresh(session.refresh_token), refresh(session.refresh_token), refresh(session.refresh_token)]);
    const issued = new Set(results.map((result) => result.data.session?.refresh_token));
    expect(results.map((result) => result.error)).toEqual([null, null, null]);
    expect(issued.size).toBe(1);
  });

  it('rejects an unknown token with refresh_token_not_found', async () => {
    const { error } = await refresh('abcdefghijkl');
    expect(error).toMatchObject({ status: 400, code: 'refresh_token_not_found', message: 'Invalid Refresh Token: Refresh Token Not Found' });
  });
});
