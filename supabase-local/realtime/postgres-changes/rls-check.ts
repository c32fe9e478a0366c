/**
 * The RLS check hosted Realtime makes per change and subscriber (`realtime.apply_rls`),
 * batched: for one table, a list of rows (by primary key) and a list of identities (role
 * + claims), which rows can each identity SELECT right now? One round trip runs a
 * server-side function that, per identity, switches `role` and `request.jwt.claims` as
 * transaction locals and runs one query over all the keys, inside its own subtransaction
 * so one identity's failing policy cannot affect the others. Roles are limited to those
 * `authenticator` may switch to, as with PostgREST.
 */
import type pg from 'pg';
import type { TableInfo } from './catalog';

export const RLS_SCHEMA = 'supabase_local_realtime';

const installSql = `
create schema if not exists ${RLS_SCHEMA};
comment on schema ${RLS_SCHEMA} is 'Internals of the local stack''s realtime server.';
revoke all on schema ${RLS_SCHEMA} from public;
create or replace function ${RLS_SCHEMA}.visible_rows(entity regclass, key_columns text[], key_types text[], keys jsonb, identities jsonb)
returns table (identity_index int, visible int[], error text)
language plpgsql volatile
set search_path = ''
as $fn$
declare
  stmt text;
  working_role text;
  i int;
begin
  select format(
    'select coalesce(array_agg(u.ord::int), ''{}'') from pg_catalog.jsonb_array_elements($1) with ordinality as u(k, ord) where exists (select 1 from %s r where %s)',
    entity,
    string_agg(format('r.%I = (u.k->>%s)::%s', x.c, x.i - 1, x.t), ' and '))
  into stmt
  from unnest(key_columns, key_types) with ordinality as x(c, t, i);
  -- A separate loop variable: a FOR variable would shadow the OUT column.
  for i in 0 .. pg_catalog.jsonb_array_length(identities) - 1 loop
    identity_index := i;
    begin
      working_role := identities -> i ->> 'role';
      if not pg_catalog.pg_has_role('authenticator', working_role, 'MEMBER') then
        raise exception 'role % is not available to API requests', working_role;
      end if;
      perform pg_catalog.set_config('role', working_role, true);
      perform pg_catalog.set_config('request.jwt.claims', identities -> i ->> 'claims', true);
      execute stmt using keys into visible;
      error := null;
      return next;
    exception when others then
      visible := null;
      error := sqlerrm;
      return next;
    end;
  end loop;
end
$fn$;
revoke all on function ${RLS_SCHEMA}.visible_rows(regclass, text[], text[], jsonb, jsonb) from public;
`;

export async function installRlsCheck(pool: pg.Pool): Promise<void> {
  await pool.query(installSql);
}

// Wait at most this long for a decoded commit to become visible to new snapshots, in ms.
const VISIBILITY_WAIT_MS = 2_000;

/**
 * pgoutput can deliver a commit a moment before the committing backend leaves the
 * ProcArray, i.e. before new snapshots see its rows. Waits until every transaction in
 * `xids` (32-bit, from BEGIN) is visible, so an RLS check never misses a fresh row.
 */
export async function waitUntilVisible(pool: pg.Pool, xids: number[]): Promise<void> {
  const deadline = Date.now() + VISIBILITY_WAIT_MS;
  for (;;) {
    const { rows } = await pool.query<{ pending: number }>(
      `with s as (select pg_catalog.pg_current_snapshot() as snap),
            m as (select snap, pg_catalog.pg_snapshot_xmax(snap)::text::int8 as xmax from s)
       select count(*)::int as pending
         from m, unnest($1::int8[]) as x(xid),
              lateral (select ((m.xmax >> 32) << 32) | x.xid as candidate) c
        where not pg_catalog.pg_visible_in_snapshot(
                (case when c.candidate >= m.xmax then c.candidate - 4294967296 else c.candidate end)::text::xid8, m.snap)`,
      [xids],
    );
    if ((rows[0]?.pending ?? 0) === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export type Identity = { role: string; claimsJson: string };

export type VisibilityResult = { ok: true; visible: ReadonlySet<number> } | { ok: false; error: string };

/**
 * `keyRows[i]` holds the primary-key values (text) of row i. Returns, per identity (same
 * order), the indexes of the rows it may see, or the error its policy raised.
 */
export async function checkVisibility(pool: pg.Pool, table: TableInfo, identities: Identity[], keyRows: string[][]): Promise<VisibilityResult[]> {
  if (identities.length === 0) return [];
  if (keyRows.length === 0) return identities.map(() => ({ ok: true, visible: new Set<number>() }));
  const { rows } = await pool.query<{ identity_index: number; visible: number[] | null; error: string | null }>(
    `select identity_index, visible, error from ${RLS_SCHEMA}.visible_rows($1::oid::regclass, $2, $3, $4, $5)`,
    [
      table.oid,
      table.primaryKey.map((column) => column.name),
      table.primaryKey.map((column) => column.sqlType),
      JSON.stringify(keyRows),
      JSON.stringify(identities.map((identity) => ({ role: identity.role, claims: identity.claimsJson }))),
    ],
  );
  const results: VisibilityResult[] = identities.map(() => ({ ok: false, error: 'no result' }));
  for (const row of rows) {
    results[row.identity_index] = row.error !== null ? { ok: false, error: row.error } : { ok: true, visible: new Set((row.visible ?? []).map((ord) => ord - 1)) };
  }
  return results;
}
