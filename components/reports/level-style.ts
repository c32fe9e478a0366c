/**
 * How each working level looks: a colour AND a short text mark, so the charts and the heatmap
 * stay readable without colour (greyscale, colour blindness). Unknown levels fall back to grey.
 */
const UNKNOWN_LEVEL_COLOUR = '#9aa0a6';

export const LEVEL_STYLE: Record<string, { colour: string; mark: string }> = {
  not_yet: { colour: '#c8553d', mark: 'NY' },
  working_towards: { colour: '#e9b44c', mark: 'WT' },
  secure: { colour: '#5b9b63', mark: 'S' },
  exceeding: { colour: '#2e6f95', mark: 'EX' },
};

export function levelStyle(workingLevel: string | null): { colour: string; mark: string } {
  return (workingLevel && LEVEL_STYLE[workingLevel]) || { colour: UNKNOWN_LEVEL_COLOUR, mark: '–' };
}

export function formatAverage(average: number | null): string {
  return average === null ? '–' : average.toFixed(2);
}


/**
 * CSS that colours `<selector>[data-level=…]` by level (a tint and a left border), from
 * LEVEL_STYLE: one rule per level instead of a style attribute on every heatmap cell.
 * Cells marked data-level="none" (no marks) stay uncoloured. The fallback for an unknown level
 * comes first and its :not() sits inside :where(), so it is no more specific than a level's own
 * rule and every known level's rule overrides it (with a plain :not() the grey fallback won
 * over every level).
 */
export function levelColourRules(selector: string): string {
  const rule = (match: string, colour: string) => `${selector}${match}{background:${colour}33;border-left:4px solid ${colour}}`;
  return [
    rule(':where(:not([data-level="none"]))[data-level]', UNKNOWN_LEVEL_COLOUR),
    ...Object.entries(LEVEL_STYLE).map(([level, style]) => rule(`[data-level="${level}"]`, style.colour)),
  ].join('\n');
}
