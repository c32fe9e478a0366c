/** Filter grammar and type-aware comparison; pgoutput text → Supabase JSON values. */
import { describe, expect, test } from 'vitest';
import { matchesFilter, parseFilter } from './subscription-filter';
import { parseArrayLiteral, toJsonValue } from './value-typing';

const filter = (text: string) => {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.filter;
};

describe('filters', () => {
  test('grammar', () => {
    expect(filter('id=eq.5')).toEqual({ column: 'id', op: 'eq', values: ['5'] });
    expect(filter('name=eq.a.b')).toEqual({ column: 'name', op: 'eq', values: ['a.b'] });
    expect(filter('id=in.(1, 2,"x,y")')).toEqual({ column: 'id', op: 'in', values: ['1', '2', 'x,y'] });
    expect(parseFilter('id=like.5').ok).toBe(false);
    expect(parseFilter('id=in.1,2').ok).toBe(false);
    expect(parseFilter('garbage').ok).toBe(false);
    expect(parseFilter(`id=in.(${Array.from({ length: 101 }, (_, i) => i).join(',')})`).ok).toBe(false);
  });

  test('numbers compare numerically, text as text, timestamps as instants', () => {
    expect(matchesFilter(filter('n=gt.9'), { n: '10' }, 'int4')).toBe(true);
    expect(matchesFilter(filter('n=gt.9'), { n: '10' }, 'text')).toBe(false);
    expect(matchesFilter(filter('n=lte.1.5'), { n: '1.50' }, 'numeric')).toBe(true);
    expect(matchesFilter(filter('n=neq.3'), { n: null }, 'int4')).toBe(false);
    expect(matchesFilter(filter('b=eq.true'), { b: 't' }, 'bool')).toBe(true);
    expect(matchesFilter(filter('t=lt.2026-01-01T00:00:00Z'), { t: '2025-12-31 23:59:59+00' }, 'timestamptz')).toBe(true);
    expect(matchesFilter(filter('u=in.(A-1,b-2)'), { u: 'a-1' }, 'uuid')).toBe(true);
    expect(matchesFilter(filter('missing=eq.1'), { n: '1' }, undefined)).toBe(false);
  });
});

describe('value typing', () => {
  test('scalars as to_jsonb renders them', () => {
    expect(toJsonValue('int8', '42')).toBe(42);
    expect(toJsonValue('numeric', '12.50')).toBe(12.5);
    expect(toJsonValue('numeric', 'NaN')).toBe('NaN');
    expect(toJsonValue('bool', 'f')).toBe(false);
    expect(toJsonValue('jsonb', '{"a": [1]}')).toEqual({ a: [1] });
    expect(toJsonValue('timestamptz', '2026-01-02 03:04:05.5+00')).toBe('2026-01-02T03:04:05.5+00:00');
    expect(toJsonValue('timestamp', '2026-01-02 03:04:05')).toBe('2026-01-02T03:04:05');
    expect(toJsonValue('text', null)).toBeNull();
  });

  test('arrays, nested and quoted', () => {
    expect(parseArrayLiteral('{}')).toEqual([]);
    expect(parseArrayLiteral('{a,"b c",NULL,"x\\"y"}')).toEqual(['a', 'b c', null, 'x"y']);
    expect(toJsonValue('_int4', '{{1,2},{3,4}}')).toEqual([[1, 2], [3, 4]]);
    expect(toJsonValue('_bool', '{t,f}')).toEqual([true, false]);
  });
});
