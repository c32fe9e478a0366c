/** Who may do what (apikey, JWT, RLS) and how refusals look; unknown names and hostile input never reach SQL. */
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { ALICE, BOB, anonClient, rawRest, serviceClient, sessionClient, uniqueName, userClient, userToken } from './rest-clients';

describe('apikey and JWT', () => {
  it('refuses a request without an apikey with 401 and a JSON message', async () => {
    const response = await rawRest('/books?select=id', { key: null });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'No API key found in request' });
  });

  it('refuses an invalid apikey with 401', async () => {
    const response = await rawRest('/books?select=id', { key: 'not-a-key' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'Invalid API key' });
  });

  it('refuses an expired or forged Bearer token with PGRST303 / PGRST301', async () => {
    const expired = await rawRest('/books?select=id', { headers: { Authorization: `Bearer ${await userToken(ALICE, -60)}` } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ code: 'PGRST303', message: 'JWT expired' });
    const token = await userToken(ALICE);
    const forged = await rawRest('/books?select=id', { headers: { Authorization: `Bearer ${token.slice(0, -4)}AAAA` } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'PGRST301' });
  });
});

describe('session tokens from Auth (ES256) and legacy HS256 tokens', () => {
  it('runs an ES256 session under RLS as its user, and an HS256 token for the same user sees the same rows', async () => {
    const session = await sessionClient('rest-es256');
    expect(decodeProtectedHeader(session.accessToken)).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
    const body = uniqueName('es256 note');
    const inserted = await session.client.from('notes').insert({ body }).select('body, owner_id').single();
    expect(inserted.error).toBeNull();
    expect(inserted.data).toEqual({ body, owner_id: session.userId });
    expect((await session.client.from('notes').select('body').eq('body', body)).data).toEqual([{ body }]);

    const legacy = await userClient(session.userId);
    expect((await legacy.from('notes').select('body').eq('body', body)).data).toEqual([{ body }]);
    const bob = await userClient(BOB);
    expect((await bob.from('notes').select('body').eq('body', body)).data).toEqual([]);
  });

  it('refuses an ES256 session token with a tampered signature with 401 PGRST301', async () => {
    const { accessToken } = await sessionClient('rest-tampered');
    const [header, payload, signature] = accessToken.split('.');
    const tampered = `${header}.${payload}.${(signature![0] === 'A' ? 'B' : 'A') + signature!.slice(1)}`;
    const response = await rawRest('/notes?select=body', { headers: { Authorization: `Bearer ${tampered}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await response.json()).toEqual({ code: 'PGRST301', details: null, hint: null, message: expect.any(String) });
  });
});

describe('row level security', () => {
  it('shows anon only the public notes', async () => {
    const { data } = await anonClient().from('notes').select('body').order('body');
    expect(data).toEqual([{ body: 'alice public' }]);
  });

  it('shows a signed-in user their own notes and public ones', async () => {
    const alice = await userClient(ALICE);
    const { data } = await alice.from('notes').select('body').like('body', 'alice%').order('body');
    expect(data).toEqual([{ body: 'alice private' }, { body: 'alice public' }]);
    const bob = await userClient(BOB);
    const bobs = await bob.from('notes').select('body').in('body', ['alice private', 'alice public', 'bob private']).order('body');
    expect(bobs.data).toEqual([{ body: 'alice public' }, { body: 'bob private' }]);
  });

  it('refuses anon writes with 401 (42501) and another user’s rows with 403', async () => {
    const anon = await anonClient().from('notes').insert({ body: 'sneaky', owner_id: ALICE });
    expect(anon.status).toBe(401);
    expect(anon.error?.code).toBe('42501');
    const bob = await userClient(BOB);
    const forged = await bob.from('notes').insert({ body: 'pretending to be alice', owner_id: ALICE });
    expect(forged.status).toBe(403);
    expect(forged.error?.code).toBe('42501');
    expect(forged.error?.message).toContain('row-level security');
  });

  it('lets a user insert their own note (owner from auth.uid()) and not update others', async () => {
    const bob = await userClient(BOB);
    const { data, error } = await bob.from('notes').insert({ body: 'bob new' }).select('body, owner_id').single();
    expect(error).toBeNull();
    expect(data).toEqual({ body: 'bob new', owner_id: BOB });
    const hijack = await bob.from('notes').update({ body: 'hijacked' }).eq('body', 'alice private').select();
    expect(hijack.data).toEqual([]);
    const check = await serviceClient().from('notes').select('body').eq('body', 'alice private');
    expect(check.data).toEqual([{ body: 'alice private' }]);
  });

  it('lets the service role bypass RLS', async () => {
    const { count } = await serviceClient().from('notes').select('id', { count: 'exact', head: true }).in('body', ['alice private', 'alice public', 'bob private']);
    expect(count).toBe(3);
  });
});

describe('unknown names', () => {
  const db = anonClient();

  it('answers 400 42703 for an unknown column in select, filter or order', async () => {
    for (const query of [db.from('books').select('id, nope'), db.from('books').select('id').eq('nope', 1), db.from('books').select('id').order('nope')]) {
      const { error, status } = await query;
      expect(status).toBe(400);
      expect(error).toEqual({ code: '42703', message: 'column books.nope does not exist', details: null, hint: null });
    }
  });

  it('answers 404 PGRST205 for an unknown table', async () => {
    const { error, status } = await db.from('nope').select('id');
    expect(status).toBe(404);
    expect(error).toMatchObject({ code: 'PGRST205', message: "Could not find the table 'public.nope' in the schema cache" });
  });

  it('answers 400 for an unknown cast type', async () => {
    const { status, error } = await db.from('books').select('id::nosuchtype');
    expect(status).toBe(400);
    expect(error?.code).toBe('42704');
  });
});

describe('hostile and malformed input', () => {
  const db = anonClient();

  it('treats injection-shaped values as literals', async () => {
    const drop = await db.from('books').select('id').eq('title', "'; drop table books; --");
    expect(drop.error).toBeNull();
    expect(drop.data).toEqual([]);
    const orTrue = await db.from('books').select('id').eq('id', '1) or (1=1');
    expect(orTrue.status).toBe(400);
    expect(orTrue.error?.code).toBe('22P02');
    const inList = await db.from('books').select('id').in('title', ["x') or true --", 'Mort']).lte('id', 6);
    expect(inList.data).toEqual([{ id: 4 }]);
  });

  it('treats injection-shaped identifiers as unknown names', async () => {
    const column = await rawRest(`/books?select=${encodeURIComponent('id,"title"" from books; drop table books; --"')}`);
    expect(column.status).toBe(400);
    const table = await rawRest(`/${encodeURIComponent('books; drop table books')}`);
    expect(table.status).toBe(404);
    const alias = await db.from('books').select('id, "x"" from books --":title').eq('id', 4);
    expect(alias.status).toBeLessThan(500);
  });

  it('answers PGRST100 for malformed filters, logic trees, order and limits', async () => {
    for (const path of ['/books?id=equals.1', '/books?or=(id.eq.1', '/books?or=id.eq.1', '/books?order=id.sideways', '/books?limit=ten', '/books?select=id,(']) {
      const response = await rawRest(path);
      expect(response.status, path).toBe(400);
      expect(await response.json(), path).toMatchObject({ code: 'PGRST100' });
    }
  });

  it('leaves the tables intact', async () => {
    const { count } = await serviceClient().from('books').select('id', { count: 'exact', head: true }).lte('id', 6);
    expect(count).toBe(6);
  });
});
