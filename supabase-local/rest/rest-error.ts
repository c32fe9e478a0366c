/**
 * An error answered in PostgREST's body shape `{code, message, details, hint}` with its
 * HTTP status. Everything the REST server refuses is thrown as one of these.
 */
export type RestErrorBody = { code: string; message: string; details: unknown; hint: string | null };

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    readonly hint: string | null = null,
    /** The schema cache may be stale: reload it and try the request once more. */
    readonly cacheMiss = false,
  ) {
    super(message);
  }

  body(): RestErrorBody {
    return { code: this.code, message: this.message, details: this.details, hint: this.hint };
  }
}

/** PGRST100: the query string does not parse. */
export function parseError(what: string, details: string): RestError {
  return new RestError(400, 'PGRST100', `"failed to parse ${what}"`, details);
}
