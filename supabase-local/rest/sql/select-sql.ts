/**
 * A select tree → the select list and lateral joins of one scope. Embeds become lateral
 * subqueries returning `row_to_json` (to-one) or `json_agg` (to-many), as PostgREST builds
 * them, so one statement returns the whole JSON body.
 */
import { RestError } from '../rest-error';
import { emptyNode, type ApiQuery, type NodeParams } from '../request/query-params';
import { isToOne, resolveRelationship } from '../schema-cache/relationships';
import type { SchemaSnapshot } from '../schema-cache/schema-cache';
import { defaultFieldName } from '../url-grammar/field';
import type { SelectItem } from '../url-grammar/types';
import { filterSql, limitOffsetSql, logicSql, orderSql } from './condition-sql';
import { castSql, fieldSql, type Scope } from './field-sql';
import { ident, qualified, type SqlBuilder } from './sql-builder';

export type Join = { sql: string; inner: boolean };
export type SelectParts = { columns: string[]; joins: Join[] };

export type SelectContext = { b: SqlBuilder; snapshot: SchemaSnapshot; query: ApiQuery; usedPaths: Set<string> };

export function nodeParams(ctx: SelectContext, path: string[]): NodeParams {
  const key = path.join('.');
  ctx.usedPaths.add(key);
  return ctx.query.nodes.get(key) ?? emptyNode();
}

/** Conditions of a scope's own filters and logic trees. */
export function whereConditions(ctx: SelectContext, scope: Scope, node: NodeParams): string[] {
  return [...node.filters.map((f) => filterSql(ctx.b, scope, f)), ...node.logic.map((t) => logicSql(ctx.b, scope, t))];
}

export function buildSelect(ctx: SelectContext, scope: Scope, items: SelectItem[], path: string[]): SelectParts {
  const parts: SelectParts = { columns: [], joins: [] };
  for (const item of items) {
    if (item.kind === 'star') {
      // Spelled out from the catalogue so a scope may carry helper columns (write ordinals).
      for (const column of scope.table.columns.keys()) parts.columns.push(`${scope.alias}.${ident(column)}`);
    } else if (item.kind === 'field') {
      let sql = fieldSql(ctx.b, scope, item.field);
      if (item.cast) sql = `(${sql})::${castSql(ctx.snapshot, item.cast)}`;
      parts.columns.push(`${sql} as ${ident(item.alias ?? defaultFieldName(item.field))}`);
    } else {
      addEmbed(ctx, scope, item, path, parts);
    }
  }
  return parts;
}

function addEmbed(ctx: SelectContext, parent: Scope, item: Extract<SelectItem, { kind: 'embed' }>, path: string[], parts: SelectParts): void {
  const relationship = resolveRelationship(ctx.snapshot, parent.table, item.name, item.hint);
  const toOne = isToOne(relationship);
  const key = item.alias ?? item.name;
  const childPath = [...path, key];
  const child: Scope = { table: relationship.target, alias: ctx.b.alias('t') };
  const node = nodeParams(ctx, childPath);
  const inner = buildSelect(ctx, child, item.select.length ? item.select : [{ kind: 'star' }], childPath);
  const where = [
    ...relationship.targetColumns.map((column, i) => `${child.alias}.${ident(column)} = ${parent.alias}.${ident(relationship.parentColumns[i]!)}`),
    ...whereConditions(ctx, child, node),
  ];
  const subquery =
    `select ${inner.columns.join(', ') || 'null'} from ${qualified(child.table.schema, child.table.name)} as ${child.alias}` +
    inner.joins.map((join) => ` ${join.sql}`).join('') +
    ` where ${where.join(' and ')}` +
    orderSql(ctx.b, child, node.order ?? []) +
    limitOffsetSql(ctx.b, node.limit, node.offset);
  const lateral = ctx.b.alias('l');
  const isInner = item.joinType === 'inner';
  const joinWord = isInner ? 'inner join lateral' : 'left join lateral';
  if (item.spread) {
    if (!toOne) {
      throw new RestError(400, 'PGRST119', `A spread operation on '${item.name}' is not possible`, `'${parent.table.name}' and '${item.name}' do not form a many-to-one or one-to-one relationship`);
    }
    parts.joins.push({ sql: `${joinWord} (${subquery}) as ${lateral} on true`, inner: isInner });
    parts.columns.push(`${lateral}.*`);
  } else if (toOne) {
    const row = ctx.b.alias('r');
    parts.joins.push({ sql: `${joinWord} (select row_to_json(${row}) as body from (${subquery}) as ${row}) as ${lateral} on true`, inner: isInner });
    parts.columns.push(`${lateral}.body as ${ident(key)}`);
  } else {
    const row = ctx.b.alias('r');
    parts.joins.push({
      sql: `${joinWord} (select json_agg(${row}) as body from (${subquery}) as ${row}) as ${lateral} on ${isInner ? `${lateral}.body is not null` : 'true'}`,
      inner: isInner,
    });
    parts.columns.push(`coalesce(${lateral}.body, '[]'::json) as ${ident(key)}`);
  }
}

/** PGRST108: a filter, order or limit names an embed the select does not have. */
export function checkUsedPaths(ctx: SelectContext): void {
  for (const key of ctx.query.nodes.keys()) {
    if (!ctx.usedPaths.has(key)) {
      throw new RestError(
        400,
        'PGRST108',
        `'${key}' is not an embedded resource in this request`,
        null,
        `Verify that '${key}' is included in the 'select' query parameter.`,
      );
    }
  }
}
