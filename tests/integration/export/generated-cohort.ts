/**
 * A generated department for the export tests: one group of `pupils` pupils × `units` units,
 * every (pupil, unit) with a cached summary row, written straight into the cache tables in
 * a few set-based statements (the export reads the cache; how rows got there is not under
 * test). Names are awkward on purpose: commas, quotes, newlines, apostrophes, non-ASCII.
 * `expectedRow(n, u)` recomputes any row from its numbers, so a test can check 100,000
 * rows without holding them.
 */
import type pg from 'pg';

export const AWKWARD_FIRST = ['Zoë', 'José, Jr', 'Ann "Nan"', 'Line\nBreak', 'Siân', '李', 'Ōmura', 'D\'Arcy', 'Émile', 'Ngọc'];
export const AWKWARD_LAST = ['O\'Brien', 'Smith, "Smithy"', 'Müller', 'Nguyễn', 'Ünal', 'Øster\r\nGaard', '王', 'Ab,cd', 'Quote"', 'Renée'];
const LEVELS = ['not_yet', 'working_towards', 'secure', 'exceeding'];

export type GeneratedCohort = { departmentId: string; groupId: string; groupName: string; pupils: number; units: number };

const pad = (n: number) => String(n).padStart(12, '0');
export const generatedPupilId = (n: number) => `f1000000-0000-4000-8000-${pad(n)}`;
export const generatedUnitId = (u: number) => `f2000000-0000-4000-8000-${pad(u)}`;

export function expectedRow(cohort: GeneratedCohort, n: number, u: number): Record<string, string> {
  const average = ((n * 7 + u * 13) % 301) / 100;
  return {
    group: cohort.groupName,
    pupil_id: generatedPupilId(n),
    last_name: `${AWKWARD_LAST[n % AWKWARD_LAST.length]} ${n}`,
    first_name: AWKWARD_FIRST[(n >> 2) % AWKWARD_FIRST.length]!,
    unit: `Unit ${u}, "part" ${u}`,
    average_rating: average.toFixed(2),
    working_level: LEVELS[Math.min(3, Math.floor(average + 0.5))]!,
    assignments_counted: String(1 + (u % 3)),
    criteria_rated: String(1 + ((n + u) % 8)),
    last_feedback_at: new Date(Date.UTC(2026, 9, 1) + n * 60_000).toISOString(),
    source_version: String(n * 100 + u),
  };
}

export async function makeGeneratedCohort(client: pg.Client, pupils: number, units: number): Promise<GeneratedCohort> {
  const departmentId = 'f0000000-0000-4000-8000-000000000001';
  const groupId = 'f0000000-0000-4000-8000-000000000002';
  const groupName = 'XP, "export" ñ';
  await client.query('begin');
  await client.query(`insert into public.departments (id, name) values ($1, 'Export testing')`, [departmentId]);
  await client.query(
    `insert into public.groups (id, name, subject, year_group, department_id) values ($1, $2, 'Testing', 9, $3)`,
    [groupId, groupName, departmentId],
  );
  await client.query(
    `insert into public.units (id, department_id, name, position)
     select ('f2000000-0000-4000-8000-' || lpad(u::text, 12, '0'))::uuid, $1, 'Unit ' || u || ', "part" ' || u, u
     from generate_series(1, $2::int) u`,
    [departmentId, units],
  );
  await client.query(
    `insert into public.pupils (id, first_name, last_name, year_group)
     select ('f1000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid,
       ($1::text[])[1 + ((n >> 2) % array_length($1::text[], 1))],
       ($2::text[])[1 + (n % array_length($2::text[], 1))] || ' ' || n, 9
     from generate_series(1, $3::int) n`,
    [AWKWARD_FIRST, AWKWARD_LAST, pupils],
  );
  await client.query(
    `insert into public.group_pupils (group_id, pupil_id)
     select $1, ('f1000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid from generate_series(1, $2::int) n`,
    [groupId, pupils],
  );
  await client.query(
    `insert into public.report_pupil_unit_summaries (pupil_id, unit_id, group_ids, assignments_counted, criteria_rated,
       average_rating, working_level, last_feedback_at, source_version)
     select ('f1000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid,
       ('f2000000-0000-4000-8000-' || lpad(u::text, 12, '0'))::uuid,
       array[$1::uuid], 1 + (u % 3), 1 + ((n + u) % 8),
       ((n * 7 + u * 13) % 301) / 100.0,
       (array['not_yet','working_towards','secure','exceeding'])[1 + least(3, floor(((n * 7 + u * 13) % 301) / 100.0 + 0.5)::int)],
       timestamptz '2026-10-01 00:00+00' + n * interval '1 minute', n * 100 + u
     from generate_series(1, $2::int) n cross join generate_series(1, $3::int) u`,
    [groupId, pupils, units],
  );
  await client.query('commit');
  await client.query('analyze public.report_pupil_unit_summaries, public.group_pupils, public.pupils');
  return { departmentId, groupId, groupName, pupils, units };
}
