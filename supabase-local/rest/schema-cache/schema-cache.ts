/**
 * The REST server's view of the exposed schema, introspected once and reloaded when it
 * may be stale: a lookup that misses (unknown table, column, function or relationship)
 * or a Postgres error saying an object does not exist.
 */
import type pg from 'pg';
import { RestError } from '../rest-error';
import { catalogueVersion, introspect, type Catalogue, type ColumnInfo, type ForeignKeyInfo, type FunctionInfo } from './introspect';

export type TableInfo = {
  schema: string;
  name: string;
  columns: Map<string, ColumnInfo>;
  primaryKey: string[];
  uniques: string[][];
};

export type SchemaSnapshot = {
  schema: string;
  version: string;
  tables: Map<string, TableInfo>;
  foreignKeys: ForeignKeyInfo[];
  functions: Map<string, FunctionInfo[]>;
  types: Set<string>;
};

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
  return { schema, version: catalogue.version, tables, foreignKeys: catalogue.foreignKeys, functions, types: new Set(catalogue.types) };
}

export class SchemaCache {
  private current: Promise<SchemaSnapshot> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  snapshot(): Promise<SchemaSnapshot> {
    if (!this.current) this.reload();
    return this.current!;
  }

  reload(): void {
    const loading = introspect(this.pool, this.schema).then((catalogue) => snapshotOf(this.schema, catalogue));
    loading.catch(() => {
      if (this.current === loading) this.current = undefined;
    });
    this.current = loading;
  }

  /**
   * After a miss: reloads only if the catalogue's fingerprint moved since the snapshot was
   * taken (a cheap query), so unknown names cannot make every request re-introspect.
   * Says whether a retry could see something new.
   */
  async refreshIfChanged(): Promise<boolean> {
    const snapshot = await this.snapshot();
    if ((await catalogueVersion(this.pool, this.schema)) === snapshot.version) return false;
    if (this.current && (await this.current) === snapshot) this.reload();
    await this.current;
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
