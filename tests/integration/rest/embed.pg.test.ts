/** Embedding through foreign keys: many-to-one, one-to-many, one-to-one, nested, !inner, hints, spreads. */
import { describe, expect, it } from 'vitest';
import { anonClient } from './rest-clients';

const db = anonClient();

describe('embedding', () => {
  it('embeds many-to-one as an object, using the foreign-key column as a hint', async () => {
    const { data, error } = await db.from('books').select('title, author:authors!author_id(name)').eq('id', 3).single();
    expect(error).toBeNull();
    expect(data).toEqual({ title: 'Guards! Guards!', author: { name: 'Terry Pratchett' } });
  });

  it('uses the constraint name as a hint and returns null for a missing parent', async () => {
    const { data } = await db.from('books').select('id, editor:authors!books_editor_id_fkey(name)').in('id', [1, 2]).order('id');
    expect(data).toEqual([
      { id: 1, editor: { name: 'Terry Pratchett' } },
      { id: 2, editor: null },
    ]);
  });

  it('refuses an ambiguous embed with PGRST201 and an unknown one with PGRST200', async () => {
    const ambiguous = await db.from('books').select('id, authors(name)');
    expect(ambiguous.status).toBe(300);
    expect(ambiguous.error?.code).toBe('PGRST201');
    const unknown = await db.from('books').select('id, publishers(name)');
    expect(unknown.status).toBe(400);
    expect(unknown.error).toMatchObject({ code: 'PGRST200', message: "Could not find a relationship between 'books' and 'publishers' in the schema cache" });
  });

  it('embeds one-to-many as an array with its own filter, order and limit', async () => {
    const { data } = await db
      .from('books')
      .select('id, reviews(stars, body)')
      .in('id', [1, 2])
      .order('id')
      .order('stars', { referencedTable: 'reviews', ascending: true })
      .gte('reviews.stars', 4)
      .limit(1, { referencedTable: 'reviews' });
    expect(data).toEqual([
      { id: 1, reviews: [{ stars: 4, body: 'lovely' }] },
      { id: 2, reviews: [] },
    ]);
  });

  it('embeds one-to-one as an object', async () => {
    const { data } = await db.from('books').select('id, book_details(blurb)').in('id', [1, 2]).order('id');
    expect(data).toEqual([
      { id: 1, book_details: { blurb: 'A boy becomes a wizard.' } },
      { id: 2, book_details: null },
    ]);
  });

  it('nests embeds several levels deep', async () => {
    const { data } = await db
      .from('authors')
      .select('name, books!author_id(title, reviews(stars))')
      .eq('id', 1)
      .order('title', { referencedTable: 'books' })
      .single();
    expect(data).toEqual({
      name: 'Ursula Le Guin',
      books: [
        { title: 'A Wizard of Earthsea', reviews: [{ stars: 5 }, { stars: 4 }] },
        { title: 'The Left Hand of Darkness', reviews: [] },
      ],
    });
  });

  it('filters parents by an !inner embed and keeps them all with !left', async () => {
    const inner = await db.from('books').select('id, reviews!inner(stars)').eq('reviews.stars', 5).lte('id', 6).order('id');
    expect(inner.data?.map((row) => row.id)).toEqual([1, 3]);
    const innerOne = await db.from('books').select('id, author:authors!author_id!inner(country)').eq('author.country', 'UK').lte('id', 6).order('id');
    expect(innerOne.data?.map((row) => row.id)).toEqual([3, 4, 5, 6]);
    const left = await db.from('books').select('id, reviews!left(stars)').eq('reviews.stars', 5).lte('id', 6).order('id');
    expect(left.data).toHaveLength(6);
  });

  it('counts only the parents an !inner embed keeps', async () => {
    const { count } = await db.from('books').select('id, reviews!inner(id)', { count: 'exact' }).eq('reviews.stars', 5).lte('id', 6);
    expect(count).toBe(2);
  });

  it('spreads a to-one embed into its parent', async () => {
    const { data } = await db.from('books').select('title, ...authors!author_id(author_name:name, country)').eq('id', 5).single();
    expect(data).toEqual({ title: 'Consider Phlebas', author_name: 'Iain Banks', country: 'UK' });
  });

  it('refuses a filter on an embed the select does not include', async () => {
    const { error, status } = await db.from('books').select('id').eq('reviews.stars', 5);
    expect(status).toBe(400);
    expect(error?.code).toBe('PGRST108');
  });

  it('applies or= on an embedded table', async () => {
    const { data } = await db
      .from('books')
      .select('id, reviews(stars)')
      .eq('id', 1)
      .or('stars.eq.5,body.is.null', { referencedTable: 'reviews' })
      .single();
    expect(data).toEqual({ id: 1, reviews: [{ stars: 5 }] });
  });
});
