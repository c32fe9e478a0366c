import { describe, expect, it } from 'vitest';
import { RestError } from '../rest-error';
import { parseSelect } from './select';

describe('parseSelect', () => {
  it('reads columns, aliases, casts and JSON arrows', () => {
    expect(parseSelect('id,t:title,pages::text,meta->series->>name')).toEqual([
      { kind: 'field', field: { name: 'id', jsonPath: [] } },
      { kind: 'field', field: { name: 'title', jsonPath: [] }, alias: 't' },
      { kind: 'field', field: { name: 'pages', jsonPath: [] }, cast: 'text' },
      {
        kind: 'field',
        field: { name: 'meta', jsonPath: [{ arrow: '->', key: 'series' }, { arrow: '->>', key: 'name' }] },
      },
    ]);
  });

  it('treats an empty select as *', () => {
    expect(parseSelect('')).toEqual([{ kind: 'star' }]);
  });

  it('reads nested embeds with hints, join types, aliases and spreads', () => {
    expect(parseSelect('*,author:authors!author_id!inner(name,books(id)),...book_details(blurb),reviews!left()')).toEqual([
      { kind: 'star' },
      {
        kind: 'embed',
        name: 'authors',
        alias: 'author',
        hint: 'author_id',
        joinType: 'inner',
        spread: false,
        select: [
          { kind: 'field', field: { name: 'name', jsonPath: [] } },
          { kind: 'embed', name: 'books', spread: false, select: [{ kind: 'field', field: { name: 'id', jsonPath: [] } }] },
        ],
      },
      { kind: 'embed', name: 'book_details', spread: true, select: [{ kind: 'field', field: { name: 'blurb', jsonPath: [] } }] },
      { kind: 'embed', name: 'reviews', joinType: 'left', spread: false, select: [] },
    ]);
  });

  it('reads quoted column names', () => {
    expect(parseSelect('"my col","a,b"')).toEqual([
      { kind: 'field', field: { name: 'my col', jsonPath: [] } },
      { kind: 'field', field: { name: 'a,b', jsonPath: [] } },
    ]);
  });

  it.each(['id,', 'a(b', 'a)b', 'x!y!z(id)', 'a b', '"unterminated'])('rejects %j with PGRST100', (text) => {
    const attempt = () => parseSelect(text);
    expect(attempt).toThrow(RestError);
    try {
      attempt();
    } catch (error) {
      expect((error as RestError).code).toBe('PGRST100');
      expect((error as RestError).status).toBe(400);
    }
  });
});
