/**
 * The RLS check hosted Realtime makes per change and subscriber, batched: for one table
 * and one identity (role + claims), which of a list of rows (by primary key) can that
 * identity SELECT right now? One transaction: `set_config('role')` and
 * `request.jwt.claims` as locals, then one query over all the keys.
 */
import type pg from 'pg';
import type { TableInfo } from './catalog';

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

function visibilitySql(table: TableInfo): string {
  const keys = table.primaryKey;
  // Types come from the catalogue (format_type), identifiers are quoted: no user text.
  const unnestArgs = keys.map((column, index) => `$${index + 1}::text[]::${column.sqlType}[]`).join(', ');
  const aliases = keys.map((_, index) => `k${index}`).join(', ');
  const match = keys.map((column, index) => `r.${quoteIdent(column.name)} = u.k${index}`).join(' and ');
  return `select u.ord::int as ord from unnest(${unnestArgs}) with ordinality as u(${aliases}, ord)
          where exists (select 1 from ${quoteIdent(table.schema)}.${quoteIdent(table.table)} r where ${match})`;
}

export type Identity = { role: string; claimsJson: string };

export type VisibilityResult = { ok: true; visible: ReadonlySet<number> } | { ok: false; error: string };

/**
 * `keyRows[i]` holds the primary-key values (text) of row i; the result holds the indexes
 * of the visible rows. A policy that raises gives `ok: false` for this identity only.
 */
export async function checkVisibility(pool: pg.Pool, table: TableInfo, identity: Identity, keyRows: string[][]): Promise<VisibilityResult> {
  if (keyRows.length === 0) return { ok: true, visible: new Set() };
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    await client.query("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [identity.role, identity.claimsJson]);
    const columns = table.primaryKey.map((_, column) => keyRows.map((row) => row[column] ?? null));
    const { rows } = await client.query<{ ord: number }>(visibilitySql(table), columns);
    await client.query('commit');
    return { ok: true, visible: new Set(rows.map((row) => row.ord - 1)) };
  } catch (error) {
    await client.query('rollback').catch(() => {
      broken = true;
    });
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    client.release(broken);
  }
}
