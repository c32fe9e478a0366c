/**
 * Turns pgoutput's text values into the JSON values hosted Realtime sends (it builds
 * records with `to_jsonb` over typed values): numbers for integer/float/numeric, booleans,
 * parsed json/jsonb, arrays as JSON arrays, timestamps in ISO form. The replication
 * session runs with DateStyle=ISO and TimeZone=UTC, so timestamptz text is
 * `2025-11-03 09:32:55.123456+00`.
 */

const NUMBER_TYPES = new Set(['int2', 'int4', 'int8', 'oid', 'float4', 'float8', 'numeric']);

export function toJsonValue(typname: string, raw: string | null): unknown {
  if (raw === null) return null;
  if (typname.startsWith('_')) {
    const element = typname.slice(1);
    const convert = (value: ArrayLiteral): unknown => (Array.isArray(value) ? value.map(convert) : toJsonValue(element, value));
    return convert(parseArrayLiteral(raw));
  }
  if (typname === 'bool') return raw === 't' || raw === 'true';
  if (NUMBER_TYPES.has(typname)) {
    const value = Number(raw);
    return Number.isFinite(value) ? value : raw;
  }
  if (typname === 'json' || typname === 'jsonb') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  if (typname === 'timestamptz') return isoTimestamp(raw).replace(/([+-]\d\d)$/, '$1:00');
  if (typname === 'timestamp') return isoTimestamp(raw);
  return raw;
}

function isoTimestamp(raw: string): string {
  return /^\d{4,}-\d\d-\d\d \d/.test(raw) ? raw.replace(' ', 'T') : raw;
}

export type ArrayLiteral = string | null | ArrayLiteral[];

/** Parses a PostgreSQL array literal (`{1,2,"a b",NULL,{3,4}}`), any dimension. */
export function parseArrayLiteral(text: string): ArrayLiteral[] {
  // Arrays with explicit bounds look like `[0:1]={a,b}`; the bounds do not change JSON.
  const start = text.indexOf('{');
  let index = start + 1;
  const parseLevel = (): ArrayLiteral[] => {
    const items: ArrayLiteral[] = [];
    if (text[index] === '}') {
      index += 1;
      return items;
    }
    for (;;) {
      if (text[index] === '{') {
        index += 1;
        items.push(parseLevel());
      } else if (text[index] === '"') {
        index += 1;
        let value = '';
        while (index < text.length && text[index] !== '"') {
          if (text[index] === '\\') index += 1;
          value += text[index] ?? '';
          index += 1;
        }
        index += 1;
        items.push(value);
      } else {
        let value = '';
        while (index < text.length && text[index] !== ',' && text[index] !== '}') {
          value += text[index];
          index += 1;
        }
        items.push(value === 'NULL' ? null : value.trim());
      }
      const separator = text[index];
      index += 1;
      if (separator !== ',') return items;
    }
  };
  return start < 0 ? [] : parseLevel();
}
