/** Parses `order=col.desc.nullslast,data->>k.asc`. */
import { parseError } from '../rest-error';
import { parseField } from './field';
import { splitTopLevel } from './split-top-level';
import type { OrderTerm } from './types';

const MODIFIERS = /^(.*?)(\.(asc|desc))?(\.(nullsfirst|nullslast))?$/;

export function parseOrder(text: string): OrderTerm[] {
  return splitTopLevel(text, ',', 'order').map((part) => {
    const match = MODIFIERS.exec(part.trim());
    if (!match || !match[1]) throw parseError('order', `invalid order term "${part}"`);
    const term: OrderTerm = { field: parseField(match[1], 'order') };
    if (match[3]) term.direction = match[3] === 'desc' ? 'desc' : 'asc';
    if (match[5]) term.nulls = match[5] === 'nullsfirst' ? 'first' : 'last';
    return term;
  });
}
