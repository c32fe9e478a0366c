'use client';
/** /reports/[pupilId]: unit summaries, a chart across units, latest rating per success criterion. */
import Link from 'next/link';
import { Bar, BarChart, CartesianGrid, LabelList, XAxis, YAxis } from 'recharts';
import { usePupilReport } from '@/stores/report-store-hooks';
import { ConnectionStatus } from './connection-status';
import { formatAverage, levelStyle } from './level-style';
import styles from './reports.module.css';

/** One formatter for every row: toLocaleDateString builds a new Intl formatter per call (~1.5 ms a page). */
const FEEDBACK_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC' });

export function PupilReportView({ pupilId }: { pupilId: string }) {
  const report = usePupilReport(pupilId);
  if (!report) return <p className={styles.empty}>This pupil is no longer in a group you can see.</p>;
  const chartData = report.units.map((unit) => ({
    name: unit.unitName,
    average: unit.averageRating,
    label: `${formatAverage(unit.averageRating)} ${levelStyle(unit.workingLevel).mark}`,
    fill: levelStyle(unit.workingLevel).colour,
  }));

  return (
    <>
      <div className={styles.headingRow}>
        <h1 className={styles.title}>{report.name}</h1>
        <ConnectionStatus />
      </div>
      <p className={styles.actions}>
        <Link href="/reports">All reports</Link>
      </p>
      <p data-testid="pupil-overall">
        Overall{' '}
        <strong key={report.changedVersion ?? 0} className={report.changedVersion !== undefined ? styles.flash : undefined}>
          {report.overallAverage === null ? 'no marks yet' : `${formatAverage(report.overallAverage)} — ${report.label}`}
        </strong>
        {report.recalculating ? (
          <span className={styles.recalculating} data-testid="recalculating">
            recalculating…
          </span>
        ) : null}
      </p>

      {report.units.length === 0 ? (
        <p className={styles.empty} data-testid="empty-state">
          No marks yet. Unit summaries appear as soon as a teacher rates this pupil.
        </p>
      ) : (
        <>
          <figure className={styles.figure} data-testid="pupil-unit-chart">
            <figcaption className={styles.caption}>Average rating per unit (0 not yet – 3 exceeding)</figcaption>
            <BarChart width={640} height={240} data={chartData} accessibilityLayer>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="name" />
              <YAxis domain={[0, 3]} ticks={[0, 1, 2, 3]} />
              <Bar dataKey="average" name="Average rating" isAnimationActive={false}>
                <LabelList dataKey="label" position="top" fill="#111" />
              </Bar>
            </BarChart>
          </figure>
          <table className={styles.table} aria-label="Unit summaries">
            <thead>
              <tr>
                <th scope="col">Unit</th>
                <th scope="col">Average</th>
                <th scope="col">Working level</th>
                <th scope="col">Assignments counted</th>
                <th scope="col">Criteria rated</th>
                <th scope="col">Last feedback</th>
              </tr>
            </thead>
            <tbody>
              {report.units.map((unit) => (
                <tr
                  key={`${unit.unitId}:${unit.changedVersion ?? 0}`}
                  className={unit.changedVersion !== undefined ? styles.flash : undefined}
                  data-testid="pupil-unit"
                  data-unit={unit.unitId}
                  data-changed={unit.changedVersion !== undefined ? 'true' : undefined}
                >
                  <th scope="row">{unit.unitName}</th>
                  <td data-testid="unit-average">{formatAverage(unit.averageRating)}</td>
                  <td>
                    <abbr title={unit.label}>{levelStyle(unit.workingLevel).mark}</abbr> {unit.label}
                  </td>
                  <td>{unit.assignmentsCounted}</td>
                  <td>{unit.criteriaRated}</td>
                  <td>{unit.lastFeedbackAt ? FEEDBACK_DATE.format(new Date(unit.lastFeedbackAt)) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.units.map((unit) =>
            unit.criteria.length === 0 ? null : (
              <section key={unit.unitId} aria-label={`${unit.unitName}: success criteria`}>
                <h2 className={styles.subheading}>{unit.unitName}: latest rating per success criterion</h2>
                <ol className={styles.criteria}>
                  {unit.criteria.map((criterion) => (
                    <li key={`${criterion.id}:${criterion.changedVersion ?? 0}`} className={criterion.changedVersion !== undefined ? styles.flash : undefined} data-testid="criterion">
                      {criterion.description}: <strong>{criterion.ratingLabel}</strong>
                    </li>
                  ))}
                </ol>
              </section>
            ),
          )}
        </>
      )}
    </>
  );
}
