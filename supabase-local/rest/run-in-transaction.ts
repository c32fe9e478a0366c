/**
 * One request = one transaction on the `authenticator` pool, as PostgREST runs it:
 * BEGIN (read-only for reads), one statement setting the role, claims and request GUCs
 * transaction-locally, the query, then COMMIT (or ROLLBACK when asked or on failure).
 */
import type pg from 'pg';

export type RequestSettings = {
  role: string;
  claims: Record<string, unknown>;
  method: string;
  path: string;
  headers: Record<string, string>;
};

const SET_LOCALS_SQL =
  "select set_config('search_path', 'public, extensions', true), set_config('role', $1, true), " +
  "set_config('request.jwt.claims', $2, true), set_config('request.method', $3, true), " +
  "set_config('request.path', $4, true), set_config('request.headers', $5, true)";

export type TransactionWork<T> = (client: pg.PoolClient) => Promise<{ value: T; commit: boolean }>;

export async function runInTransaction<T>(pool: pg.Pool, settings: RequestSettings, readOnly: boolean, work: TransactionWork<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(readOnly ? 'begin isolation level read committed read only' : 'begin isolation level read committed');
    try {
      await client.query(SET_LOCALS_SQL, [
        settings.role,
        JSON.stringify(settings.claims),
        settings.method,
        settings.path,
        JSON.stringify(settings.headers),
      ]);
      const { value, commit } = await work(client);
      await client.query(commit ? 'commit' : 'rollback');
      return value;
    } catch (error) {
      await client.query('rollback').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    }
  } finally {
    client.release(broken);
  }
}
