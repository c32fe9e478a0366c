/**
 * Reads what the REST server needs from pg_catalog — tables, columns, keys, foreign keys,
 * functions and type names of the exposed schemas — in one query, parsed with zod.
 */
import type pg from 'pg';
import { z } from 'zod';

const columnSchema = z.object({ name: z.string(), type: z.string(), default: z.string().nullable() });
const tableSchema = z.object({
  name: z.string(),
  kind: z.string(),
  columns: z.array(columnSchema),
  primaryKey: z.array(z.string()),
  uniques: z.array(z.array(z.string())),
});
const foreignKeySchema = z.object({
  name: z.string(),
  table: z.string(),
  columns: z.array(z.string()),
  refTable: z.string(),
  refColumns: z.array(z.string()),
});
const functionSchema = z.object({
  name: z.string(),
  args: z.array(z.object({ name: z.string(), type: z.string(), hasDefault: z.boolean() })),
  returnType: z.string(),
  returnsSet: z.boolean(),
  /** 'b' base, 'c' composite, 'd' domain, 'e' enum, 'p' pseudo (void, record), ... */
  returnTypeKind: z.string(),
  /** The table whose row type the function returns, if any. */
  returnTable: z.string().nullable(),
  /** Output columns for composite / `returns table(...)` / OUT parameters. */
  outColumns: z.array(columnSchema),
  volatile: z.boolean(),
});
const catalogueSchema = z.object({
  version: z.string(),
  tables: z.array(tableSchema),
  foreignKeys: z.array(foreignKeySchema),
  functions: z.array(functionSchema),
  types: z.array(z.string()),
});

export type ColumnInfo = z.infer<typeof columnSchema>;
export type TableRow = z.infer<typeof tableSchema>;
export type ForeignKeyInfo = z.infer<typeof foreignKeySchema>;
export type FunctionInfo = z.infer<typeof functionSchema>;
export type Catalogue = z.infer<typeof catalogueSchema>;

/**
 * A cheap fingerprint of the exposed schema's catalogue rows: DDL on a table, constraint,
 * function or type rewrites its catalogue row, which changes that row's xmin.
 */
const VERSION_SQL = `select md5(concat_ws('|',
  (select string_agg(c.oid::text || ':' || c.xmin::text, ',' order by c.oid) from pg_catalog.pg_class c where c.relnamespace = $1::regnamespace),
  (select string_agg(k.oid::text || ':' || k.xmin::text, ',' order by k.oid) from pg_catalog.pg_constraint k where k.connamespace = $1::regnamespace),
  (select string_agg(p.oid::text || ':' || p.xmin::text, ',' order by p.oid) from pg_catalog.pg_proc p where p.pronamespace = $1::regnamespace),
  (select string_agg(t.oid::text || ':' || t.xmin::text, ',' order by t.oid) from pg_catalog.pg_type t where t.typnamespace = $1::regnamespace)))`;

const INTROSPECTION_SQL = `
with rels as (
  select c.oid, c.relname, c.relkind from pg_catalog.pg_class c
  where c.relnamespace = $1::regnamespace and c.relkind in ('r','v','m','f','p')
),
cols as (
  select a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) as type,
         pg_catalog.pg_get_expr(d.adbin, d.adrelid) as dflt
  from pg_catalog.pg_attribute a
  left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where a.attnum > 0 and not a.attisdropped
),
con_cols as (
  select con.oid, con.conname, con.contype, con.conrelid, con.confrelid,
    array(select a.attname from unnest(con.conkey) with ordinality k(n, i)
          join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.i) as cols,
    array(select a.attname from unnest(con.confkey) with ordinality k(n, i)
          join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.i) as refcols
  from pg_catalog.pg_constraint con where con.contype in ('p','u','f')
)
select json_build_object(
  'version', (${VERSION_SQL}),
  'tables', coalesce((select json_agg(json_build_object(
      'name', r.relname, 'kind', r.relkind,
      'columns', coalesce((select json_agg(json_build_object('name', c.attname, 'type', c.type, 'default', c.dflt) order by c.attnum)
                  from cols c where c.attrelid = r.oid), '[]'),
      'primaryKey', coalesce((select to_json(cc.cols) from con_cols cc where cc.conrelid = r.oid and cc.contype = 'p'), '[]'),
      'uniques', coalesce((select json_agg(cc.cols) from con_cols cc where cc.conrelid = r.oid and cc.contype in ('p','u')), '[]')
    )) from rels r), '[]'),
  'foreignKeys', coalesce((select json_agg(json_build_object(
      'name', cc.conname, 'table', src.relname, 'columns', cc.cols, 'refTable', dst.relname, 'refColumns', cc.refcols))
    from con_cols cc join rels src on src.oid = cc.conrelid join rels dst on dst.oid = cc.confrelid
    where cc.contype = 'f'), '[]'),
  'functions', coalesce((select json_agg(json_build_object(
      'name', p.proname,
      'args', coalesce((select json_agg(json_build_object('name', coalesce(p.proargnames[a.i], ''),
                  'type', pg_catalog.format_type(a.t, null), 'hasDefault', a.i > p.pronargs - p.pronargdefaults) order by a.i)
                from unnest(p.proargtypes::oid[]) with ordinality a(t, i)
                where p.proargmodes is null or p.proargmodes[a.i] in ('i','b')), '[]'),
      'returnType', pg_catalog.format_type(p.prorettype, null),
      'returnsSet', p.proretset,
      'returnTypeKind', t.typtype,
      'returnTable', (select r.relname from rels r where r.oid = t.typrelid),
      'outColumns', case
        when p.proargmodes is not null and exists (select 1 from unnest(p.proargmodes) m where m in ('o','t','b')) then
          (select json_agg(json_build_object('name', p.proargnames[o.i], 'type', pg_catalog.format_type(o.t, null), 'default', null) order by o.i)
           from unnest(p.proallargtypes) with ordinality o(t, i) where p.proargmodes[o.i] in ('o','t','b'))
        when t.typrelid <> 0 then
          (select json_agg(json_build_object('name', c.attname, 'type', c.type, 'default', null) order by c.attnum)
           from cols c where c.attrelid = t.typrelid)
        else '[]'::json end,
      'volatile', p.provolatile = 'v'))
    from pg_catalog.pg_proc p join pg_catalog.pg_type t on t.oid = p.prorettype
    where p.pronamespace = $1::regnamespace and p.prokind = 'f'), '[]'),
  'types', coalesce((select json_agg(t.typname) from pg_catalog.pg_type t
    where t.typnamespace in ('pg_catalog'::regnamespace, $1::regnamespace) and t.typtype in ('b','d','e','r','m')
      and t.typname not like '\\_%'), '[]')
)::text as catalogue`;

export async function introspect(pool: pg.Pool, schema: string): Promise<Catalogue> {
  const result = await pool.query<{ catalogue: string }>(INTROSPECTION_SQL, [schema]);
  const row = result.rows[0];
  if (!row) throw new Error('schema introspection returned no row');
  return catalogueSchema.parse(JSON.parse(row.catalogue));
}

export async function catalogueVersion(pool: pg.Pool, schema: string): Promise<string> {
  const result = await pool.query<{ version: string }>(`${VERSION_SQL} as version`, [schema]);
  return result.rows[0]?.version ?? '';
}
