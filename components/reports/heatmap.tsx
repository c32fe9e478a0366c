'use client';
/**
 * Pupils × units heatmap. Each cell shows the average and the level's mark as text (colour
 * is the second signal, not the only one). A cell changed live flashes: its key includes the
 * version that changed it, so the CSS animation replays once per change; no timers.
 * A 120 × 12 group is 1,440 cells, and every byte of a cell is paid 1,440 times in the page's
 * HTML (and again by gzip), so a cell carries only its level and its text: its look comes from
 * rules on `.heatmap td[data-level]` (levelColourRules, from LEVEL_STYLE), and its unit is its
 * column, named once by the header's data-unit.
 */
import Link from 'next/link';
import type { CohortPupil, CohortUnit } from '@/stores/report-store-selectors';
import { formatAverage, levelColourRules, levelStyle } from './level-style';
import styles from './reports.module.css';

export function Heatmap({ units, pupils }: { units: CohortUnit[]; pupils: CohortPupil[] }) {
  return (
    <div className={styles.scroll}>
      <style href="report-heatmap-levels" precedence="medium">
        {levelColourRules(`.${styles.heatmap} td`)}
      </style>
      <table className={styles.heatmap} aria-label="Pupils by unit" data-testid="heatmap">
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
          {pupils.map((pupil) => (
            <tr key={pupil.pupilId} data-testid="heatmap-row" data-pupil={pupil.pupilId}>
              <th scope="row">
                <Link href={`/reports/${pupil.pupilId}`}>{pupil.name}</Link>
                {pupil.recalculating ? (
                  <span className={styles.recalculating} data-testid="recalculating">
                    recalculating…
                  </span>
                ) : null}
              </th>
              {pupil.cells.map((cell, index) => {
                const unit = units[index];
                if (!cell) {
                  return (
                    <td key={unit?.unitId ?? index} data-level="none">
                      <span className={styles.visuallyHidden}>No marks</span>–
                    </td>
                  );
                }
                return (
                  <td
                    key={`${cell.unitId}:${cell.changedVersion ?? 0}`}
                    className={cell.changedVersion !== undefined ? styles.flash : undefined}
                    data-level={cell.workingLevel}
                    data-changed={cell.changedVersion !== undefined ? 'true' : undefined}
                  >
                    {`${formatAverage(cell.averageRating)} `}
                    <abbr title={cell.label}>{levelStyle(cell.workingLevel).mark}</abbr>
                  </td>
                );
              })}
              <td data-testid="pupil-average">{formatAverage(pupil.average)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
