/** Parses a column reference with optional JSON arrows: `data->a->>b`, `"my col"`. */
import { parseError } from '../rest-error';
import type { FieldRef, JsonPathStep } from './types';

const NAME = /^(?:"((?:[^"\\]|\\.)+)"|([^\s"(),:!.>-][^\s"(),:!.>]*?))(?=->|$)/;

export function parseField(text: string, what = 'field'): FieldRef {
  const head = NAME.exec(text);
  if (!head) throw parseError(what, `invalid column reference "${text}"`);
  const name = head[1] !== undefined ? head[1].replace(/\\(.)/g, '$1') : head[2]!;
  const jsonPath: JsonPathStep[] = [];
  let rest = text.slice(head[0].length);
  while (rest.length > 0) {
    const step = /^(->>|->)(?:"((?:[^"\\]|\\.)*)"|([^\s"(),:!>-][^\s"(),:!>]*?))(?=->|$)/.exec(rest);
    if (!step) throw parseError(what, `invalid JSON path "${rest}" in "${text}"`);
    const key = step[2] !== undefined ? step[2].replace(/\\(.)/g, '$1') : step[3]!;
    jsonPath.push({ arrow: step[1] === '->>' ? '->>' : '->', key });
    rest = rest.slice(step[0].length);
  }
  return { name, jsonPath };
}

/** The key a field gets in the response when it has no alias (PostgREST: the last JSON key). */
export function defaultFieldName(field: FieldRef): string {
  const last = field.jsonPath[field.jsonPath.length - 1];
  return last ? last.key : field.name;
}
