/**
 * /rpc/<fn>: POST with named JSON arguments, GET/HEAD with query-string arguments. The
 * function is found in the catalogue by name and argument names; set and table results
 * take filters, order and paging like a table.
 */
import { RestError } from '../rest-error';
import { parseJson } from '../request/json-body';
import { parseQuery } from '../request/query-params';
import type { FunctionInfo } from '../schema-cache/introspect';
import type { SchemaSnapshot, TableInfo } from '../schema-cache/schema-cache';
import { limitOffsetSql } from '../sql/condition-sql';
import { buildReadSql } from '../sql/read-sql';
import { rpcCall } from '../sql/rpc-sql';
import { SqlBuilder } from '../sql/sql-builder';
import { SCALAR_COLUMN, statementSql, type BodyShape } from '../sql/statement';
import type { Plan, RestRequest } from './plan';
import { readReply, readReplyMayRefuse } from './reply';

function bodyArgs(request: RestRequest): { args: Record<string, unknown>; whole: unknown } {
  if (request.method !== 'POST') return { args: {}, whole: undefined };
  if (request.body.trim() === '') return { args: {}, whole: {} };
  const whole = parseJson(request.body);
  if (typeof whole !== 'object' || whole === null || Array.isArray(whole)) return { args: {}, whole };
  return { args: { ...whole }, whole };
}

function chooseFunction(snapshot: SchemaSnapshot, name: string, argNames: string[], wholeBody: boolean): FunctionInfo {
  const overloads = snapshot.functions.get(name) ?? [];
  const matches = overloads.filter((fn) => {
    if (wholeBody && fn.args.length === 1 && fn.args[0]!.name === '' && /^jsonb?$/.test(fn.args[0]!.type)) return true;
    const names = new Set(fn.args.map((arg) => arg.name));
    return argNames.every((arg) => names.has(arg)) && fn.args.every((arg) => arg.hasDefault || argNames.includes(arg.name));
  });
  if (matches.length === 1) return matches[0]!;
  const signature = `${snapshot.schema}.${name}(${argNames.join(', ')})`;
  if (matches.length === 0) {
    throw new RestError(
      404,
      'PGRST202',
      `Could not find the function ${signature} in the schema cache`,
      `Searched for the function ${signature}${argNames.length ? ` with parameters ${argNames.join(', ')}` : ' without parameters'} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
      null,
      true,
    );
  }
  throw new RestError(300, 'PGRST203', `Could not choose the best candidate function between: ${matches.map((fn) => `${snapshot.schema}.${fn.name}(${fn.args.map((a) => `${a.name} => ${a.type}`).join(', ')})`).join(', ')}`, null, 'Try renaming the parameters or the function itself in the database so function overloading can be resolved');
}

function resultTable(snapshot: SchemaSnapshot, fn: FunctionInfo): TableInfo {
  const table = fn.returnTable ? snapshot.tables.get(fn.returnTable) : undefined;
  if (table) return table;
  return { schema: snapshot.schema, name: fn.name, columns: new Map(fn.outColumns.map((c) => [c.name, c])), primaryKey: [], uniques: [] };
}

export function planRpc(request: RestRequest, snapshot: SchemaSnapshot, name: string): Plan {
  const knownArgs = new Set((snapshot.functions.get(name) ?? []).flatMap((fn) => fn.args.map((arg) => arg.name)));
  const isQueryArgs = request.method !== 'POST';
  const query = parseQuery(request.url.searchParams, (key) => isQueryArgs && knownArgs.has(key));
  const { args: postedArgs, whole } = bodyArgs(request);
  const args = isQueryArgs ? Object.fromEntries(query.rpcArgs) : postedArgs;
  const fn = chooseFunction(snapshot, name, Object.keys(args), !isQueryArgs && whole !== undefined);
  const b = new SqlBuilder();
  const alias = b.alias('t');
  const call = rpcCall(b, snapshot.schema, fn, args, alias, whole);
  const head = request.method === 'HEAD';
  const counted = request.prefs.count !== undefined;
  const single = request.media.singleObject;
  const isVoid = fn.returnType === 'void';
  let rowsSql: string;
  let totalSql: string | undefined;
  let body: BodyShape;
  if (fn.outColumns.length > 0) {
    const read = buildReadSql({ b, snapshot, query, usedPaths: new Set() }, { table: resultTable(snapshot, fn), alias }, call.from);
    rowsSql = read.rowsSql;
    totalSql = read.totalSql;
    body = fn.returnsSet && !single ? 'array' : 'single';
  } else if (fn.returnsSet) {
    const node = query.nodes.get('');
    rowsSql = `select ${alias}.${SCALAR_COLUMN} from ${call.from}${limitOffsetSql(b, node?.limit, node?.offset)}`;
    totalSql = `(select count(*) from ${call.from})`;
    body = single ? 'scalar-single' : 'scalar-array';
  } else {
    rowsSql = `select ${call.callExpression} as ${SCALAR_COLUMN}${call.argsFrom ? ` from ${call.argsFrom}` : ''}`;
    body = 'scalar-single';
  }
  const sql = statementSql({ rowsSql, ...(counted && totalSql ? { totalSql } : {}), body: head || isVoid ? 'none' : body, stripNulls: request.media.stripNulls });
  const offset = query.nodes.get('')?.offset ?? 0;
  return {
    sql,
    params: b.params,
    readOnly: request.method !== 'POST' || !fn.volatile,
    mayRefuse: !isVoid && readReplyMayRefuse({ singleObject: single && fn.returnsSet, counted }),
    respond: (row) => {
      if (isVoid) return { status: 204, headers: {}, body: null };
      const setResult = fn.returnsSet;
      const reply = readReply(row, { offset, singleObject: single && setResult, counted, head });
      return setResult ? reply : { ...reply, headers: { ...reply.headers, 'Content-Range': '0-0/*' } };
    },
  };
}
