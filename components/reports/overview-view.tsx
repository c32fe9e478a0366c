'use client';
/** /reports: the groups (live average + working-level distribution) and pupils the user may see. */
import Link from 'next/link';
import { useState } from 'react';
import { useReportStore } from '@/stores/report-store-provider';
import { useOverview } from '@/stores/report-store-hooks';
import { selectBands } from '@/stores/report-store-selectors';
import { ConnectionStatus } from './connection-status';
import { DistributionChart } from './distribution-chart';
import { formatAverage, levelStyle } from './level-style';
import styles from './reports.module.css';

export function OverviewView({ exportLabel }: { exportLabel: string }) {
  const [query, setQuery] = useState('');
  const { groups, pupils } = useOverview(query);
  const bands = useReportStore(selectBands);

  return (
    <>
      <div className={styles.headingRow}>
        <h1 className={styles.title}>Reports</h1>
        <ConnectionStatus />
      </div>
      <p className={styles.actions}>
        <Link href="/">Home</Link>
        {groups.length > 0 ? (
          <a href="/reports/export" download data-testid="export-all-link">
            {exportLabel}
          </a>
        ) : null}
      </p>

      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">Groups</h2>
        {groups.length === 0 ? (
          <p className={styles.empty}>You have no groups to report on yet.</p>
        ) : (
          <>
            <table className={styles.table} aria-label="Groups">
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Pupils</th>
                  <th scope="col">Average</th>
                  {bands.map((band) => (
                    <th key={band.workingLevel} scope="col">{band.label}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {groups.map((group) => (
                  <tr key={group.groupId} data-testid="overview-group" data-group={group.groupId}>
                    <th scope="row">
                      <Link href={`/reports/groups/${group.groupId}`}>{group.name}</Link>{' '}
                      <span className={styles.subtle}>{group.subject}</span>
                      {group.recalculatingCount > 0 ? (
                        <span className={styles.recalculating} data-testid="recalculating">
                          recalculating {group.recalculatingCount}…
                        </span>
                      ) : null}
                    </th>
                    <td>{group.pupilCount}</td>
                    <td data-testid="group-average">
                      {group.rowsCounted === 0 ? 'No marks yet' : (
                        <>
                          {formatAverage(group.average)} <abbr title={group.workingLevel ?? ''}>{levelStyle(group.workingLevel).mark}</abbr>
                        </>
                      )}
                    </td>
                    {group.distribution.map((d) => (
                      <td key={d.workingLevel} data-level={d.workingLevel}>{d.count}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <DistributionChart
              testId="group-distribution"
              title="Working levels per group (pupil × unit summaries)"
              bands={bands}
              bars={groups.map((group) => ({ key: group.groupId, name: group.name, distribution: group.distribution }))}
            />
          </>
        )}
      </section>

      <section aria-labelledby="pupils-heading">
        <h2 id="pupils-heading">Pupils</h2>
        <label className={styles.search}>
          Search pupils by name
          <input type="search" value={query} onChange={(event) => setQuery(event.target.value)} data-testid="pupil-search" />
        </label>
        {pupils.length === 0 ? (
          <p className={styles.empty}>{query ? 'No pupil matches that name.' : 'No pupils yet.'}</p>
        ) : (
          <ul className={styles.pupilList} aria-label="Pupils">
            {pupils.slice(0, 200).map((pupil) => (
              <li key={pupil.pupilId} data-testid="overview-pupil">
                <Link href={`/reports/${pupil.pupilId}`}>{pupil.name}</Link>{' '}
                <span className={styles.subtle}>{pupil.groupNames.join(', ')}</span> ·{' '}
                <span key={pupil.changedVersion ?? 0} className={pupil.changedVersion !== undefined ? styles.flash : undefined}>
                  {pupil.overallAverage === null ? 'no marks yet' : `${formatAverage(pupil.overallAverage)} ${pupil.label}`}
                </span>
                {pupil.recalculating ? <span className={styles.recalculating}>recalculating…</span> : null}
              </li>
            ))}
            {pupils.length > 200 ? <li className={styles.subtle}>…and {pupils.length - 200} more: refine the search.</li> : null}
          </ul>
        )}
      </section>
    </>
  );
}
