/** The pipelined statement batch on its own, over a direct connection: order, rows, first error. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { StatementBatch } from '@/supabase-local/rest/statement-batch';

const client = new pg.Client({ connectionString: inject('stack').dbUrl });

beforeAll(() => client.connect());
afterAll(() => client.end());

function run(batch: StatementBatch) {
  client.query(batch);
  return batch.result;
}

describe('StatementBatch', () => {
  it('runs the statements in order in one transaction and keeps only the chosen rows, as text', async () => {
    const rows = await run(
      new StatementBatch(
        [
          { text: 'begin' },
          { text: "select set_config('request.probe', $1, true)", values: ['from the batch'] },
          { text: "select current_setting('request.probe') as probe, $1::int8 as n, $2::text[] as list, null::text as nothing", values: [42, ['a', 'b"c']] },
          { text: 'commit' },
        ],
        2,
      ),
    );
    expect(rows).toEqual([{ probe: 'from the batch', n: '42', list: '{a,"b\\"c"}', nothing: null }]);
    // Transaction-local: gone after the batch's COMMIT.
    expect((await client.query("select current_setting('request.probe', true) as probe")).rows).toEqual([{ probe: '' }]);
  });

  it('fails with the first error and leaves an opened transaction aborted for the caller', async () => {
    const batch = new StatementBatch(
      [{ text: 'begin' }, { text: 'select 1/0' }, { text: 'select $1::int as n', values: [1] }, { text: 'commit' }],
      2,
    );
    await expect(run(batch)).rejects.toMatchObject({ code: '22012' });
    // The statements after the error were skipped, COMMIT included: the transaction is aborted.
    await expect(client.query('select 1')).rejects.toMatchObject({ code: '25P02' });
    await client.query('rollback');
    expect((await client.query('select 1 as n')).rows).toEqual([{ n: 1 }]);
  });

  it('refuses a value pg cannot serialise without sending anything', async () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    await expect(run(new StatementBatch([{ text: 'select $1::json', values: [circular] }], 0))).rejects.toThrow();
    expect((await client.query('select 2 as n')).rows).toEqual([{ n: 2 }]);
  });
});
