/**
 * The outer statement every request runs: rows (optionally from a data-modifying CTE)
 * aggregated into the response body text, with the page size and the exact total.
 */
export type BodyShape = 'none' | 'array' | 'single' | 'scalar-array' | 'scalar-single';

export type StatementParts = {
  /** A data-modifying statement named `pgrst_source` that rowsSql reads from. */
  cte?: string;
  rowsSql: string;
  totalSql?: string;
  body: BodyShape;
  stripNulls: boolean;
};

export type StatementRow = { total: string | null; page_total: string; body: string | null };

/** The statement's one row from its text columns (total and page_total are int8 text). */
export function statementRow(rows: ReadonlyArray<Record<string, string | null>>): StatementRow {
  const row = rows[0];
  if (!row || row['page_total'] == null) throw new Error('statement returned no row');
  return { total: row['total'] ?? null, page_total: row['page_total'], body: row['body'] ?? null };
}

// The column setof-scalar function results are read through.
export const SCALAR_COLUMN = 'pgrst_scalar';

function bodySql(shape: BodyShape, stripNulls: boolean): string {
  const strip = (json: string) => (stripNulls ? `json_strip_nulls(${json})` : json);
  switch (shape) {
    case 'none':
      return 'null::text';
    case 'array':
      return `coalesce(${strip('json_agg(_postgrest_t)')}, '[]'::json)::text`;
    case 'single':
      return `(${strip('json_agg(_postgrest_t)')}->0)::text`;
    case 'scalar-array':
      return `coalesce(json_agg(_postgrest_t.${SCALAR_COLUMN}), '[]'::json)::text`;
    case 'scalar-single':
      return `coalesce((json_agg(_postgrest_t.${SCALAR_COLUMN})->0)::text, 'null')`;
  }
}

export function statementSql(parts: StatementParts): string {
  const cte = parts.cte ? `with pgrst_source as (${parts.cte}) ` : '';
  return (
    `${cte}select ${parts.totalSql ?? 'null::int8'} as total, count(*)::int8 as page_total, ` +
    `${bodySql(parts.body, parts.stripNulls)} as body from (${parts.rowsSql}) as _postgrest_t`
  );
}
