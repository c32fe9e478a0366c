/**
 * Parses PostgREST's `select` parameter: `*`, `alias:col`, `col::cast`, `data->a->>b`,
 * embeds `alias:rel!hint!inner(...)` and spreads `...rel(...)`, nested to any depth.
 */
import { parseError } from '../rest-error';
import { parseField } from './field';
import { splitTopLevel } from './split-top-level';
import type { SelectItem } from './types';

const ALIAS = /^([^\s"(),:!.]+|"(?:[^"\\]|\\.)+"):(?!:)/;
const CAST = /::([A-Za-z_][A-Za-z0-9_ ]*(?:\[\])?)$/;
const EMBED_HEAD = /^(\.\.\.)?([^\s"(),:!.]+|"(?:[^"\\]|\\.)+")((?:![^\s"(),:!.]+)*)\(/;

function unquoteName(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/\\(.)/g, '$1') : text;
}

export function parseSelect(text: string): SelectItem[] {
  const source = text.trim() === '' ? '*' : text;
  return splitTopLevel(source, ',', 'select').map((part) => parseSelectItem(part.trim()));
}

function parseSelectItem(text: string): SelectItem {
  if (text === '') throw parseError('select', 'empty item in select');
  if (text === '*') return { kind: 'star' };
  let rest = text;
  let alias: string | undefined;
  const aliasMatch = ALIAS.exec(rest);
  if (aliasMatch) {
    alias = unquoteName(aliasMatch[1]!);
    rest = rest.slice(aliasMatch[0].length);
  }
  const embed = EMBED_HEAD.exec(rest);
  if (embed) {
    if (!rest.endsWith(')')) throw parseError('select', `expected ")" at the end of "${text}"`);
    const inner = rest.slice(embed[0].length, -1);
    const bangs = (embed[3] ?? '').split('!').filter((s) => s !== '');
    let hint: string | undefined;
    let joinType: 'inner' | 'left' | undefined;
    for (const bang of bangs) {
      if (bang === 'inner' || bang === 'left') {
        if (joinType) throw parseError('select', `two join types in "${text}"`);
        joinType = bang;
      } else {
        if (hint) throw parseError('select', `two hints in "${text}"`);
        hint = bang;
      }
    }
    return {
      kind: 'embed',
      name: unquoteName(embed[2]!),
      ...(alias !== undefined ? { alias } : {}),
      ...(hint !== undefined ? { hint } : {}),
      ...(joinType !== undefined ? { joinType } : {}),
      spread: embed[1] === '...',
      select: inner.trim() === '' ? [] : parseSelect(inner),
    };
  }
  let cast: string | undefined;
  const castMatch = CAST.exec(rest);
  if (castMatch) {
    cast = castMatch[1]!;
    rest = rest.slice(0, castMatch.index);
  }
  if (rest.includes('(') || rest.includes(')')) throw parseError('select', `unexpected "(" in "${text}"`);
  return {
    kind: 'field',
    field: parseField(rest, 'select'),
    ...(alias !== undefined ? { alias } : {}),
    ...(cast !== undefined ? { cast } : {}),
  };
}
