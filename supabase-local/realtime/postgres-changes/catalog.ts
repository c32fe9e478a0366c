/**
 * What the change pipeline needs to know about a published table, read from the
 * catalogue and cached per relation (dropped when pgoutput announces the relation again):
 * column type names, primary key, whether RLS is on, and which columns each role may
 * SELECT.
 */
import type pg from 'pg';

export type TableColumn = { name: string; typname: string; sqlType: string; isPrimaryKey: boolean };
export type TableInfo = { oid: number; schema: string; table: string; rlsEnabled: boolean; columns: TableColumn[]; primaryKey: TableColumn[] };

const columnsSql = `
  select a.attname as name, t.typname, pg_catalog.format_type(a.atttypid, a.atttypmod) as sql_type,
         coalesce(a.attnum = any(i.indkey), false) as is_pk, c.relrowsecurity as rls
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_class c on c.oid = a.attrelid
    join pg_catalog.pg_type t on t.oid = a.atttypid
    left join pg_catalog.pg_index i on i.indrelid = a.attrelid and i.indisprimary
   where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped
   order by a.attnum`;

const selectableSql = `
  select a.attname as name
    from pg_catalog.pg_attribute a
   where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped
     and pg_catalog.has_column_privilege($2, a.attrelid, a.attnum, 'SELECT')`;

type ColumnRow = { name: string; typname: string; sql_type: string; is_pk: boolean; rls: boolean };

export class TableCatalog {
  private readonly tables = new Map<number, Promise<TableInfo>>();
  private readonly selectable = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(private readonly pool: pg.Pool) {}

  invalidate(oid: number): void {
    this.tables.delete(oid);
    for (const key of [...this.selectable.keys()]) if (key.startsWith(`${oid}:`)) this.selectable.delete(key);
  }

  table(oid: number, schema: string, table: string): Promise<TableInfo> {
    let info = this.tables.get(oid);
    if (!info) {
      info = this.pool.query<ColumnRow>(columnsSql, [oid]).then(({ rows }) => {
        const columns = rows.map((row) => ({ name: row.name, typname: row.typname, sqlType: row.sql_type, isPrimaryKey: row.is_pk }));
        return { oid, schema, table, rlsEnabled: rows[0]?.rls ?? false, columns, primaryKey: columns.filter((column) => column.isPrimaryKey) };
      });
      info.catch(() => this.tables.delete(oid));
      this.tables.set(oid, info);
    }
    return info;
  }

  /** Columns `role` may SELECT; empty when the role does not exist. */
  selectableColumns(oid: number, role: string): Promise<ReadonlySet<string>> {
    const key = `${oid}:${role}`;
    let columns = this.selectable.get(key);
    if (!columns) {
      columns = this.pool.query<{ name: string }>(selectableSql, [oid, role]).then(
        ({ rows }) => new Set(rows.map((row) => row.name)),
        () => new Set<string>(),
      );
      this.selectable.set(key, columns);
    }
    return columns;
  }
}
