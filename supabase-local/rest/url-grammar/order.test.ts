import { describe, expect, it } from 'vitest';
import { parseOrder } from './order';

describe('parseOrder', () => {
  it('reads directions, nulls placement and JSON paths', () => {
    expect(parseOrder('title,pages.desc,id.asc.nullslast,meta->>n.nullsfirst')).toEqual([
      { field: { name: 'title', jsonPath: [] } },
      { field: { name: 'pages', jsonPath: [] }, direction: 'desc' },
      { field: { name: 'id', jsonPath: [] }, direction: 'asc', nulls: 'last' },
      { field: { name: 'meta', jsonPath: [{ arrow: '->>', key: 'n' }] }, nulls: 'first' },
    ]);
  });

  it('rejects an empty term', () => {
    expect(() => parseOrder('a,,b')).toThrow();
  });
});
