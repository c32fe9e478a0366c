/** Runs a function in one transaction on a pooled connection; rolls back on any throw. */
import type pg from 'pg';

export type Queryable = Pick<pg.PoolClient, 'query'>;

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
