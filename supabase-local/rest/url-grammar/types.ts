/** The parsed shape of PostgREST's query-string grammar (select, filters, order). */

export type JsonPathStep = { arrow: '->' | '->>'; key: string };

/** A column, possibly followed by JSON arrows: `data->a->>b`. */
export type FieldRef = { name: string; jsonPath: JsonPathStep[] };

export type SelectItem =
  | { kind: 'star' }
  | { kind: 'field'; field: FieldRef; alias?: string; cast?: string }
  | {
      kind: 'embed';
      name: string;
      alias?: string;
      hint?: string;
      joinType?: 'inner' | 'left';
      spread: boolean;
      select: SelectItem[];
    };

export const SIMPLE_OPERATORS = [
  'eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch', 'isdistinct',
  'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj',
] as const;
export type SimpleOperator = (typeof SIMPLE_OPERATORS)[number];
export const FTS_OPERATORS = ['fts', 'plfts', 'phfts', 'wfts'] as const;
export type FtsOperator = (typeof FTS_OPERATORS)[number];
export const QUANTIFIABLE_OPERATORS = ['eq', 'like', 'ilike', 'gt', 'gte', 'lt', 'lte', 'match', 'imatch'] as const;
export type QuantifiableOperator = (typeof QUANTIFIABLE_OPERATORS)[number];
export const IS_VALUES = ['null', 'not_null', 'true', 'false', 'unknown'] as const;
export type IsValue = (typeof IS_VALUES)[number];

export type Condition =
  | { kind: 'simple'; op: SimpleOperator; value: string }
  | { kind: 'quantified'; op: QuantifiableOperator; quantifier: 'any' | 'all'; values: string[] }
  | { kind: 'in'; values: string[] }
  | { kind: 'is'; value: IsValue }
  | { kind: 'fts'; op: FtsOperator; config?: string; value: string };

export type Filter = { field: FieldRef; negated: boolean; condition: Condition };

export type LogicTree = {
  kind: 'logic';
  op: 'and' | 'or';
  negated: boolean;
  children: Array<LogicTree | { kind: 'filter'; filter: Filter }>;
};

export type OrderTerm = { field: FieldRef; direction?: 'asc' | 'desc'; nulls?: 'first' | 'last' };
