/**
 * One request, one transaction, on pooled connections: the role, claims and request
 * settings of one request never reach the next, whatever failed before; `tx=rollback` and
 * refusals after the statement undo writes; the first error is the one reported.
 */
import { SignJWT } from 'jose';
import { describe, expect, it, inject } from 'vitest';
import { ALICE, BOB, anonClient, rawRest, serviceClient, uniqueName, userClient } from './rest-clients';

const stack = inject('stack');
// More requests in flight than the authenticator pool's 20 connections, so they queue and reuse.
const CONCURRENT_REQUESTS = 60;

describe('transactions on pooled connections', () => {
  it('keeps each request to its own role and claims while others fail around it', async () => {
    const [alice, bob] = await Promise.all([userClient(ALICE), userClient(BOB)]);
    const callers = [
      { db: anonClient(), expected: 'anonymous:anon' },
      { db: alice, expected: `${ALICE}:authenticated` },
      { db: bob, expected: `${BOB}:authenticated` },
      { db: serviceClient(), expected: 'anonymous:service_role' },
    ];
    const work = Array.from({ length: CONCURRENT_REQUESTS }, async (_, i) => {
      const caller = callers[i % callers.length]!;
      if (i % 3 === 1) {
        const failed = await caller.db.rpc('fail_with', { message: 'in the middle' });
        expect(failed.error?.message).toBe('in the middle');
      } else if (i % 3 === 2) {
        const bad = await caller.db.from('books').select('id').eq('id', 'not-a-number');
        expect(bad.error?.code).toBe('22P02');
      }
      const { data, error } = await caller.db.rpc('whoami');
      expect(error).toBeNull();
      expect(data).toBe(caller.expected);
    });
    await Promise.all(work);
  });

  it('gives a read refused after its statement (PGRST116) and the next read on the pool their own answers', async () => {
    const db = anonClient();
    for (let i = 0; i < 25; i++) {
      const refused = await db.from('books').select('id').single();
      expect(refused.error?.code).toBe('PGRST116');
      const one = await db.from('books').select('id').eq('id', 1).single();
      expect(one.data).toEqual({ id: 1 });
    }
  });

  it('undoes a write and a volatile rpc under Prefer: tx=rollback, answering as if committed', async () => {
    const name = uniqueName('rollback');
    const insert = await rawRest('/counters', {
      method: 'POST',
      key: stack.serviceRoleKey,
      headers: { 'Content-Type': 'application/json', Prefer: 'return=representation, tx=rollback', Authorization: `Bearer ${stack.serviceRoleKey}` },
      body: JSON.stringify({ name, value: 7 }),
    });
    expect(insert.status).toBe(201);
    expect(await insert.json()).toEqual([{ name, value: 7, note: 'fresh' }]);
    const service = serviceClient();
    expect((await service.from('counters').select('name').eq('name', name)).data).toEqual([]);

    await service.from('counters').insert({ name, value: 0 });
    const bump = await rawRest('/rpc/bump_counter', {
      method: 'POST',
      key: stack.serviceRoleKey,
      headers: { 'Content-Type': 'application/json', Prefer: 'tx=rollback', Authorization: `Bearer ${stack.serviceRoleKey}` },
      body: JSON.stringify({ counter_name: name }),
    });
    expect(bump.status).toBe(204);
    expect((await service.from('counters').select('value').eq('name', name)).data).toEqual([{ value: 0 }]);
  });

  it('rolls back an insert whose representation is refused as a single object', async () => {
    const service = serviceClient();
    const names = [uniqueName('single'), uniqueName('single')];
    const { error, status } = await service.from('counters').insert(names.map((name) => ({ name }))).select('name').single();
    expect(status).toBe(406);
    expect(error?.code).toBe('PGRST116');
    expect((await service.from('counters').select('name').in('name', names)).data).toEqual([]);
  });

  it("reports the role setting's own error for a token naming a role that does not exist", async () => {
    const token = await new SignJWT({ role: 'no_such_role' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
      .sign(new TextEncoder().encode(stack.jwtSecret));
    const response = await rawRest('/books?select=id', { headers: { Authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).not.toBe('25P02');
    expect(body.message).toContain('no_such_role');
  });
});
