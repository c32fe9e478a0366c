/** The schema cache follows the catalogue: a table or column created after start-up is served. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { serviceClient, uniqueName } from './rest-clients';

const admin = new pg.Client({ connectionString: inject('stack').dbUrl });

beforeAll(() => admin.connect());
afterAll(() => admin.end());

describe('schema cache', () => {
  it('serves a table created after start-up, then a column added to it', async () => {
    const table = uniqueName('late_table').replace('-', '_');
    await admin.query(`create table public.${table} (id int primary key)`);
    await admin.query(`insert into public.${table} values (1)`);
    const db = serviceClient();
    const first = await db.from(table).select('id');
    expect(first.error).toBeNull();
    expect(first.data).toEqual([{ id: 1 }]);

    await admin.query(`alter table public.${table} add column label text default 'late'`);
    const second = await db.from(table).select('id, label');
    expect(second.error).toBeNull();
    expect(second.data).toEqual([{ id: 1, label: 'late' }]);
  });
});
