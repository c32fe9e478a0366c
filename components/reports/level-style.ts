/**
 * How each working level looks: a colour AND a short text mark, so the charts and the heatmap
 * stay readable without colour (greyscale, colour blindness). Unknown levels fall back to grey.
 */
export const LEVEL_STYLE: Record<string, { colour: string; mark: string }> = {
  not_yet: { colour: '#c8553d', mark: 'NY' },
  working_towards: { colour: '#e9b44c', mark: 'WT' },
  secure: { colour: '#5b9b63', mark: 'S' },
  exceeding: { colour: '#2e6f95', mark: 'EX' },
};

export function levelStyle(workingLevel: string | null): { colour: string; mark: string } {
  return (workingLevel && LEVEL_STYLE[workingLevel]) || { colour: '#9aa0a6', mark: '–' };
}

export function formatAverage(average: number | null): string {
  return average === null ? '–' : average.toFixed(2);
}
