'use client';
/**
 * Pupils × units heatmap. Each cell shows the average and the level's mark as text (colour
 * is the second signal, not the only one). A cell changed live flashes: its key includes the
 * version that changed it, so the CSS animation replays once per change; no timers.
 * A 120 × 12 group is 1,440 cells, and every byte of a cell is paid 1,440 times in the page's
 * HTML (and again by gzip), so a cell is one element carrying only its level, its text and the
 * level's name as a tooltip: its look comes from rules on `.heatmap td[data-level]`
 * (levelColourRules, from LEVEL_STYLE), and its unit is its column, named once by the
 * header's data-unit.
 *
 * The server renders the first FIRST_PAINT_ROWS pupils (a whole class of the usual size) and
 * the browser the rest, straight after hydration (useDeferredValue with an initial value: a
 * background render, not a second request). In a 120-pupil group the rows past the first 30
 * start well below the fold, and rendering all 1,440 cells on the server was a fifth of the
 * page's server time (specs/reports/pages.md).
 */
import { useDeferredValue } from 'react';
import Link from 'next/link';
import type { WorkingLevelBand } from '@/stores/report-store';
import { cellChangedVersion, labelFor, type GroupCohort } from '@/stores/report-store-selectors';
import { FIRST_PAINT_ROWS } from './heatmap-first-paint';
import { formatAverage, levelColourRules, levelStyle } from './level-style';
import styles from './reports.module.css';

export function Heatmap({ cohort, bands }: { cohort: GroupCohort; bands: WorkingLevelBand[] }) {
  const { units, pupils } = cohort;
  const shownRows = useDeferredValue(pupils.length, Math.min(pupils.length, FIRST_PAINT_ROWS));
  const pending = pupils.length - shownRows;
  return (
    <div className={styles.scroll}>
      <style href="report-heatmap-levels" precedence="medium">
        {levelColourRules(`.${styles.heatmap} td`)}
      </style>
      <table className={styles.heatmap} aria-label="Pupils by unit" aria-rowcount={pupils.length + 1} data-testid="heatmap">
        <thead>
          <tr>
            <th scope="col">Pupil</th>
            {units.map((unit) => (
              <th key={unit.unitId} scope="col" data-unit={unit.unitId}>
                {unit.unitName}
              </th>
            ))}
            <th scope="col">Average</th>
          </tr>
        </thead>
        <tbody>
          {pupils.slice(0, shownRows).map((pupil) => (
            <tr key={pupil.pupilId} data-testid="heatmap-row" data-pupil={pupil.pupilId}>
              <th scope="row">
                {/* No prefetch: a big group's rows in view made one request each (40 on opening a
                    120-pupil group and scrolling once), all through the proxy's session check. */}
                <Link href={`/reports/${pupil.pupilId}`} prefetch={false}>
                  {pupil.name}
                </Link>
                {pupil.recalculating ? (
                  <span className={styles.recalculating} data-testid="recalculating">
                    recalculating…
                  </span>
                ) : null}
              </th>
              {pupil.cells.map((row, index) => {
                const unitId = units[index]?.unitId ?? String(index);
                if (!row) {
                  return (
                    <td key={unitId} data-level="none">
                      <span className={styles.visuallyHidden}>No marks</span>–
                    </td>
                  );
                }
                const changedVersion = cellChangedVersion(cohort, pupil.pupilId, unitId);
                return (
                  <td
                    key={`${unitId}:${changedVersion ?? 0}`}
                    className={changedVersion !== undefined ? styles.flash : undefined}
                    data-level={row.workingLevel}
                    data-changed={changedVersion !== undefined ? 'true' : undefined}
                    title={labelFor(bands, row.workingLevel)}
                  >
                    {`${formatAverage(row.averageRating)} ${levelStyle(row.workingLevel).mark}`}
                  </td>
                );
              })}
              <td data-testid="pupil-average">{formatAverage(pupil.average)}</td>
            </tr>
          ))}
          {pending > 0 ? (
            <tr data-testid="heatmap-more">
              <td colSpan={units.length + 2}>{`Showing ${pending} more pupils…`}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
