/**
 * One request = one transaction on the `authenticator` pool, as PostgREST runs it:
 * BEGIN (read-only for reads), one statement setting the role, claims and request GUCs
 * transaction-locally, the query, then COMMIT (or ROLLBACK when asked or on failure).
 *
 * The statements go as one pipelined batch (StatementBatch), so the database is met once
 * per request (twice for a write whose response may still be refused) instead of four times:
 *   - read-only: BEGIN READ ONLY, settings, query and the COMMIT (ROLLBACK for
 *     `tx=rollback`) in one round trip. The response is decided after the transaction
 *     ended; a refusal then (PGRST116, PGRST103) undoes nothing, as a read-only
 *     transaction has nothing to undo.
 *   - read-write whose response cannot be refused: the same, with a read-write BEGIN.
 *   - read-write whose response may be refused (`mayRefuse`): BEGIN, settings and query in
 *     one round trip; the response is decided with the transaction still open, then COMMIT
 *     or ROLLBACK, so a refusal rolls the write back as before.
 * A failure anywhere leaves the transaction aborted; it is rolled back before the
 * connection goes back to the pool, and the first error is the one reported.
 */
import type pg from 'pg';
import { StatementBatch, type BatchRows } from './statement-batch';

export type RequestSettings = {
  role: string;
  claims: Record<string, unknown>;
  method: string;
  path: string;
  headers: Record<string, string>;
};

export type TransactionStatement = {
  sql: string;
  params: unknown[];
  readOnly: boolean;
  /** Whether `respond` may throw: a write then waits for it before COMMIT. */
  mayRefuse: boolean;
  /** End with ROLLBACK even when the response succeeds (`Prefer: tx=rollback`). */
  rollback: boolean;
};

const SET_LOCALS_SQL =
  "select set_config('search_path', 'public, extensions', true), set_config('role', $1, true), " +
  "set_config('request.jwt.claims', $2, true), set_config('request.method', $3, true), " +
  "set_config('request.path', $4, true), set_config('request.headers', $5, true)";

const BEGIN_READ_ONLY = 'begin isolation level read committed read only';
const BEGIN_READ_WRITE = 'begin isolation level read committed';
// Position of the request's own statement in the batch: after BEGIN and the settings.
const QUERY_INDEX = 2;

function settingValues(settings: RequestSettings): string[] {
  return [settings.role, JSON.stringify(settings.claims), settings.method, settings.path, JSON.stringify(settings.headers)];
}

function runBatch(client: pg.PoolClient, batch: StatementBatch): Promise<BatchRows> {
  client.query(batch);
  return batch.result;
}

/**
 * Runs the statement as the request's role and hands its rows to `respond`, whose value is
 * returned; `respond` may throw (e.g. a RestError), which rolls a write back.
 */
export async function runInTransaction<T>(
  pool: pg.Pool,
  settings: RequestSettings,
  statement: TransactionStatement,
  respond: (rows: BatchRows) => T,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // False once the transaction is known to have ended (a read-only batch that completed).
  let open = true;
  try {
    const begin = { text: statement.readOnly ? BEGIN_READ_ONLY : BEGIN_READ_WRITE };
    const setLocals = { text: SET_LOCALS_SQL, values: settingValues(settings) };
    const query = { text: statement.sql, values: statement.params };
    try {
      if (statement.readOnly || !statement.mayRefuse) {
        const end = { text: statement.rollback ? 'rollback' : 'commit' };
        const rows = await runBatch(client, new StatementBatch([begin, setLocals, query, end], QUERY_INDEX));
        open = false;
        if (statement.readOnly) return respond(rows);
        try {
          return respond(rows);
        } catch (error) {
          // The write has already ended: a refusal here would misreport it. A planner bug.
          throw new Error(`response refused after its write ended (mayRefuse was false): ${String(error)}`);
        }
      }
      const rows = await runBatch(client, new StatementBatch([begin, setLocals, query], QUERY_INDEX));
      const value = respond(rows);
      await client.query(statement.rollback ? 'rollback' : 'commit');
      return value;
    } catch (error) {
      if (open) {
        await client.query('rollback').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
      }
      throw error;
    }
  } finally {
    client.release(broken);
  }
}
