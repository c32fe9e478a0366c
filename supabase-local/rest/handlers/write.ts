/** POST (insert / upsert), PATCH and DELETE on a table, with optional representation. */
import { RestError } from '../rest-error';
import { parsePayload, payloadKeys } from '../request/json-body';
import { parseQuery } from '../request/query-params';
import { findTable, type SchemaSnapshot, type TableInfo } from '../schema-cache/schema-cache';
import type { Scope } from '../sql/field-sql';
import { buildSelect, checkUsedPaths, nodeParams, whereConditions, type SelectContext } from '../sql/select-sql';
import { SqlBuilder } from '../sql/sql-builder';
import { statementSql } from '../sql/statement';
import { deleteSql, insertSql, updateSql } from '../sql/write-sql';
import type { Plan, RestRequest } from './plan';
import { writeReply, writeReplyMayRefuse } from './reply';

type WriteKind = 'insert' | 'update' | 'delete';

function kindOf(method: string): WriteKind {
  if (method === 'POST') return 'insert';
  if (method === 'PATCH') return 'update';
  if (method === 'DELETE') return 'delete';
  throw new RestError(405, 'PGRST117', `Unsupported HTTP method: ${method}`);
}

/** The rows the statement answers with: the representation's select over pgrst_source. */
function representationRows(ctx: SelectContext, table: TableInfo, representation: boolean): string {
  if (!representation) return 'select 1 from pgrst_source';
  const scope: Scope = { table, alias: ctx.b.alias('t') };
  const parts = buildSelect(ctx, scope, ctx.query.select, []);
  // Lateral joins may reorder rows; the ordinal keeps the order the rows were written in.
  const source = `(select pgrst_source.*, row_number() over () as _pgrst_ord from pgrst_source) as ${scope.alias}`;
  return `select ${parts.columns.join(', ') || 'null'} from ${source}${parts.joins.map((j) => ` ${j.sql}`).join('')} order by ${scope.alias}._pgrst_ord`;
}

export function planWrite(request: RestRequest, snapshot: SchemaSnapshot, tableName: string): Plan {
  const kind = kindOf(request.method);
  const table = findTable(snapshot, tableName);
  const query = parseQuery(request.url.searchParams);
  const b = new SqlBuilder();
  const ctx: SelectContext = { b, snapshot, query, usedPaths: new Set() };
  const alias = b.alias('t');
  const target: Scope = { table, alias };
  let cte: string;
  if (kind === 'insert') {
    const payload = parsePayload(request.body);
    cte = insertSql(b, table, alias, {
      columns: query.columns ?? payloadKeys(payload.rows),
      rows: payload.rows,
      missingDefault: request.prefs.missingDefault,
      resolution: request.prefs.resolution,
      onConflict: query.onConflict,
    });
    nodeParams(ctx, []);
  } else {
    const where = whereConditions(ctx, target, nodeParams(ctx, []));
    if (where.length === 0) {
      const verb = kind === 'update' ? 'UPDATE' : 'DELETE';
      throw new RestError(400, '21000', `${verb} requires a WHERE clause`);
    }
    if (kind === 'update') {
      const payload = parsePayload(request.body);
      if (payload.isArray) throw new RestError(400, 'PGRST102', 'Empty or invalid json');
      const row = payload.rows[0]!;
      cte = updateSql(b, table, alias, query.columns ?? Object.keys(row), row, where);
    } else {
      cte = deleteSql(table, alias, where);
    }
  }
  const representation = request.prefs.returnRepresentation === 'representation';
  const rowsSql = representationRows(ctx, table, representation);
  checkUsedPaths(ctx);
  const sql = statementSql({
    cte,
    rowsSql,
    body: representation ? (request.media.singleObject ? 'single' : 'array') : 'none',
    stripNulls: request.media.stripNulls,
  });
  const counted = request.prefs.count !== undefined;
  return {
    sql,
    params: b.params,
    readOnly: false,
    mayRefuse: writeReplyMayRefuse({ representation, singleObject: request.media.singleObject }),
    respond: (row) => writeReply(row, { kind, representation, singleObject: request.media.singleObject, counted }),
  };
}
