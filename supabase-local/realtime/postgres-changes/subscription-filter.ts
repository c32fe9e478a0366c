/**
 * The `filter` of a postgres_changes binding: `column=op.value`, one per binding, with the
 * classic Realtime operators eq, neq, lt, lte, gt, gte and in (`in.(a,b)`, ≤ 100 values).
 * Values compare as the column's type, as Realtime does by casting both sides.
 */

export type FilterOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'in';
export type ParsedFilter = { column: string; op: FilterOp; values: string[] };

// Realtime's documented limit for `in` filters.
export const MAX_IN_VALUES = 100;
const OPS: ReadonlySet<string> = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in']);

export type FilterParse = { ok: true; filter: ParsedFilter } | { ok: false; message: string };

export function parseFilter(text: string): FilterParse {
  const eq = text.indexOf('=');
  const dot = text.indexOf('.', eq + 1);
  if (eq <= 0 || dot < 0) return { ok: false, message: `Error parsing \`filter\` params: ${text}` };
  const column = text.slice(0, eq);
  const op = text.slice(eq + 1, dot);
  const value = text.slice(dot + 1);
  if (!OPS.has(op)) return { ok: false, message: `Error parsing \`filter\` params: unsupported operator ${op}` };
  if (op !== 'in') return { ok: true, filter: { column, op: op as FilterOp, values: [value] } };
  const list = /^\((.*)\)$/s.exec(value);
  if (!list) return { ok: false, message: 'Error parsing `filter` params: `in` needs a list in parentheses' };
  const values = splitList(list[1] ?? '');
  if (values.length > MAX_IN_VALUES) return { ok: false, message: `Error parsing \`filter\` params: \`in\` takes at most ${MAX_IN_VALUES} values` };
  return { ok: true, filter: { column, op: 'in', values } };
}

function splitList(text: string): string[] {
  const values: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      values.push(current.trim());
      current = '';
    } else current += char;
  }
  values.push(current.trim());
  return values;
}

const NUMERIC = new Set(['int2', 'int4', 'int8', 'oid', 'float4', 'float8', 'numeric']);
const TEMPORAL = new Set(['timestamptz', 'timestamp', 'date']);

/** -1/0/1, or undefined when the two cannot be compared as the column's type. */
export function compareAs(typname: string, left: string, right: string): number | undefined {
  if (NUMERIC.has(typname)) {
    const [a, b] = [Number(left), Number(right)];
    return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.sign(a - b);
  }
  if (typname === 'bool') {
    const norm = (value: string) => ['t', 'true', '1', 'yes', 'on'].includes(value.toLowerCase());
    return Number(norm(left)) - Number(norm(right));
  }
  if (TEMPORAL.has(typname)) {
    const parse = (value: string) => Date.parse(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
    const [a, b] = [parse(left), parse(right)];
    return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.sign(a - b);
  }
  if (typname === 'uuid') [left, right] = [left.toLowerCase(), right.toLowerCase()];
  return left === right ? 0 : left < right ? -1 : 1;
}

/** Whether a row (text values, as pgoutput sends them) passes the filter. */
export function matchesFilter(filter: ParsedFilter, row: Record<string, string | null>, typname: string | undefined): boolean {
  if (typname === undefined || !(filter.column in row)) return false;
  const value = row[filter.column];
  if (value === null || value === undefined) return false;
  const compare = (target: string) => compareAs(typname, value, target);
  switch (filter.op) {
    case 'eq':
      return compare(filter.values[0] ?? '') === 0;
    case 'neq': {
      const result = compare(filter.values[0] ?? '');
      return result !== undefined && result !== 0;
    }
    case 'lt':
      return compare(filter.values[0] ?? '') === -1;
    case 'lte': {
      const result = compare(filter.values[0] ?? '');
      return result === -1 || result === 0;
    }
    case 'gt':
      return compare(filter.values[0] ?? '') === 1;
    case 'gte': {
      const result = compare(filter.values[0] ?? '');
      return result === 1 || result === 0;
    }
    case 'in':
      return filter.values.some((target) => compare(target) === 0);
  }
}
