/** Writes through supabase-js: insert (one and bulk), upsert both ways, update, delete, representation, counts. */
import { describe, expect, it } from 'vitest';
import { rawRest, serviceClient, uniqueName } from './rest-clients';

const db = serviceClient();

async function makeAuthor(country = 'TEST') {
  const { data, error } = await db.from('authors').insert({ name: uniqueName('author'), country }).select().single();
  expect(error).toBeNull();
  return data as { id: number; name: string; country: string };
}

describe('insert', () => {
  it('inserts one object with return=minimal: 201 and no body', async () => {
    const name = uniqueName('minimal');
    const { data, error, status } = await db.from('authors').insert({ name, country: 'TEST' });
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toBeNull();
    const check = await db.from('authors').select('name').eq('name', name);
    expect(check.data).toEqual([{ name }]);
  });

  it('inserts and returns the row with defaults filled in', async () => {
    const author = await makeAuthor();
    const { data, status } = await db.from('books').insert({ title: 'Fresh', author_id: author.id }).select('title, tags, meta, published').single();
    expect(status).toBe(201);
    expect(data).toEqual({ title: 'Fresh', tags: [], meta: {}, published: true });
  });

  it('inserts a bulk array (columns=) and returns embedded resources', async () => {
    const author = await makeAuthor();
    const { data, error, count } = await db
      .from('books')
      .insert([
        { title: 'Bulk A', author_id: author.id, pages: 10, tags: [] },
        { title: 'Bulk B', author_id: author.id, tags: ['x'] },
      ], { count: 'exact' })
      .select('title, pages, tags, author:authors!author_id(name)');
    expect(error).toBeNull();
    expect(count).toBe(2);
    expect(data).toEqual([
      { title: 'Bulk A', pages: 10, tags: [], author: { name: author.name } },
      { title: 'Bulk B', pages: null, tags: ['x'], author: { name: author.name } },
    ]);
  });

  it('sends null for a key missing from some rows of a bulk insert (23502 on a not-null column)', async () => {
    const author = await makeAuthor();
    const { error, status } = await db.from('books').insert([{ title: 'No tags', author_id: author.id }, { title: 'Tags', author_id: author.id, tags: ['z'] }]);
    expect(status).toBe(400);
    expect(error?.code).toBe('23502');
  });

  it('uses column defaults for missing keys with defaultToNull: false', async () => {
    const author = await makeAuthor();
    const { data, error } = await db
      .from('books')
      .insert([{ title: 'Defaulted', author_id: author.id }, { title: 'Tagged', author_id: author.id, tags: ['y'] }], { defaultToNull: false })
      .select('title, tags');
    expect(error).toBeNull();
    expect(data).toEqual([
      { title: 'Defaulted', tags: [] },
      { title: 'Tagged', tags: ['y'] },
    ]);
  });

  it('refuses a unique violation with 409 and code 23505', async () => {
    const author = await makeAuthor();
    const { error, status } = await db.from('authors').insert({ name: author.name });
    expect(status).toBe(409);
    expect(error).toMatchObject({ code: '23505' });
    expect(error?.message).toContain('duplicate key value violates unique constraint');
  });

  it('refuses a foreign-key violation with 409 and code 23503', async () => {
    const { error, status } = await db.from('books').insert({ title: 'Orphan', author_id: 999_999 });
    expect(status).toBe(409);
    expect(error?.code).toBe('23503');
  });

  it('refuses a key that is not a column with PGRST204', async () => {
    const { error, status } = await db.from('authors').insert({ name: uniqueName('x'), shoe_size: 9 });
    expect(status).toBe(400);
    expect(error?.code).toBe('PGRST204');
  });

  it('refuses a body that is not JSON with PGRST102', async () => {
    const response = await rawRest('/authors', { method: 'POST', body: '{nope', headers: { 'Content-Type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'PGRST102' });
  });
});

describe('upsert', () => {
  it('merges duplicates on the primary key', async () => {
    const name = uniqueName('counter');
    await db.from('counters').insert({ name, value: 1 });
    const { data, error } = await db.from('counters').upsert({ name, value: 7 }).select('name, value, note');
    expect(error).toBeNull();
    expect(data).toEqual([{ name, value: 7, note: 'fresh' }]);
  });

  it('merges on another unique column with onConflict', async () => {
    const author = await makeAuthor('OLD');
    const { data } = await db.from('authors').upsert({ name: author.name, country: 'NEW' }, { onConflict: 'name' }).select('id, country').single();
    expect(data).toEqual({ id: author.id, country: 'NEW' });
  });

  it('ignores duplicates with ignoreDuplicates', async () => {
    const author = await makeAuthor('KEEP');
    const { data, error } = await db
      .from('authors')
      .upsert([{ name: author.name, country: 'LOST' }, { name: uniqueName('new'), country: 'ADDED' }], { onConflict: 'name', ignoreDuplicates: true })
      .select('country');
    expect(error).toBeNull();
    expect(data).toEqual([{ country: 'ADDED' }]);
    const kept = await db.from('authors').select('country').eq('id', author.id).single();
    expect(kept.data).toEqual({ country: 'KEEP' });
  });
});

describe('update and delete', () => {
  it('updates the filtered rows: 204 minimal, 200 with representation and count', async () => {
    const author = await makeAuthor('A');
    const minimal = await db.from('authors').update({ country: 'B' }).eq('id', author.id);
    expect(minimal.status).toBe(204);
    const { data, status, count } = await db.from('authors').update({ country: 'C' }, { count: 'exact' }).eq('id', author.id).select('country');
    expect(status).toBe(200);
    expect(count).toBe(1);
    expect(data).toEqual([{ country: 'C' }]);
  });

  it('updates nothing when no row matches', async () => {
    const { data, error } = await db.from('authors').update({ country: 'Z' }).eq('id', -5).select();
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('deletes the filtered rows and returns them', async () => {
    const author = await makeAuthor('GONE');
    const { data, status } = await db.from('authors').delete().eq('id', author.id).select('name');
    expect(status).toBe(200);
    expect(data).toEqual([{ name: author.name }]);
    const after = await db.from('authors').select('id').eq('id', author.id);
    expect(after.data).toEqual([]);
  });

  it('deletes with return=minimal: 204', async () => {
    const author = await makeAuthor('GONE');
    const { status, error } = await db.from('authors').delete().eq('id', author.id);
    expect(error).toBeNull();
    expect(status).toBe(204);
  });

  it('refuses an update or delete without filters, as safeupdate does', async () => {
    const update = await db.from('counters').update({ value: 0 });
    expect(update.status).toBe(400);
    expect(update.error?.code).toBe('21000');
    const remove = await db.from('counters').delete();
    expect(remove.error?.message).toBe('DELETE requires a WHERE clause');
  });

  it('rolls a single() write back when it touches several rows', async () => {
    const a = await makeAuthor('MULTI');
    const b = await makeAuthor('MULTI');
    const { error, status } = await db.from('authors').update({ country: 'CHANGED' }).in('id', [a.id, b.id]).select().single();
    expect(status).toBe(406);
    expect(error?.code).toBe('PGRST116');
    const after = await db.from('authors').select('country').in('id', [a.id, b.id]);
    expect(after.data).toEqual([{ country: 'MULTI' }, { country: 'MULTI' }]);
  });
});
