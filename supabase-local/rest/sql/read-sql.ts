/** The root of a read (a table, or a function's result): select list, joins, where, order, page. */
import type { Scope } from './field-sql';
import { limitOffsetSql, orderSql } from './condition-sql';
import { buildSelect, checkUsedPaths, nodeParams, whereConditions, type SelectContext } from './select-sql';

export type ReadSql = { rowsSql: string; totalSql: string };

/** `from` is the root's FROM item, already aliased as `scope.alias`. */
export function buildReadSql(ctx: SelectContext, scope: Scope, from: string, options: { page: boolean } = { page: true }): ReadSql {
  const node = nodeParams(ctx, []);
  const parts = buildSelect(ctx, scope, ctx.query.select, []);
  const where = whereConditions(ctx, scope, node);
  checkUsedPaths(ctx);
  const whereSql = where.length ? ` where ${where.join(' and ')}` : '';
  const allJoins = parts.joins.map((join) => ` ${join.sql}`).join('');
  const innerJoins = parts.joins.filter((join) => join.inner).map((join) => ` ${join.sql}`).join('');
  const rowsSql =
    `select ${parts.columns.join(', ') || 'null'} from ${from}${allJoins}${whereSql}` +
    orderSql(ctx.b, scope, node.order ?? []) +
    (options.page ? limitOffsetSql(ctx.b, node.limit, node.offset) : '');
  const totalSql = `(select count(*) from ${from}${innerJoins}${whereSql})`;
  return { rowsSql, totalSql };
}
