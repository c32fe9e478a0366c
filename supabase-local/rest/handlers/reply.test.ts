/**
 * The "may refuse" predicates must cover every refusal of readReply / writeReply: a write
 * whose predicate says no is committed before its response is built.
 */
import { describe, expect, it } from 'vitest';
import type { StatementRow } from '../sql/statement';
import { readReply, readReplyMayRefuse, writeReply, writeReplyMayRefuse } from './reply';

const booleans = [false, true];
const rows: StatementRow[] = [0, 1, 2].flatMap((size) =>
  [null, '0', '1', '5'].map((total) => ({ total, page_total: String(size), body: size ? '[{}]' : '[]' })),
);

function refuses(build: () => unknown): boolean {
  try {
    build();
    return false;
  } catch {
    return true;
  }
}

describe('reply refusals', () => {
  it('readReply refuses only where readReplyMayRefuse says it may', () => {
    for (const row of rows)
      for (const singleObject of booleans)
        for (const counted of booleans)
          for (const head of booleans)
            for (const offset of [0, 3]) {
              if (refuses(() => readReply(row, { offset, singleObject, counted, head }))) {
                expect(readReplyMayRefuse({ singleObject, counted }), JSON.stringify({ row, singleObject, counted, offset })).toBe(true);
              }
            }
  });

  it('writeReply refuses only where writeReplyMayRefuse says it may', () => {
    for (const row of rows)
      for (const kind of ['insert', 'update', 'delete'] as const)
        for (const representation of booleans)
          for (const singleObject of booleans)
            for (const counted of booleans) {
              if (refuses(() => writeReply(row, { kind, representation, singleObject, counted }))) {
                expect(writeReplyMayRefuse({ representation, singleObject }), JSON.stringify({ row, kind, representation, singleObject })).toBe(true);
              }
            }
  });
});
