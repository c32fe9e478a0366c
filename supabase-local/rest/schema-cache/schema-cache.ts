/**
 * The REST server's view of the exposed schema, introspected once and reloaded when it
 * may be stale: a lookup that misses (unknown table, column, function or relationship)
 * or a Postgres error saying an object does not exist.
 */
import type pg from 'pg';
import { RestError } from '../rest-error';
import { introspect, type Catalogue, type ColumnInfo, type ForeignKeyInfo, type FunctionInfo } from './introspect';

export type TableInfo = {
  schema: string;
  name: string;
  columns: Map<string, ColumnInfo>;
  primaryKey: string[];
  uniques: string[][];
};

export type SchemaSnapshot = {
  schema: string;
  tables: Map<string, TableInfo>;
  foreignKeys: ForeignKeyInfo[];
  functions: Map<string, FunctionInfo[]>;
  types: Set<string>;
};

// A miss may reload the cache at most this often, so unknown names cannot flood the catalogue.
const MISS_RELOAD_MIN_INTERVAL_MS = 1_000;

function snapshotOf(schema: string, catalogue: Catalogue): SchemaSnapshot {
  const tables = new Map<string, TableInfo>();
  for (const table of catalogue.tables) {
    tables.set(table.name, {
      schema,
      name: table.name,
      columns: new Map(table.columns.map((column) => [column.name, column])),
      primaryKey: table.primaryKey,
      uniques: table.uniques,
    });
  }
  const functions = new Map<string, FunctionInfo[]>();
  for (const fn of catalogue.functions) functions.set(fn.name, [...(functions.get(fn.name) ?? []), fn]);
  return { schema, tables, foreignKeys: catalogue.foreignKeys, functions, types: new Set(catalogue.types) };
}

export class SchemaCache {
  private current: Promise<SchemaSnapshot> | undefined;
  private loadedAt = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
    private readonly now: () => number = Date.now,
  ) {}

  snapshot(): Promise<SchemaSnapshot> {
    if (!this.current) this.reload();
    return this.current!;
  }

  reload(): void {
    this.loadedAt = this.now();
    const loading = introspect(this.pool, this.schema).then((catalogue) => snapshotOf(this.schema, catalogue));
    loading.catch(() => {
      if (this.current === loading) this.current = undefined;
    });
    this.current = loading;
  }

  /** Reloads after a miss unless it reloaded very recently; says whether it did. */
  reloadAfterMiss(): boolean {
    if (this.now() - this.loadedAt < MISS_RELOAD_MIN_INTERVAL_MS) return false;
    this.reload();
    return true;
  }
}

export function findTable(snapshot: SchemaSnapshot, name: string): TableInfo {
  const table = snapshot.tables.get(name);
  if (table) return table;
  const near = [...snapshot.tables.keys()].find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  throw new RestError(
    404,
    'PGRST205',
    `Could not find the table '${snapshot.schema}.${name}' in the schema cache`,
    null,
    near ? `Perhaps you meant the table '${snapshot.schema}.${near}'` : null,
    true,
  );
}

export function findColumn(table: TableInfo, name: string): ColumnInfo {
  const column = table.columns.get(name);
  if (column) return column;
  throw new RestError(400, '42703', `column ${table.name}.${name} does not exist`, null, null, true);
}
