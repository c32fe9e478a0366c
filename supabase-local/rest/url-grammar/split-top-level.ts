/**
 * Splits a list on a separator that is outside parentheses and double quotes, the way
 * PostgREST reads `select=a,b(c,d)` and `or=(a.eq.1,b.in.("x,y"))`.
 */
import { parseError } from '../rest-error';

export function splitTopLevel(text: string, separator = ',', what = 'list'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      current += ch;
      if (ch === '\\' && i + 1 < text.length) current += text[++i];
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth < 0) throw parseError(what, `unexpected ")" at position ${i + 1}`);
    } else if (ch === separator && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (quoted) throw parseError(what, 'unterminated double quote');
  if (depth !== 0) throw parseError(what, 'unbalanced parentheses');
  parts.push(current);
  return parts;
}

/** Strips the double quotes PostgREST allows around a value, undoing `\"` and `\\`. */
export function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return text;
}
