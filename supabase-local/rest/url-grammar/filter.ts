/**
 * Parses filter values `[not.]op[(modifier)].value` and logic trees
 * `or=(a.eq.1,and(b.gt.2,c.is.null),not.or(d.in.(1,2)))`.
 */
import { parseError } from '../rest-error';
import { parseField } from './field';
import { splitTopLevel, unquote } from './split-top-level';
import {
  FTS_OPERATORS,
  IS_VALUES,
  QUANTIFIABLE_OPERATORS,
  SIMPLE_OPERATORS,
  type Condition,
  type FieldRef,
  type Filter,
  type LogicTree,
} from './types';

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** A list value `(a,"b,c")` or `{a,b}` for in / like(any). */
function parseList(text: string, what: string): string[] {
  if (!text.startsWith('(') || !text.endsWith(')')) throw parseError(what, `expected a list in parentheses, got "${text}"`);
  const inner = text.slice(1, -1);
  if (inner === '') return [];
  return splitTopLevel(inner, ',', what).map((item) => unquote(item));
}

function parseQuantifiedList(text: string, what: string): string[] {
  if (text.startsWith('{') && text.endsWith('}')) {
    const inner = text.slice(1, -1);
    return inner === '' ? [] : splitTopLevel(inner, ',', what).map((item) => unquote(item));
  }
  return parseList(text, what);
}

/** Parses the right-hand side of `col=<this>`. */
export function parseFilterValue(field: FieldRef, text: string, what = 'filter'): Filter {
  let rest = text;
  let negated = false;
  if (rest.startsWith('not.')) {
    negated = true;
    rest = rest.slice(4);
  }
  const match = /^([a-z]+)(?:\(([^)]*)\))?\.([\s\S]*)$/.exec(rest);
  if (!match) throw parseError(`filter (${text})`, `expected "operator.value" in "${text}"`);
  const op = match[1]!;
  const modifier = match[2];
  const value = match[3]!;
  let condition: Condition;
  if (op === 'in' && modifier === undefined) {
    condition = { kind: 'in', values: parseList(value, what) };
  } else if (op === 'is' && modifier === undefined) {
    const lowered = value.toLowerCase();
    if (!isOneOf(IS_VALUES, lowered)) throw parseError(`filter (${text})`, `"is" needs null, not_null, true, false or unknown`);
    condition = { kind: 'is', value: lowered };
  } else if (isOneOf(FTS_OPERATORS, op)) {
    condition = { kind: 'fts', op, value, ...(modifier ? { config: modifier } : {}) };
  } else if (modifier !== undefined) {
    if (!isOneOf(QUANTIFIABLE_OPERATORS, op) || (modifier !== 'any' && modifier !== 'all')) {
      throw parseError(`filter (${text})`, `unknown operator modifier "${op}(${modifier})"`);
    }
    condition = { kind: 'quantified', op, quantifier: modifier, values: parseQuantifiedList(value, what) };
  } else if (isOneOf(SIMPLE_OPERATORS, op)) {
    condition = { kind: 'simple', op, value };
  } else {
    throw parseError(`filter (${text})`, `unknown operator "${op}"`);
  }
  return { field, negated, condition };
}

/** Parses `(a.eq.1,b.gt.2)` as the body of `or=` / `and=` / `not.or=`. */
export function parseLogic(op: 'and' | 'or', negated: boolean, text: string): LogicTree {
  if (!text.startsWith('(') || !text.endsWith(')')) throw parseError('logic tree', `expected "(...)" in "${text}"`);
  const inner = text.slice(1, -1);
  if (inner.trim() === '') throw parseError('logic tree', 'empty logic tree');
  const children = splitTopLevel(inner, ',', 'logic tree').map((part) => parseLogicChild(part.trim()));
  return { kind: 'logic', op, negated, children };
}

function parseLogicChild(text: string): LogicTree['children'][number] {
  const nested = /^(not\.)?(and|or)(\(.*\))$/s.exec(text);
  if (nested) return parseLogic(nested[2] === 'and' ? 'and' : 'or', nested[1] !== undefined, nested[3]!);
  const dot = findFieldEnd(text);
  if (dot < 0) throw parseError('logic tree', `expected "column.operator.value" in "${text}"`);
  const field = parseField(text.slice(0, dot), 'logic tree');
  return { kind: 'filter', filter: parseFilterValue(field, text.slice(dot + 1), 'logic tree') };
}

/** Index of the dot that ends the column part (skipping a double-quoted column name). */
function findFieldEnd(text: string): number {
  if (text.startsWith('"')) {
    const close = text.indexOf('"', 1);
    return close < 0 ? -1 : text.indexOf('.', close);
  }
  return text.indexOf('.');
}
