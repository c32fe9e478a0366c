/** Filters and logic trees → a WHERE condition, every value a bound parameter. */
import type { Condition, Filter, LogicTree, OrderTerm } from '../url-grammar/types';
import { fieldSql, type Scope } from './field-sql';
import type { SqlBuilder } from './sql-builder';

const BINARY_SQL = {
  eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'like', ilike: 'ilike',
  match: '~', imatch: '~*', isdistinct: 'is distinct from', cs: '@>', cd: '<@', ov: '&&',
  sl: '<<', sr: '>>', nxr: '&<', nxl: '&>', adj: '-|-',
} as const;

const FTS_FUNCTION = { fts: 'to_tsquery', plfts: 'plainto_tsquery', phfts: 'phraseto_tsquery', wfts: 'websearch_to_tsquery' } as const;

const IS_SQL = { null: 'is null', not_null: 'is not null', true: 'is true', false: 'is false', unknown: 'is unknown' } as const;

/** PostgREST lets `*` stand for `%` in like patterns (URL-friendly). */
function likePattern(op: string, value: string): string {
  return op === 'like' || op === 'ilike' ? value.replaceAll('*', '%') : value;
}

function conditionSql(b: SqlBuilder, left: string, condition: Condition): string {
  switch (condition.kind) {
    case 'simple':
      return `${left} ${BINARY_SQL[condition.op]} ${b.param(likePattern(condition.op, condition.value))}`;
    case 'quantified': {
      const values = condition.values.map((value) => likePattern(condition.op, value));
      return `${left} ${BINARY_SQL[condition.op]} ${condition.quantifier}(${b.param(values)})`;
    }
    case 'in':
      return `${left} = any(${b.param(condition.values)})`;
    case 'is':
      return `${left} ${IS_SQL[condition.value]}`;
    case 'fts': {
      const fn = FTS_FUNCTION[condition.op];
      const query = condition.config === undefined
        ? `${fn}(${b.param(condition.value)})`
        : `${fn}(${b.param(condition.config)}::regconfig, ${b.param(condition.value)})`;
      return `${left} @@ ${query}`;
    }
  }
}

export function filterSql(b: SqlBuilder, scope: Scope, filter: Filter): string {
  const sql = conditionSql(b, fieldSql(b, scope, filter.field), filter.condition);
  return filter.negated ? `not (${sql})` : sql;
}

export function logicSql(b: SqlBuilder, scope: Scope, tree: LogicTree): string {
  const parts = tree.children.map((child) => (child.kind === 'logic' ? logicSql(b, scope, child) : filterSql(b, scope, child.filter)));
  const joined = `(${parts.join(tree.op === 'and' ? ' and ' : ' or ')})`;
  return tree.negated ? `not ${joined}` : joined;
}

export function orderSql(b: SqlBuilder, scope: Scope, terms: OrderTerm[]): string {
  if (terms.length === 0) return '';
  const items = terms.map((term) => {
    let sql = fieldSql(b, scope, term.field);
    if (term.direction) sql += term.direction === 'desc' ? ' desc' : ' asc';
    if (term.nulls) sql += term.nulls === 'first' ? ' nulls first' : ' nulls last';
    return sql;
  });
  return ` order by ${items.join(', ')}`;
}

export function limitOffsetSql(b: SqlBuilder, limit: number | undefined, offset: number | undefined): string {
  let sql = '';
  if (limit !== undefined) sql += ` limit ${b.param(limit)}::int8`;
  if (offset !== undefined) sql += ` offset ${b.param(offset)}::int8`;
  return sql;
}
