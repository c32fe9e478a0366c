/**
 * A function call for /rpc: the named arguments are read from one JSON parameter with
 * json_to_record, typed from pg_catalog, and passed by name.
 */
import type { FunctionInfo } from '../schema-cache/introspect';
import { ident, qualified, type SqlBuilder } from './sql-builder';
import { SCALAR_COLUMN } from './statement';

export type RpcCall = {
  /** A FROM item for set/composite results, aliased `alias`. */
  from: string;
  /** The call expression, for scalar results. */
  callExpression: string;
  /** FROM clause the call expression is evaluated over (the arguments record), or ''. */
  argsFrom: string;
};

export function rpcCall(b: SqlBuilder, schema: string, fn: FunctionInfo, args: Record<string, unknown>, alias: string, wholeBody: unknown): RpcCall {
  const name = qualified(schema, fn.name);
  const single = fn.args.length === 1 && fn.args[0]!.name === '' && /^jsonb?$/.test(fn.args[0]!.type);
  let argsFrom = '';
  let callArgs = '';
  if (single) {
    callArgs = `${b.param(JSON.stringify(wholeBody ?? {}))}::${fn.args[0]!.type}`;
  } else {
    const used = fn.args.filter((arg) => Object.hasOwn(args, arg.name));
    if (used.length > 0) {
      const definitions = used.map((arg) => `${ident(arg.name)} ${arg.type}`).join(', ');
      argsFrom = `json_to_record(${b.param(JSON.stringify(args))}::json) as _pgrst_args(${definitions})`;
      callArgs = used.map((arg) => `${ident(arg.name)} := _pgrst_args.${ident(arg.name)}`).join(', ');
    }
  }
  const callExpression = `${name}(${callArgs})`;
  const scalarSet = fn.outColumns.length === 0;
  const fromItem = `${callExpression} as ${alias}${scalarSet ? `(${ident(SCALAR_COLUMN)})` : ''}`;
  return { from: argsFrom ? `${argsFrom} cross join lateral ${fromItem}` : fromItem, callExpression, argsFrom };
}
