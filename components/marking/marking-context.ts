'use client';
/** The grid page's commands and rating scale, provided once per page (no fetching here). */
import { createContext, useContext } from 'react';
import type { MarkingCommands } from '@/lib/marking/marking-commands';
import type { RatingScale } from '@/lib/marking/schemas';

export type MarkingPageContext = { commands: MarkingCommands; scale: RatingScale };

export const MarkingContext = createContext<MarkingPageContext | null>(null);

export function useMarkingContext(): MarkingPageContext {
  const value = useContext(MarkingContext);
  if (!value) throw new Error('useMarkingContext() must be used inside the marking grid page');
  return value;
}

export function ratingLabel(scale: RatingScale, rating: number | null): string {
  if (rating === null) return 'Not marked';
  return scale.find((entry) => entry.rating === rating)?.label ?? String(rating);
}
