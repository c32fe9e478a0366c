/** /rpc through supabase-js: scalar, setof scalar, setof table, returns table, void, GET args, filters, errors. */
import { describe, expect, it } from 'vitest';
import { anonClient, serviceClient, userClient, ALICE } from './rest-clients';

const db = anonClient();

describe('rpc', () => {
  it('calls a scalar function by POST with named arguments', async () => {
    const { data, error, status } = await db.rpc('add_numbers', { a: 2, b: 40 });
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toBe(42);
  });

  it('calls by GET with query-string arguments, arrays included', async () => {
    expect((await db.rpc('add_numbers', { a: 1, b: 2 }, { get: true })).data).toBe(3);
    expect((await db.rpc('sum_array', { nums: [1, 2, 3] }, { get: true })).data).toBe(6);
    expect((await db.rpc('sum_array', { nums: [4, 5] })).data).toBe(9);
  });

  it('returns a set of scalars as an array', async () => {
    const { data } = await db.rpc('book_titles_by', { author: 'Terry Pratchett' });
    expect(data).toEqual(['Guards! Guards!', 'Mort']);
  });

  it('filters, orders, pages and embeds a setof table result', async () => {
    const { data, error } = await db
      .rpc('books_with_min_pages', { min_pages: 280 })
      .select('title, author:authors!author_id(name)')
      .lte('id', 6)
      .neq('author_id', 3)
      .order('pages', { ascending: false })
      .limit(2);
    expect(error).toBeNull();
    expect(data).toEqual([
      { title: 'The Left Hand of Darkness', author: { name: 'Ursula Le Guin' } },
      { title: 'Guards! Guards!', author: { name: 'Terry Pratchett' } },
    ]);
  });

  it('returns table(...) rows, with count and single()', async () => {
    const { data, count } = await db.rpc('author_stats', {}, { count: 'exact' }).in('author_name', ['Iain Banks', 'Nobody Yet']).order('author_name');
    expect(count).toBe(2);
    expect(data).toEqual([
      { author_name: 'Iain Banks', book_count: 2 },
      { author_name: 'Nobody Yet', book_count: 0 },
    ]);
    const one = await db.rpc('author_stats').eq('author_name', 'Nobody Yet').single();
    expect(one.data).toEqual({ author_name: 'Nobody Yet', book_count: 0 });
  });

  it('runs as the request role with its claims', async () => {
    expect((await db.rpc('whoami')).data).toBe('anonymous:anon');
    expect((await (await userClient(ALICE)).rpc('whoami')).data).toBe(`${ALICE}:authenticated`);
    expect((await serviceClient().rpc('whoami')).data).toBe('anonymous:service_role');
  });

  it('answers 204 for a void function and commits its writes', async () => {
    const service = serviceClient();
    const before = await service.from('counters').select('value').eq('name', 'visits').single();
    const { status, error, data } = await service.rpc('bump_counter', { counter_name: 'visits' });
    expect(error).toBeNull();
    expect(status).toBe(204);
    expect(data).toBeNull();
    const after = await service.from('counters').select('value').eq('name', 'visits').single();
    expect(after.data?.value).toBe((before.data?.value ?? 0) + 1);
  });

  it('maps raise exception (P0001) to 400 with the message and hint', async () => {
    const { error, status } = await db.rpc('fail_with', { message: 'not_allowed_here' });
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: 'P0001', message: 'not_allowed_here', hint: 'fixture hint' });
  });

  it('refuses an unknown function or unknown arguments with PGRST202 404', async () => {
    const unknown = await db.rpc('no_such_function');
    expect(unknown.status).toBe(404);
    expect(unknown.error?.code).toBe('PGRST202');
    const badArgs = await db.rpc('add_numbers', { a: 1, c: 2 });
    expect(badArgs.status).toBe(404);
    expect(badArgs.error?.code).toBe('PGRST202');
  });

  it('counts with HEAD', async () => {
    const { count, data, error } = await db.rpc('book_titles_by', { author: 'Ursula Le Guin' }, { head: true, count: 'exact' });
    expect(error).toBeNull();
    expect(count).toBe(2);
    expect(data).toBeNull();
  });
});
