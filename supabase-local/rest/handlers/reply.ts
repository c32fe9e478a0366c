/**
 * Status, Content-Range and body of a response from the statement's row, as PostgREST
 * answers: 206 for a partial page with a known total, `*\/0` when empty, PGRST116 when
 * one object was asked for and the result is not exactly one row.
 */
import { RestError } from '../rest-error';
import type { StatementRow } from '../sql/statement';
import type { HttpReply } from './plan';

const JSON_TYPE = 'application/json; charset=utf-8';
const OBJECT_TYPE = 'application/vnd.pgrst.object+json; charset=utf-8';

export function pageSize(row: StatementRow): number {
  return Number.parseInt(row.page_total, 10);
}

function total(row: StatementRow, counted: boolean): number | undefined {
  return counted && row.total !== null ? Number.parseInt(row.total, 10) : undefined;
}

export function contentRange(offset: number, size: number, knownTotal: number | undefined): string {
  const totalText = knownTotal === undefined ? '*' : String(knownTotal);
  if (size === 0) return `*/${totalText}`;
  return `${offset}-${offset + size - 1}/${totalText}`;
}

export function checkSingle(singleObject: boolean, size: number): void {
  if (singleObject && size !== 1) {
    throw new RestError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${size} rows`);
  }
}

export type ReadReplyOptions = { offset: number; singleObject: boolean; counted: boolean; head: boolean };

/** Whether readReply can refuse: PGRST116 needs a single object, PGRST103 a known total. */
export function readReplyMayRefuse(options: Pick<ReadReplyOptions, 'singleObject' | 'counted'>): boolean {
  return options.singleObject || options.counted;
}

export function readReply(row: StatementRow, options: ReadReplyOptions): HttpReply {
  const size = pageSize(row);
  checkSingle(options.singleObject, size);
  const knownTotal = total(row, options.counted);
  let status = 200;
  if (knownTotal !== undefined) {
    if (options.offset > knownTotal) {
      throw new RestError(416, 'PGRST103', 'Requested range not satisfiable', `An offset of ${options.offset} was requested, but there are only ${knownTotal} rows.`);
    }
    if (size < knownTotal) status = 206;
  }
  return {
    status,
    headers: {
      'Content-Range': contentRange(options.offset, size, knownTotal),
      'Range-Unit': 'items',
      'Content-Type': options.singleObject ? OBJECT_TYPE : JSON_TYPE,
    },
    body: options.head ? null : (row.body ?? (options.singleObject ? 'null' : '[]')),
  };
}

export type WriteReplyOptions = { kind: 'insert' | 'update' | 'delete'; representation: boolean; singleObject: boolean; counted: boolean };

/** Whether writeReply can refuse: only PGRST116, for a representation asked as one object. */
export function writeReplyMayRefuse(options: Pick<WriteReplyOptions, 'representation' | 'singleObject'>): boolean {
  return options.representation && options.singleObject;
}

export function writeReply(row: StatementRow, options: WriteReplyOptions): HttpReply {
  const size = pageSize(row);
  if (options.representation) checkSingle(options.singleObject, size);
  const countText = options.counted ? String(size) : '*';
  const range = options.kind === 'insert' || size === 0 ? `*/${countText}` : `0-${size - 1}/${countText}`;
  const headers: Record<string, string> = { 'Content-Range': range };
  if (!options.representation) return { status: options.kind === 'insert' ? 201 : 204, headers, body: null };
  headers['Content-Type'] = options.singleObject ? OBJECT_TYPE : JSON_TYPE;
  return { status: options.kind === 'insert' ? 201 : 200, headers, body: row.body ?? '[]' };
}
