/**
 * Sorts a request's query string into PostgREST's parts: `select`, per-embed filters,
 * logic trees, order, limit and offset (keyed by embed path, `''` for the root),
 * `on_conflict`, `columns`, and (for GET /rpc) the function's arguments.
 */
import { parseError } from '../rest-error';
import { parseField } from '../url-grammar/field';
import { parseFilterValue, parseLogic } from '../url-grammar/filter';
import { parseOrder } from '../url-grammar/order';
import { parseSelect } from '../url-grammar/select';
import { splitTopLevel, unquote } from '../url-grammar/split-top-level';
import type { Filter, LogicTree, OrderTerm, SelectItem } from '../url-grammar/types';

export type NodeParams = {
  filters: Filter[];
  logic: LogicTree[];
  order?: OrderTerm[];
  limit?: number;
  offset?: number;
};

export type ApiQuery = {
  select: SelectItem[];
  /** Keyed by the embed path joined with '.', '' for the root. */
  nodes: Map<string, NodeParams>;
  onConflict?: string[];
  columns?: string[];
  rpcArgs: Map<string, string>;
};

const RESERVED_TAILS = new Set(['order', 'limit', 'offset', 'or', 'and']);

function nonNegativeInt(key: string, value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw parseError(key, `"${value}" is not a non-negative integer`);
  return Number.parseInt(value, 10);
}

export function emptyNode(): NodeParams {
  return { filters: [], logic: [] };
}

export function parseQuery(params: URLSearchParams, isRpcArg: (key: string) => boolean = () => false): ApiQuery {
  const query: ApiQuery = { select: parseSelect(params.get('select') ?? '*'), nodes: new Map(), rpcArgs: new Map() };
  const node = (path: string[]): NodeParams => {
    const key = path.join('.');
    let found = query.nodes.get(key);
    if (!found) query.nodes.set(key, (found = emptyNode()));
    return found;
  };
  for (const [key, value] of params) {
    if (key === 'select' || key === 'apikey') continue;
    if (key === 'on_conflict') {
      query.onConflict = splitTopLevel(value, ',', 'on_conflict').map((c) => unquote(c.trim()));
      continue;
    }
    if (key === 'columns') {
      query.columns = splitTopLevel(value, ',', 'columns').map((c) => unquote(c.trim()));
      continue;
    }
    if (isRpcArg(key)) {
      query.rpcArgs.set(key, value);
      continue;
    }
    const segments = key.split('.');
    const notLogic = segments.length >= 2 && segments[segments.length - 2] === 'not' && /^(or|and)$/.test(segments.at(-1)!);
    const tail = segments.at(-1)!;
    const path = segments.slice(0, notLogic ? -2 : -1);
    if (notLogic || RESERVED_TAILS.has(tail)) {
      const target = node(path);
      if (tail === 'order') target.order = parseOrder(value);
      else if (tail === 'limit') target.limit = nonNegativeInt(key, value);
      else if (tail === 'offset') target.offset = nonNegativeInt(key, value);
      else target.logic.push(parseLogic(tail === 'and' ? 'and' : 'or', notLogic, value));
      continue;
    }
    node(path).filters.push(parseFilterValue(parseField(tail, 'filter'), value));
  }
  return query;
}
