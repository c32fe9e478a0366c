/**
 * How many heatmap rows the server renders; the browser renders the rest right after hydration
 * (heatmap.tsx). A whole class of the usual size, so most groups arrive complete.
 */
export const FIRST_PAINT_ROWS = 30;
