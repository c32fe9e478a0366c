/**
 * Per-subscriber RLS and channel auth: two users with different rights on one table, an
 * anon subscriber, Supabase's DELETE rule, a policy that raises for one subscriber, token
 * refresh on a live channel, an expired token closing the channel, and ES256 session tokens
 * from Auth next to HS256 tokens minted with the secret.
 */
import { randomUUID } from 'node:crypto';
import type { RealtimePostgresChangesPayload, Session } from '@supabase/supabase-js';
import { decodeProtectedHeader } from 'jose';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { closeAllClients, closeDb, Collector, db, freshId, makeClient, mintUserToken, stack, subscribed, uniqueName } from './realtime-kit';

type Row = Record<string, unknown>;
type Change = RealtimePostgresChangesPayload<Row>;

afterEach(closeAllClients);
afterAll(closeDb);

async function watchNotes(token: string | undefined) {
  const client = await makeClient(token ? { token } : {});
  const changes = new Collector<Change>();
  await subscribed(client.channel(uniqueName('notes')).on('postgres_changes', { event: '*', schema: 'public', table: 'notes' }, changes.push));
  return { client, changes };
}

async function signUpSession(): Promise<Session> {
  const { data, error } = await (await makeClient()).auth.signUp({ email: `${uniqueName('rt')}@example.test`, password: 'correct horse battery' });
  if (error || !data.session) throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
  return data.session;
}

/** Opens the websocket with `apikey` as the handshake credential; resolves with the HTTP status. */
function upgradeStatus(apikey: string): Promise<number> {
  const socket = new WebSocket(`${stack().apiUrl.replace('http', 'ws')}/realtime/v1/websocket?vsn=2.0.0&apikey=${apikey}`);
  return new Promise((resolve) => {
    socket.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
  });
}

describe('RLS per subscriber', () => {
  test('each user receives exactly their rows; anon receives nothing', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const a = await watchNotes(await mintUserToken(alice));
    const b = await watchNotes(await mintUserToken(bob));
    const anon = await watchNotes(undefined);
    const service = await makeClient({ key: stack().serviceRoleKey });
    const all = new Collector<Change>();
    await subscribed(service.channel(uniqueName('all')).on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'notes' }, all.push));

    await db().query(`insert into public.notes (owner_id, title) values ($1, 'a1'), ($2, 'b1'), ($1, 'a2')`, [alice, bob]);
    await db().query(`update public.notes set title = 'b1!' where owner_id = $1`, [bob]);
    await all.waitFor((items) => items.filter((change) => [alice, bob].some((id) => id === (change.new as Row).owner_id)).length >= 3);
    await a.changes.waitForCount(2);
    await b.changes.waitForCount(2);

    expect(a.changes.items.map((change) => [change.eventType, (change.new as Row).title])).toEqual([['INSERT', 'a1'], ['INSERT', 'a2']]);
    expect(b.changes.items.map((change) => [change.eventType, (change.new as Row).title])).toEqual([['INSERT', 'b1'], ['UPDATE', 'b1!']]);
    expect(anon.changes.items).toEqual([]);
  });

  test('DELETE follows Supabase: no RLS check, old record holds only the primary key', async () => {
    const alice = randomUUID();
    const a = await watchNotes(await mintUserToken(alice));
    const { rows } = await db().query<{ id: string }>(`insert into public.notes (owner_id, title) values ($1, 'gone') returning id`, [alice]);
    // The RLS check reads the row when the change is processed (as hosted Realtime does): let the insert through first.
    await a.changes.waitForCount(1);
    await db().query(`delete from public.notes where id = $1`, [rows[0]!.id]);
    const [, remove] = await a.changes.waitForCount(2);
    expect(remove).toMatchObject({ eventType: 'DELETE', old: { id: Number(rows[0]!.id) }, new: {} });
    expect(Object.keys(remove!.old)).toEqual(['id']);
  });

  test('a policy that raises for one subscriber does not stop the others', async () => {
    const exploding = await makeClient({ token: await mintUserToken(randomUUID(), { extra: { explode: 'yes' } }) });
    const healthy = await makeClient({ token: await mintUserToken(randomUUID()) });
    const [bad, good] = [new Collector<Change>(), new Collector<Change>()];
    await subscribed(exploding.channel(uniqueName('g')).on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'guarded' }, bad.push));
    await subscribed(healthy.channel(uniqueName('g')).on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'guarded' }, good.push));
    const id = freshId();
    await db().query(`insert into public.guarded (id, body) values ($1, 'x')`, [id]);
    await good.waitForCount(1);
    expect((good.items[0]!.new as Row).id).toBe(id);
    expect(bad.items).toEqual([]);
  });
});

describe('ES256 session tokens', () => {
  test('a session from Auth subscribes and receives its own rows, as an HS256 token for the same user does', async () => {
    const session = await signUpSession();
    expect(decodeProtectedHeader(session.access_token)).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
    const es256 = await watchNotes(session.access_token);
    const hs256 = await watchNotes(await mintUserToken(session.user.id));
    const stranger = await watchNotes(await mintUserToken(randomUUID()));
    await db().query(`insert into public.notes (owner_id, title) values ($1, 'for the session')`, [session.user.id]);
    await es256.changes.waitForCount(1);
    await hs256.changes.waitForCount(1);
    expect(es256.changes.items.map((change) => (change.new as Row).title)).toEqual(['for the session']);
    expect(hs256.changes.items.map((change) => (change.new as Row).title)).toEqual(['for the session']);
    expect(stranger.changes.items).toEqual([]);
  });

  test('the websocket upgrade accepts an ES256 session token and refuses one with a tampered signature', async () => {
    const { access_token: token } = await signUpSession();
    expect(await upgradeStatus(token)).toBe(101);
    const [header, payload, signature] = token.split('.');
    expect(await upgradeStatus(`${header}.${payload}.${(signature![0] === 'A' ? 'B' : 'A') + signature!.slice(1)}`)).toBe(401);
  });
});

describe('channel auth', () => {
  test('token refresh on a live channel switches whose rows arrive', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    const { client, changes } = await watchNotes(await mintUserToken(alice));
    await db().query(`insert into public.notes (owner_id, title) values ($1, 'for alice')`, [alice]);
    await changes.waitForCount(1);
    await client.realtime.setAuth(await mintUserToken(bob));
    // The refreshed token is in force once the server has seen the push; prove it with bob's row.
    await expect
      .poll(async () => {
        await db().query(`insert into public.notes (owner_id, title) values ($1, 'for bob')`, [bob]);
        return changes.items.some((change) => (change.new as Row).owner_id === bob);
      }, { timeout: 10_000, interval: 200 })
      .toBe(true);
    await db().query(`insert into public.notes (owner_id, title) values ($1, 'alice again')`, [alice]);
    await db().query(`insert into public.notes (owner_id, title) values ($1, 'bob last')`, [bob]);
    await changes.waitFor((items) => items.some((change) => (change.new as Row).title === 'bob last'));
    expect(changes.items.filter((change) => (change.new as Row).title === 'alice again')).toEqual([]);
  });

  test('an expired token pushed on a live channel gives a system error and closes it', async () => {
    const client = await makeClient({ token: await mintUserToken(randomUUID()) });
    const system = new Collector<Record<string, unknown>>();
    const statuses = new Collector<string>();
    const channel = client.channel(uniqueName('exp')).on('system', {}, system.push);
    await new Promise<void>((resolve) => channel.subscribe((status) => {
      statuses.push(status);
      if (status === 'SUBSCRIBED') resolve();
    }));
    await client.realtime.setAuth(await mintUserToken(randomUUID(), { expiresInS: -60 }));
    await system.waitForCount(1);
    expect(system.items[0]).toMatchObject({ extension: 'system', status: 'error', message: expect.stringMatching(/expired/i) });
    await statuses.waitFor((items) => items.includes('CLOSED'));
  });

  test('a token that expires while joined closes the channel with a system error', async () => {
    const client = await makeClient({ token: await mintUserToken(randomUUID(), { expiresInS: 2 }) });
    const system = new Collector<Record<string, unknown>>();
    const channel = client.channel(uniqueName('exp2')).on('system', {}, system.push);
    await subscribed(channel);
    await system.waitForCount(1, 10_000);
    expect(system.items[0]).toMatchObject({ extension: 'system', status: 'error', message: 'Token has expired' });
  });

  test('the websocket upgrade refuses a missing or forged apikey with 401 JSON', async () => {
    const base = stack().apiUrl.replace('http', 'ws');
    const attempt = (query: string) =>
      new Promise<{ status: number; body: string }>((resolve) => {
        const socket = new WebSocket(`${base}/realtime/v1/websocket?${query}`);
        socket.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        socket.on('open', () => resolve({ status: 101, body: '' }));
      });
    expect(await attempt('vsn=2.0.0')).toEqual({ status: 401, body: JSON.stringify({ error: 'API key is missing' }) });
    const forged = await attempt('vsn=2.0.0&apikey=eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.x');
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toEqual({ error: expect.any(String) });
    expect((await attempt(`vsn=2.0.0&apikey=${stack().anonKey}`)).status).toBe(101);
  });
});
