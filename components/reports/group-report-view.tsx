'use client';
/** /reports/groups/[groupId]: filters, averages, distribution per unit (stacked bars), heatmap. */
import Link from 'next/link';
import { useReportStore } from '@/stores/report-store-provider';
import { useGroupCohort, useUnitOptions } from '@/stores/report-store-hooks';
import { selectBands, selectFilters } from '@/stores/report-store-selectors';
import { ConnectionStatus } from './connection-status';
import { DistributionChart } from './distribution-chart';
import { Heatmap } from './heatmap';
import { formatAverage, levelStyle } from './level-style';
import styles from './reports.module.css';

export function GroupReportView({ groupId, groupName, subject }: { groupId: string; groupName: string; subject: string }) {
  const cohort = useGroupCohort(groupId);
  const bands = useReportStore(selectBands);
  const filters = useReportStore(selectFilters);
  const unitOptions = useUnitOptions();
  const unitFilterChanged = useReportStore((s) => s.unitFilterChanged);
  const dateRangeChanged = useReportStore((s) => s.dateRangeChanged);

  return (
    <>
      <div className={styles.headingRow}>
        <h1 className={styles.title}>
          {groupName} <span className={styles.subtle}>{subject}</span>
        </h1>
        <ConnectionStatus />
      </div>
      <p className={styles.actions}>
        <Link href="/reports">All reports</Link>
        <a href={`/reports/groups/${groupId}/export`} download data-testid="export-link">
          Download CSV
        </a>
      </p>

      <form className={styles.filters} aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Unit
          <select
            value={filters.unitIds?.[0] ?? ''}
            onChange={(event) => unitFilterChanged(event.target.value ? [event.target.value] : null)}
            data-testid="unit-filter"
          >
            <option value="">All units</option>
            {unitOptions.map((unit) => (
              <option key={unit.id} value={unit.id}>
                {unit.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Set from
          <input type="date" value={filters.from ?? ''} onChange={(event) => dateRangeChanged({ from: event.target.value, to: filters.to })} data-testid="date-from" />
        </label>
        <label>
          to
          <input type="date" value={filters.to ?? ''} onChange={(event) => dateRangeChanged({ from: filters.from, to: event.target.value })} data-testid="date-to" />
        </label>
      </form>

      <section aria-label="Averages" className={styles.summary}>
        <p data-testid="group-average">
          Group average <strong>{formatAverage(cohort.average)}</strong>{' '}
          <span>({cohort.workingLevel ? bands.find((b) => b.workingLevel === cohort.workingLevel)?.label : 'no marks yet'})</span>
        </p>
        <ul className={styles.unitAverages}>
          {cohort.units.map((unit) => (
            <li key={unit.unitId} data-testid="unit-average" data-unit={unit.unitId}>
              {unit.unitName}: <strong>{formatAverage(unit.average)}</strong>{' '}
              {unit.workingLevel ? <abbr title={unit.workingLevel}>{levelStyle(unit.workingLevel).mark}</abbr> : null} ·{' '}
              {unit.pupilsCounted} pupils marked
            </li>
          ))}
        </ul>
      </section>

      {cohort.rowsCounted === 0 ? (
        <p className={styles.empty} data-testid="empty-state">
          No marks yet for {groupName}{filters.unitIds || filters.from || filters.to ? ' with these filters' : ''}. The
          charts appear as soon as a teacher rates a pupil.
        </p>
      ) : (
        <DistributionChart
          testId="unit-distribution"
          title="Working levels per unit (pupils)"
          bands={bands}
          bars={cohort.units.map((unit) => ({ key: unit.unitId, name: unit.unitName, distribution: unit.distribution }))}
        />
      )}

      {cohort.pupils.length === 0 ? (
        <p className={styles.empty}>This group has no pupils.</p>
      ) : (
        <Heatmap cohort={cohort} bands={bands} />
      )}
    </>
  );
}
