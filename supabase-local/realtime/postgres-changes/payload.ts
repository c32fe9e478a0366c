/**
 * The `data` of a `postgres_changes` message exactly as hosted Realtime builds it:
 * `{schema, table, commit_timestamp, type, columns, record?, old_record?, errors}`. INSERT
 * has no `old_record`, DELETE no `record`; columns and values are limited to what the
 * subscriber's role may SELECT; with RLS on, DELETE's `old_record` keeps only the primary
 * key.
 */
import type { TableInfo } from './catalog';
import { toJsonValue } from './value-typing';

export type ChangeType = 'INSERT' | 'UPDATE' | 'DELETE';
export type RawRow = Record<string, string | null>;

export type ChangeData = {
  schema: string;
  table: string;
  commit_timestamp: string;
  type: ChangeType;
  columns: Array<{ name: string; type: string }>;
  record?: Record<string, unknown>;
  old_record?: Record<string, unknown>;
  errors: null;
};

/** Supabase's format: `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, milliseconds). */
export function commitTimestamp(commitTimeMicros: bigint): string {
  return new Date(Number(commitTimeMicros / 1000n)).toISOString();
}

function typedRecord(table: TableInfo, row: RawRow, keep: (column: string) => boolean): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const column of table.columns) {
    if (!(column.name in row) || !keep(column.name)) continue;
    record[column.name] = toJsonValue(column.typname, row[column.name] ?? null);
  }
  return record;
}

export function buildChangeData(args: {
  table: TableInfo;
  type: ChangeType;
  commitTimestamp: string;
  newRow: RawRow | undefined;
  oldRow: RawRow | undefined;
  selectable: ReadonlySet<string>;
}): ChangeData {
  const { table, type, selectable } = args;
  const visible = (column: string) => selectable.has(column);
  const data: Omit<ChangeData, 'errors'> = {
    schema: table.schema,
    table: table.table,
    commit_timestamp: args.commitTimestamp,
    type,
    columns: table.columns.filter((column) => visible(column.name)).map((column) => ({ name: column.name, type: column.typname })),
  };
  if (type !== 'DELETE') data.record = typedRecord(table, args.newRow ?? {}, visible);
  if (type === 'UPDATE') {
    // Without an old tuple (key unchanged, default replica identity) the identity is the new row's key.
    const primaryKey = new Set(table.primaryKey.map((column) => column.name));
    const oldRow = args.oldRow ?? args.newRow ?? {};
    data.old_record = typedRecord(table, oldRow, (column) => visible(column) && (args.oldRow !== undefined || primaryKey.has(column)));
  }
  if (type === 'DELETE') {
    const primaryKey = new Set(table.primaryKey.map((column) => column.name));
    data.old_record = typedRecord(table, args.oldRow ?? {}, (column) => visible(column) && (!table.rlsEnabled || primaryKey.has(column)));
  }
  // `errors` last, as Supabase orders the keys.
  return { ...data, errors: null };
}
