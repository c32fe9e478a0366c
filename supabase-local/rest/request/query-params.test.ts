import { describe, expect, it } from 'vitest';
import { parseQuery } from './query-params';
import { parsePrefer } from './prefer';

describe('parseQuery', () => {
  it('files filters, order and paging under their embed paths', () => {
    const query = parseQuery(
      new URLSearchParams('select=id,reviews(stars)&id=gt.1&reviews.stars=gte.4&reviews.order=stars.desc&reviews.limit=2&limit=5&offset=10&or=(id.eq.1,id.eq.2)&not.and=(id.eq.3)'),
    );
    const root = query.nodes.get('')!;
    expect(root.filters.map((f) => f.field.name)).toEqual(['id']);
    expect(root.limit).toBe(5);
    expect(root.offset).toBe(10);
    expect(root.logic.map((t) => [t.op, t.negated])).toEqual([['or', false], ['and', true]]);
    const reviews = query.nodes.get('reviews')!;
    expect(reviews.filters[0]?.condition).toEqual({ kind: 'simple', op: 'gte', value: '4' });
    expect(reviews.order).toEqual([{ field: { name: 'stars', jsonPath: [] }, direction: 'desc' }]);
    expect(reviews.limit).toBe(2);
  });

  it('reads columns and on_conflict, and sets RPC arguments apart', () => {
    const query = parseQuery(new URLSearchParams('columns="a","b"&on_conflict=name&n=5&id=eq.1'), (key) => key === 'n');
    expect(query.columns).toEqual(['a', 'b']);
    expect(query.onConflict).toEqual(['name']);
    expect([...query.rpcArgs]).toEqual([['n', '5']]);
    expect(query.nodes.get('')!.filters).toHaveLength(1);
  });

  it('rejects a negative or non-numeric limit', () => {
    expect(() => parseQuery(new URLSearchParams('limit=-1'))).toThrow();
    expect(() => parseQuery(new URLSearchParams('limit=1;drop'))).toThrow();
  });
});

describe('parsePrefer', () => {
  it('reads the comma-joined preferences postgrest-js appends', () => {
    expect(parsePrefer('resolution=merge-duplicates, count=exact, return=representation, missing=default')).toEqual({
      returnRepresentation: 'representation',
      count: 'exact',
      resolution: 'merge-duplicates',
      missingDefault: true,
      rollback: false,
    });
  });
});
