/** Turns a column reference (with JSON arrows and an optional cast) into SQL for a scope. */
import { RestError } from '../rest-error';
import { findColumn, type SchemaSnapshot, type TableInfo } from '../schema-cache/schema-cache';
import type { FieldRef } from '../url-grammar/types';
import { ident, type SqlBuilder } from './sql-builder';

export type Scope = { table: TableInfo; alias: string };

export function fieldSql(b: SqlBuilder, scope: Scope, field: FieldRef): string {
  const column = findColumn(scope.table, field.name);
  let sql = `${scope.alias}.${ident(column.name)}`;
  for (const step of field.jsonPath) {
    const key = /^-?\d+$/.test(step.key) ? `${b.param(step.key)}::int4` : `${b.param(step.key)}::text`;
    sql = `(${sql}${step.arrow}${key})`;
  }
  return sql;
}

// Common SQL spellings of types that pg_type knows under another name.
const TYPE_ALIASES: Record<string, string> = {
  integer: 'int4', int: 'int4', bigint: 'int8', smallint: 'int2', boolean: 'bool', real: 'float4',
  float: 'float8', double: 'float8', decimal: 'numeric', character: 'bpchar',
};

/** A cast target looked up in the catalogue's type names, never pasted from the URL. */
export function castSql(snapshot: SchemaSnapshot, cast: string): string {
  const array = cast.endsWith('[]');
  const base = (array ? cast.slice(0, -2) : cast).trim().toLowerCase();
  const name = TYPE_ALIASES[base] ?? base;
  if (!snapshot.types.has(name)) {
    throw new RestError(400, '42704', `type "${cast}" does not exist`);
  }
  return `${ident(name)}${array ? '[]' : ''}`;
}
