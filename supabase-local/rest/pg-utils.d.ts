/** The one helper of pg's own that the statement batch reuses: how pg serialises a bound value. */
declare module 'pg/lib/utils' {
  export function prepareValue(value: unknown): Buffer | string | null;
}
