/** Loop-checked list schemas: the same verdicts a per-element schema would give, and no copy. */
import { describe, expect, it } from 'vitest';
import { columnOf, indexesBelow, isGuid, isIndex, isNullableNumber, isNullableText, isText, sameLength, tuplesOf } from './document-checks';

const ID = '0b8f6f3e-6a49-4a4f-9f0e-0d1c2b3a4f5e';

describe('tuplesOf', () => {
  const rows = tuplesOf('pupils', [isGuid, isText, isNullableNumber, isNullableText]);

  it('accepts well-formed rows and hands back the very same array', () => {
    const input = [
      [ID, 'Zoë', 1.5, null],
      [ID, "O'Brien", null, 'secure'],
    ];
    const parsed = rows.safeParse(input);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toBe(input);
  });

  it.each([
    ['a row one field short', [[ID, 'Zoë', 1.5]]],
    ['a row one field long', [[ID, 'Zoë', 1.5, null, 'extra']]],
    ['a bad uuid', [['not-a-uuid', 'Zoë', 1.5, null]]],
    ['a string where a number belongs', [[ID, 'Zoë', '1.5', null]]],
    ['NaN', [[ID, 'Zoë', Number.NaN, null]]],
    ['an object instead of a row', [{ id: ID }]],
    ['not an array', { 0: [ID, 'Zoë', 1.5, null] }],
  ])('refuses %s', (_what, input) => {
    expect(rows.safeParse(input).success).toBe(false);
  });
});

describe('columnOf and the index checks', () => {
  it('checks every element of a column', () => {
    const indexes = columnOf('indexes', isIndex);
    expect(indexes.safeParse([0, 1, 7]).success).toBe(true);
    expect(indexes.safeParse([0, -1]).success).toBe(false);
    expect(indexes.safeParse([0, 1.5]).success).toBe(false);
  });

  it('sees columns of different lengths and indexes past the end', () => {
    expect(sameLength([[1, 2], [3, 4]], 2)).toBe(true);
    expect(sameLength([[1, 2], [3]], 2)).toBe(false);
    expect(indexesBelow([0, 2], 3)).toBe(true);
    expect(indexesBelow([0, 3], 3)).toBe(false);
  });
});
