/**
 * INSERT (with upsert), UPDATE and DELETE as the data-modifying `pgrst_source` CTE. The
 * JSON body is one bound parameter read with json_populate_record(set); column names
 * come from the catalogue.
 */
import { RestError } from '../rest-error';
import type { TableInfo } from '../schema-cache/schema-cache';
import { ident, qualified, type SqlBuilder } from './sql-builder';

export type JsonObject = Record<string, unknown>;

export type InsertOptions = {
  columns: string[];
  rows: JsonObject[];
  missingDefault: boolean;
  resolution: 'merge-duplicates' | 'ignore-duplicates' | undefined;
  onConflict: string[] | undefined;
};

/** PGRST204: a payload or `columns` key that is not a column. */
export function checkPayloadColumns(table: TableInfo, columns: string[]): void {
  for (const column of columns) {
    if (!table.columns.has(column)) {
      throw new RestError(400, 'PGRST204', `Could not find the '${column}' column of '${table.name}' in the schema cache`, null, null, true);
    }
  }
}

function conflictSql(table: TableInfo, options: InsertOptions): string {
  if (!options.resolution) return '';
  const target = options.onConflict ?? table.primaryKey;
  checkPayloadColumns(table, target);
  const targetSql = target.length ? ` (${target.map(ident).join(', ')})` : '';
  const updatable = options.columns.filter((column) => !target.includes(column));
  if (options.resolution === 'ignore-duplicates' || updatable.length === 0) return ` on conflict${targetSql} do nothing`;
  if (!targetSql) throw new RestError(400, 'PGRST100', `"failed to parse on_conflict"`, `'${table.name}' has no primary key; pass on_conflict`);
  return ` on conflict${targetSql} do update set ${updatable.map((c) => `${ident(c)} = excluded.${ident(c)}`).join(', ')}`;
}

export function insertSql(b: SqlBuilder, table: TableInfo, alias: string, options: InsertOptions): string {
  checkPayloadColumns(table, options.columns);
  const target = `${qualified(table.schema, table.name)} as ${alias}`;
  const tail = `${conflictSql(table, options)} returning ${alias}.*`;
  if (options.rows.length === 0) return `select ${alias}.* from ${qualified(table.schema, table.name)} as ${alias} where false`;
  if (options.columns.length === 0) {
    if (options.rows.length > 1) throw new RestError(400, 'PGRST102', 'All object keys must match');
    return `insert into ${target} default values${tail}`;
  }
  const columnList = options.columns.map(ident).join(', ');
  const rowType = `null::${qualified(table.schema, table.name)}`;
  if (options.missingDefault) {
    const values = options.rows.map((row) => {
      const record = `jsonb_populate_record(${rowType}, ${b.param(JSON.stringify(row))}::jsonb)`;
      const cells = options.columns.map((column) => (Object.hasOwn(row, column) ? `(${record}).${ident(column)}` : 'default'));
      return `(${cells.join(', ')})`;
    });
    return `insert into ${target} (${columnList}) values ${values.join(', ')}${tail}`;
  }
  const body = b.param(JSON.stringify(options.rows));
  return `insert into ${target} (${columnList}) select ${columnList} from json_populate_recordset(${rowType}, ${body}::json) as _pgrst_body${tail}`;
}

export function updateSql(b: SqlBuilder, table: TableInfo, alias: string, columns: string[], row: JsonObject, where: string[]): string {
  checkPayloadColumns(table, columns);
  if (columns.length === 0) return `select ${alias}.* from ${qualified(table.schema, table.name)} as ${alias} where false`;
  const body = b.param(JSON.stringify(row));
  const sets = columns.map((column) => `${ident(column)} = _pgrst_body.${ident(column)}`).join(', ');
  return (
    `update ${qualified(table.schema, table.name)} as ${alias} set ${sets} ` +
    `from json_populate_record(null::${qualified(table.schema, table.name)}, ${body}::json) as _pgrst_body` +
    `${where.length ? ` where ${where.join(' and ')}` : ''} returning ${alias}.*`
  );
}

export function deleteSql(table: TableInfo, alias: string, where: string[]): string {
  return `delete from ${qualified(table.schema, table.name)} as ${alias}${where.length ? ` where ${where.join(' and ')}` : ''} returning ${alias}.*`;
}
