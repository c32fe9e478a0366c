/** GET/HEAD on a table or view. */
import { parseQuery } from '../request/query-params';
import { findTable, type SchemaSnapshot } from '../schema-cache/schema-cache';
import { buildReadSql } from '../sql/read-sql';
import { qualified, SqlBuilder } from '../sql/sql-builder';
import { statementSql } from '../sql/statement';
import type { Plan, RestRequest } from './plan';
import { readReply, readReplyMayRefuse } from './reply';

export function planRead(request: RestRequest, snapshot: SchemaSnapshot, tableName: string): Plan {
  const table = findTable(snapshot, tableName);
  const query = parseQuery(request.url.searchParams);
  const b = new SqlBuilder();
  const alias = b.alias('t');
  const read = buildReadSql({ b, snapshot, query, usedPaths: new Set() }, { table, alias }, `${qualified(table.schema, table.name)} as ${alias}`);
  const head = request.method === 'HEAD';
  const counted = request.prefs.count !== undefined;
  const sql = statementSql({
    rowsSql: read.rowsSql,
    ...(counted ? { totalSql: read.totalSql } : {}),
    body: head ? 'none' : request.media.singleObject ? 'single' : 'array',
    stripNulls: request.media.stripNulls,
  });
  const offset = query.nodes.get('')?.offset ?? 0;
  return {
    sql,
    params: b.params,
    readOnly: true,
    mayRefuse: readReplyMayRefuse({ singleObject: request.media.singleObject, counted }),
    respond: (row) => readReply(row, { offset, singleObject: request.media.singleObject, counted, head }),
  };
}
