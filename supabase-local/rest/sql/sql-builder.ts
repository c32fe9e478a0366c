/**
 * Accumulates bound parameters for one statement and quotes identifiers. Identifiers
 * passed to `ident` are names read from the catalogue (or response keys, which are
 * escaped); every value goes through `param`.
 */
export class SqlBuilder {
  readonly params: unknown[] = [];
  private aliasCounter = 0;

  /** Adds a bound parameter and returns its placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** A fresh table alias, unique within the statement. */
  alias(prefix: string): string {
    this.aliasCounter += 1;
    return ident(`${prefix}_${this.aliasCounter}`);
  }
}

export function ident(name: string): string {
  if (name.includes('\u0000')) throw new Error('identifier contains NUL');
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}
