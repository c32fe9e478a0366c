import { describe, expect, it } from 'vitest';
import { RestError } from '../rest-error';
import { parseFilterValue, parseLogic } from './filter';
import type { FieldRef } from './types';

const id: FieldRef = { name: 'id', jsonPath: [] };

describe('parseFilterValue', () => {
  it('reads simple operators and keeps the value verbatim', () => {
    expect(parseFilterValue(id, 'eq.1')).toEqual({ field: id, negated: false, condition: { kind: 'simple', op: 'eq', value: '1' } });
    expect(parseFilterValue(id, 'like.a.b.c').condition).toEqual({ kind: 'simple', op: 'like', value: 'a.b.c' });
    expect(parseFilterValue(id, "eq.1) or (1=1").condition).toEqual({ kind: 'simple', op: 'eq', value: '1) or (1=1' });
  });

  it('reads not., is, in with quoted items, cs and fts with a config', () => {
    expect(parseFilterValue(id, 'not.is.null')).toEqual({ field: id, negated: true, condition: { kind: 'is', value: 'null' } });
    expect(parseFilterValue(id, 'in.(1,"a,b","say \\"hi\\"")').condition).toEqual({ kind: 'in', values: ['1', 'a,b', 'say "hi"'] });
    expect(parseFilterValue(id, 'in.()').condition).toEqual({ kind: 'in', values: [] });
    expect(parseFilterValue(id, 'cs.{a,b}').condition).toEqual({ kind: 'simple', op: 'cs', value: '{a,b}' });
    expect(parseFilterValue(id, 'fts(english).cat & dog').condition).toEqual({ kind: 'fts', op: 'fts', config: 'english', value: 'cat & dog' });
    expect(parseFilterValue(id, 'like(any).{a*,*b}').condition).toEqual({ kind: 'quantified', op: 'like', quantifier: 'any', values: ['a*', '*b'] });
  });

  it.each(['zz.1', 'eq', 'in.1,2', 'is.maybe', 'neq(any).{1}'])('rejects %j with PGRST100', (text) => {
    expect(() => parseFilterValue(id, text)).toThrow(RestError);
  });
});

describe('parseLogic', () => {
  it('reads nested and/or trees with negation', () => {
    const tree = parseLogic('or', false, '(id.eq.1,and(pages.gt.2,title.in.("a,b",c)),not.or(id.is.null,id.neq.3))');
    expect(tree).toEqual({
      kind: 'logic',
      op: 'or',
      negated: false,
      children: [
        { kind: 'filter', filter: { field: id, negated: false, condition: { kind: 'simple', op: 'eq', value: '1' } } },
        {
          kind: 'logic',
          op: 'and',
          negated: false,
          children: [
            { kind: 'filter', filter: { field: { name: 'pages', jsonPath: [] }, negated: false, condition: { kind: 'simple', op: 'gt', value: '2' } } },
            { kind: 'filter', filter: { field: { name: 'title', jsonPath: [] }, negated: false, condition: { kind: 'in', values: ['a,b', 'c'] } } },
          ],
        },
        {
          kind: 'logic',
          op: 'or',
          negated: true,
          children: [
            { kind: 'filter', filter: { field: id, negated: false, condition: { kind: 'is', value: 'null' } } },
            { kind: 'filter', filter: { field: id, negated: false, condition: { kind: 'simple', op: 'neq', value: '3' } } },
          ],
        },
      ],
    });
  });

  it.each(['id.eq.1', '()', '(id.eq.1', '(id)', '(and(id.eq.1)'])('rejects %j', (text) => {
    expect(() => parseLogic('or', false, text)).toThrow(RestError);
  });
});
