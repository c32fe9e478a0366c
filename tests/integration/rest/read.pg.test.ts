/** Reads through supabase-js: columns, aliases, casts, JSON paths, filters, order, paging, counts, single(). */
import { describe, expect, it } from 'vitest';
import { anonClient, rawRest } from './rest-clients';

const db = anonClient();

describe('select', () => {
  it('returns chosen columns with aliases, casts and JSON arrows', async () => {
    const { data, error, status } = await db
      .from('books')
      .select('id, name:title, pages::text, series:meta->series->>name')
      .eq('id', 1);
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual([{ id: 1, name: 'A Wizard of Earthsea', pages: '183', series: 'Earthsea' }]);
  });

  it('returns every column for *', async () => {
    const { data } = await db.from('authors').select('*').eq('id', 4);
    expect(data).toEqual([{ id: 4, name: 'Nobody Yet', country: null }]);
  });
});

describe('filters', () => {
  // Fixture books only: the write tests add their own books (ids above 100) meanwhile.
  const books = () => db.from('books').select('id').order('id').lte('id', 6);
  const ids = async (query: PromiseLike<{ data: Array<{ id: number }> | null; error: unknown }>) => {
    const { data, error } = await query;
    expect(error).toBeNull();
    return (data ?? []).map((row) => row.id);
  };

  it('compares with eq, neq, gt, gte, lt, lte', async () => {
    expect(await ids(books().eq('author_id', 2))).toEqual([3, 4]);
    expect(await ids(books().neq('author_id', 1))).toEqual([3, 4, 5, 6]);
    expect(await ids(books().gt('pages', 288))).toEqual([2, 5]);
    expect(await ids(books().gte('pages', 288))).toEqual([2, 3, 5]);
    expect(await ids(books().lt('pages', 272))).toEqual([1]);
    expect(await ids(books().lte('pages', 272))).toEqual([1, 4]);
  });

  it('matches like and ilike patterns', async () => {
    expect(await ids(books().like('title', '%Guards%'))).toEqual([3]);
    expect(await ids(books().ilike('title', 'the %'))).toEqual([2, 6]);
  });

  it('tests is null / is true and in lists (with reserved characters quoted)', async () => {
    expect(await ids(books().is('pages', null))).toEqual([6]);
    expect(await ids(books().is('published', true).lt('id', 3))).toEqual([1, 2]);
    expect(await ids(books().in('title', ['Mort', 'Guards! Guards!', 'a,b(c)']))).toEqual([3, 4]);
  });

  it('checks array and jsonb containment with cs and cd', async () => {
    expect(await ids(books().contains('tags', ['classic']))).toEqual([1, 2]);
    expect(await ids(books().containedBy('tags', ['fantasy', 'comedy', 'classic']).neq('id', 6))).toEqual([1, 3, 4]);
    expect(await ids(books().contains('meta', { series: { name: 'Discworld' } }))).toEqual([3, 4]);
  });

  it('negates with not', async () => {
    expect(await ids(books().not('pages', 'is', null).not('author_id', 'in', '(1,2)'))).toEqual([5]);
  });

  it('combines or and nested and', async () => {
    expect(await ids(books().or('pages.gt.400,and(author_id.eq.2,pages.lt.280)'))).toEqual([4, 5]);
    expect(await ids(books().or('id.eq.1,id.eq.2').or('id.eq.2,id.eq.3'))).toEqual([2]);
  });

  it('filters with filter() and match()', async () => {
    expect(await ids(books().filter('title', 'eq', 'Mort'))).toEqual([4]);
    expect(await ids(books().match({ author_id: 1, pages: 304 }))).toEqual([2]);
  });
});

describe('order and paging', () => {
  it('orders asc/desc with nulls first or last', async () => {
    const last = await db.from('books').select('id').lte('id', 6).order('pages', { ascending: false, nullsFirst: false });
    expect(last.data?.map((r) => r.id)).toEqual([5, 2, 3, 4, 1, 6]);
    const first = await db.from('books').select('id').lte('id', 6).order('pages', { ascending: true, nullsFirst: true });
    expect(first.data?.map((r) => r.id)).toEqual([6, 1, 4, 3, 2, 5]);
  });

  it('orders by several columns', async () => {
    const { data } = await db.from('books').select('id').lte('id', 6).order('author_id', { ascending: false }).order('title');
    expect(data?.map((r) => r.id)).toEqual([5, 6, 3, 4, 1, 2]);
  });

  it('pages with limit and range, answering Content-Range', async () => {
    const limited = await db.from('books').select('id').order('id').limit(2);
    expect(limited.data).toEqual([{ id: 1 }, { id: 2 }]);
    const ranged = await db.from('books').select('id').order('id').range(2, 3);
    expect(ranged.data).toEqual([{ id: 3 }, { id: 4 }]);
    const response = await rawRest('/books?select=id&order=id&offset=2&limit=3');
    expect(response.headers.get('content-range')).toBe('2-4/*');
    expect(response.headers.get('range-unit')).toBe('items');
  });
});

describe('counts', () => {
  it('counts exactly with a 206 for a partial page', async () => {
    const { data, count, status } = await db.from('books').select('id', { count: 'exact' }).order('id').range(0, 1).lte('id', 6);
    expect(count).toBe(6);
    expect(status).toBe(206);
    expect(data).toHaveLength(2);
    const response = await rawRest('/books?select=id&id=lte.6&limit=2', { headers: { Prefer: 'count=exact' } });
    expect(response.headers.get('content-range')).toBe('0-1/6');
  });

  it('answers 200 when the page is everything, and */0 when empty', async () => {
    const all = await db.from('books').select('id', { count: 'planned' }).eq('author_id', 1);
    expect(all.status).toBe(200);
    expect(all.count).toBe(2);
    const none = await rawRest('/books?select=id&id=eq.-1', { headers: { Prefer: 'count=exact' } });
    expect(none.status).toBe(200);
    expect(none.headers.get('content-range')).toBe('*/0');
    expect(await none.json()).toEqual([]);
  });

  it('counts with HEAD and no body', async () => {
    const { data, count, status, error } = await db.from('books').select('*', { count: 'exact', head: true }).eq('author_id', 2);
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(count).toBe(2);
    expect(data).toBeNull();
  });
});

describe('single and maybeSingle', () => {
  it('returns one object for exactly one row', async () => {
    const { data, error } = await db.from('books').select('id, title').eq('id', 4).single();
    expect(error).toBeNull();
    expect(data).toEqual({ id: 4, title: 'Mort' });
  });

  it('refuses zero or several rows with PGRST116 406', async () => {
    const none = await db.from('books').select('id').eq('id', -1).single();
    expect(none.status).toBe(406);
    expect(none.error).toMatchObject({ code: 'PGRST116', message: 'Cannot coerce the result to a single JSON object', details: 'The result contains 0 rows' });
    const many = await db.from('books').select('id').eq('author_id', 1).single();
    expect(many.status).toBe(406);
    expect(many.error).toMatchObject({ code: 'PGRST116', details: 'The result contains 2 rows' });
  });

  it('maybeSingle gives null for none, the object for one, an error for many', async () => {
    expect((await db.from('books').select('id').eq('id', -1).maybeSingle()).data).toBeNull();
    expect((await db.from('books').select('id').eq('id', 2).maybeSingle()).data).toEqual({ id: 2 });
    const many = await db.from('books').select('id').eq('author_id', 2).maybeSingle();
    expect(many.error?.code).toBe('PGRST116');
  });
});

describe('schema profiles', () => {
  it('serves public and refuses other schemas with PGRST106', async () => {
    const ok = await db.schema('public').from('authors').select('id').eq('id', 1);
    expect(ok.data).toEqual([{ id: 1 }]);
    const refused = await db.schema('auth').from('users').select('id');
    expect(refused.status).toBe(406);
    expect(refused.error?.code).toBe('PGRST106');
  });
});
