/**
 * reports_pupil_page (migration 20261122092000) is a definer that applies each policy's
 * predicate over the caller's readable groups once. For every viewer it must return exactly
 * what the per-part invoker functions return under RLS: the pupil row
 * (reports_visible_pupils), their readable groups, the unit rows (reports_pupil_units, and
 * reports_pupil_units_on_demand with p_live), the criteria (reports_pupil_criteria, and
 * reports_prepared_criteria with p_live) and the bands — and nothing for a pupil the viewer cannot read. Viewers: the demo school's teachers
 * A and C, the head of science, the admin, service_role; anon may not call it. The case that
 * needs the per-row predicates: a pupil in a science group AND a humanities group, rated in
 * both, so each teacher sees a different part of the same pupil.
 */
import pg from 'pg';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Database } from '@/lib/supabase/database.types';
import { typedClientAs } from '../../fixtures/pipeline/typed-clients';
import { anonClient } from '../../fixtures/school/api-clients';
import { demoGroups, demoStaff } from '../../fixtures/school/demo-school';

const stack = inject('stack');
type Client = SupabaseClient<Database>;

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
});
afterAll(() => db.end());

type PageDocument = {
  pupil: [string, string, string, string[], number | null, string | null, number | null, number | null];
  groups: [string, string, string, number][];
  bands: [string, string, number, number][];
  units: [string, string, number][];
  rows: [number, string[], number, number, number, string, string, number][];
  criteria: [string, number, number, string, string, number, number, string][];
};

async function page(client: Client, pupilId: string, live = false): Promise<PageDocument | null> {
  const { data, error } = await client.rpc('reports_pupil_page', { p_pupil_id: pupilId, p_live: live });
  if (error) throw new Error(error.message);
  return data as PageDocument | null;
}

const time = (value: string) => new Date(value).toISOString();
const sortBy = <T,>(rows: T[], key: (row: T) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

function rowsOf(doc: PageDocument) {
  return sortBy(
    doc.rows.map(([unit, groupIds, assignmentsCounted, criteriaRated, average, level, lastFeedbackAt, sourceVersion]) => ({
      unit_id: doc.units[unit]![0],
      unit_name: doc.units[unit]![1],
      group_ids: groupIds,
      assignments_counted: assignmentsCounted,
      criteria_rated: criteriaRated,
      average_rating: Number(average),
      working_level: level,
      last_feedback_at: time(lastFeedbackAt),
      source_version: Number(sourceVersion),
    })),
    (r) => r.unit_id,
  );
}

async function partRows(client: Client, pupilId: string, live: boolean) {
  const { data, error } = await client.rpc(live ? 'reports_pupil_units_on_demand' : 'reports_pupil_units', { p_pupil_id: pupilId });
  if (error) throw new Error(error.message);
  return sortBy(
    (data ?? []).map((r) => ({
      unit_id: r.unit_id,
      unit_name: r.unit_name,
      group_ids: r.group_ids,
      assignments_counted: r.assignments_counted,
      criteria_rated: r.criteria_rated,
      average_rating: Number(r.average_rating),
      working_level: r.working_level,
      last_feedback_at: time(r.last_feedback_at),
      source_version: Number(r.source_version),
    })),
    (r) => r.unit_id,
  );
}

async function expectPageEqualsParts(client: Client, pupilId: string): Promise<PageDocument | null> {
  const doc = await page(client, pupilId);
  const { data: pupils, error } = await client.rpc('reports_visible_pupils', { p_pupil_id: pupilId });
  if (error) throw new Error(error.message);
  if (!pupils?.length) {
    expect(doc).toBeNull();
    expect(await page(client, pupilId, true)).toBeNull();
    return null;
  }
  expect(doc).not.toBeNull();
  const document = doc!;
  const [id, firstName, lastName, groupIds, overall, level, cached, feedback] = document.pupil;
  const expected = pupils[0]!;
  expect({ id, firstName, lastName, groupIds, overall: overall === null ? null : Number(overall), level, cached, feedback }).toEqual({
    id: expected.pupil_id,
    firstName: expected.first_name,
    lastName: expected.last_name,
    groupIds: expected.group_ids,
    overall: expected.overall_average === null ? null : Number(expected.overall_average),
    level: expected.working_level,
    cached: expected.cached_version,
    feedback: expected.feedback_version,
  });

  const { data: groups } = await client.from('groups').select('id, name, subject, year_group').in('id', expected.group_ids);
  expect(sortBy(document.groups.map(([gid, name, subject, year]) => ({ id: gid, name, subject, year_group: year })), (g) => g.id)).toEqual(
    sortBy(groups ?? [], (g) => g.id),
  );

  const criteriaOf = (doc: PageDocument) =>
    sortBy(
      doc.criteria.map(([criterionId, unit, , , groupId, rating, version, updatedAt]) => ({
        success_criterion_id: criterionId,
        unit_id: doc.units[unit]![0],
        group_id: groupId,
        rating,
        version: Number(version),
        updated_at: time(updatedAt),
      })),
      (c) => c.success_criterion_id,
    );
  const partCriteria = (rows: { success_criterion_id: string; unit_id: string; group_id: string; rating: number; version: number; updated_at: string }[] | null) =>
    sortBy(
      (rows ?? []).map((c) => ({
        success_criterion_id: c.success_criterion_id,
        unit_id: c.unit_id,
        group_id: c.group_id,
        rating: c.rating,
        version: Number(c.version),
        updated_at: time(c.updated_at),
      })),
      (c) => c.success_criterion_id,
    );
  const { data: criteria } = await client.rpc('reports_pupil_criteria', { p_pupil_id: pupilId });
  expect(criteriaOf(document)).toEqual(partCriteria(criteria));
  // Descriptions and positions come with them.
  const described = new Map((criteria ?? []).map((c) => [c.success_criterion_id, [c.criterion_position, c.description]]));
  for (const [criterionId, , position, description] of document.criteria) expect(described.get(criterionId)).toEqual([position, description]);
  const { data: computedCriteria } = await client.rpc('reports_prepared_criteria', { p_pupil_id: pupilId });
  expect(criteriaOf((await page(client, pupilId, true))!)).toEqual(partCriteria(computedCriteria));

  const { data: bands } = await client.rpc('working_level_bands');
  expect(document.bands.map(([workingLevel]) => workingLevel)).toEqual((bands ?? []).map((b) => b.working_level));

  expect(rowsOf(document)).toEqual(await partRows(client, pupilId, false));
  const live = (await page(client, pupilId, true))!;
  expect(rowsOf(live)).toEqual(await partRows(client, pupilId, true));
  // Live computes the overall summary too (reports_prepared_summary), and is current: its
  // cached_version is the version that computation covers.
  const { data: summary } = await client.rpc('reports_prepared_summary', { p_pupil_id: pupilId });
  const [, , , , liveOverall, liveLevel, liveCovered] = live.pupil;
  expect({ overall: liveOverall === null ? null : Number(liveOverall), level: liveLevel, covered: liveCovered === null ? null : Number(liveCovered) }).toEqual(
    summary?.[0]
      ? { overall: Number(summary[0].overall_average), level: summary[0].working_level, covered: Number(summary[0].source_version) }
      : { overall: null, level: null, covered: null },
  );
  return document;
}

/**
 * A new pupil in 10Sc1 and 10Hi1, rated in both (by teachers A and C through feedback_upsert)
 * and recalculated. A new pupil rather than a seeded one, and nothing undone afterwards:
 * marking never deletes feedback, and the other tests in this project compare live with the
 * cache over the whole demo school, which deleting feedback under a cached summary (whose
 * source_version never moves back) would make disagree.
 */
async function pupilInTwoDepartments(): Promise<string> {
  const pupilId = (
    await db.query<{ id: string }>(`insert into public.pupils (first_name, last_name, year_group) values ('Two', 'Departments', 10) returning id`)
  ).rows[0]!.id;
  for (const groupId of [demoGroups.sc10a, demoGroups.hi10]) {
    await db.query('insert into public.group_pupils (group_id, pupil_id) values ($1, $2)', [groupId, pupilId]);
  }
  for (const [groupId, teacherId] of [[demoGroups.sc10a, demoStaff.teacherA.id], [demoGroups.hi10, demoStaff.teacherC.id]] as const) {
    const { rows: cells } = await db.query<{ assignment_id: string; criterion_id: string }>(
      `select a.id as assignment_id, sc.id as criterion_id from public.assignments a
       join public.success_criteria sc on sc.unit_id = a.unit_id where a.group_id = $1 order by a.id, sc.position limit 2`,
      [groupId],
    );
    const teacher = await typedClientAs(stack, teacherId);
    for (const cell of cells) {
      const { error } = await teacher.rpc('feedback_upsert', {
        p_assignment_id: cell.assignment_id,
        p_pupil_id: pupilId,
        p_success_criterion_id: cell.criterion_id,
        p_rating: 3,
        p_client_mutation_id: crypto.randomUUID(),
      });
      if (error) throw new Error(error.message);
    }
  }
  await db.query('select public.reports_recalculate_pupil($1)', [pupilId]);
  return pupilId;
}

describe('reports_pupil_page returns what the per-part functions return, viewer by viewer', () => {
  const viewers = {
    'teacher A': demoStaff.teacherA.id,
    'teacher C (humanities)': demoStaff.teacherC.id,
    'head of science': demoStaff.headOfScience.id,
    admin: demoStaff.admin.id,
  } as const;

  test('a pupil in a science and a humanities group: each viewer gets their part', async () => {
    const pupilId = await pupilInTwoDepartments();
    const seen: Record<string, { groups: number; rows: number; criteria: number } | null> = {};
    for (const [name, id] of Object.entries(viewers)) {
      const doc = await expectPageEqualsParts(await typedClientAs(stack, id), pupilId);
      seen[name] = doc && { groups: doc.groups.length, rows: doc.rows.length, criteria: doc.criteria.length };
    }
    // Teachers A and C see one group each and different rows; the admin sees both groups.
    expect(seen['teacher A']?.groups).toBe(1);
    expect(seen['teacher C (humanities)']?.groups).toBe(1);
    expect(seen.admin?.groups).toBe(2);
    expect(seen['teacher C (humanities)']!.rows).toBeGreaterThan(0);
    expect(seen.admin!.rows).toBe(seen['teacher A']!.rows + seen['teacher C (humanities)']!.rows);
    expect(seen.admin!.criteria).toBe(seen['teacher A']!.criteria + seen['teacher C (humanities)']!.criteria);
  });

  test('every viewer, the first pupils of every demo group, and service_role', async () => {
    const { rows } = await db.query<{ pupil_id: string }>(
      'select distinct on (group_id) pupil_id from public.group_pupils where group_id = any($1) order by group_id, pupil_id',
      [Object.values(demoGroups)],
    );
    const service = createClient<Database>(stack.apiUrl, stack.serviceRoleKey, { auth: { persistSession: false } });
    for (const { pupil_id: pupilId } of rows) {
      let readers = 0;
      for (const id of Object.values(viewers)) if (await expectPageEqualsParts(await typedClientAs(stack, id), pupilId)) readers += 1;
      expect(readers).toBeGreaterThanOrEqual(2); // their teacher (or the head) and the admin, at least
      expect(await expectPageEqualsParts(service, pupilId)).not.toBeNull();
    }
  });

  test('anon may not call it', async () => {
    const { data, error } = await anonClient(stack).rpc('reports_pupil_page', { p_pupil_id: '00000000-0000-0000-0000-000000000000' });
    expect(data).toBeNull();
    expect(error?.code).toBe('42501');
  });
});
