'use client';
/**
 * Working-level distribution as stacked bars (recharts, fixed size so it renders on the
 * server too), one bar per unit (or per group on /reports). Every segment carries its count
 * as a label and the legend names the levels, and the same numbers follow in a table, so
 * nothing depends on colour.
 */
import { Bar, BarChart, CartesianGrid, LabelList, Legend, XAxis, YAxis } from 'recharts';
import type { Distribution } from '@/stores/report-store-selectors';
import type { WorkingLevelBand } from '@/stores/report-store';
import { levelStyle } from './level-style';
import styles from './reports.module.css';

export type DistributionBar = { key: string; name: string; distribution: Distribution };

export function DistributionChart({
  bars,
  bands,
  title,
  testId,
  width = 640,
  height = 260,
}: {
  bars: DistributionBar[];
  bands: WorkingLevelBand[];
  title: string;
  testId: string;
  width?: number;
  height?: number;
}) {
  const data = bars.map((bar) => ({
    name: bar.name,
    ...Object.fromEntries(bar.distribution.map((d) => [d.workingLevel, d.count])),
  }));
  return (
    <figure className={styles.figure} data-testid={testId}>
      <figcaption className={styles.caption}>{title}</figcaption>
      <BarChart width={width} height={height} data={data} accessibilityLayer margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" />
        <YAxis allowDecimals={false} />
        <Legend />
        {bands.map((band) => (
          <Bar key={band.workingLevel} dataKey={band.workingLevel} name={`${levelStyle(band.workingLevel).mark} ${band.label}`} stackId="levels" fill={levelStyle(band.workingLevel).colour} isAnimationActive={false}>
            <LabelList dataKey={band.workingLevel} position="center" fill="#111" formatter={(value: unknown) => (Number(value) > 0 ? `${levelStyle(band.workingLevel).mark} ${String(value)}` : '')} />
          </Bar>
        ))}
      </BarChart>
      <table className={styles.table} aria-label={`${title} (numbers)`}>
        <thead>
          <tr>
            <th scope="col">&nbsp;</th>
            {bands.map((band) => (
              <th key={band.workingLevel} scope="col">{band.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.key} data-testid="distribution-row" data-key={bar.key}>
              <th scope="row">{bar.name}</th>
              {bar.distribution.map((d) => (
                <td key={d.workingLevel} data-level={d.workingLevel} data-testid="distribution-count">
                  {d.count}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
