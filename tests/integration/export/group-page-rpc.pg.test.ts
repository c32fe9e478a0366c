/**
 * reports_group_page (migration 20261122090000) is a definer that checks "may the caller
 * read this group" once instead of running each table's policy. It must return, for every
 * viewer, exactly what the per-part invoker functions return under RLS: the pupils with
 * their readable groups and versions (reports_visible_pupils), the cells
 * (reports_group_units, and reports_group_units_on_demand with p_live), the assignments
 * (reports_group_assignments) and the bands — and nothing at all for a group the viewer
 * cannot read. Viewers: the demo school's teachers A and C (other department), the head of
 * science, the admin, service_role; anon may not call it. A pupil in a second, unreadable
 * group keeps that group out of their group_ids.
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
  group: { id: string; name: string; subject: string; year_group: number };
  bands: [string, string, number, number][];
  units: [string, string, number][];
  assignments: [string, number, string, string, string | null][];
  pupils: [string, string, string, string[], number | null, string | null, number | null, number | null][];
  cells: {
    pupil: number[];
    unit: number[];
    assignments_counted: number[];
    criteria_rated: number[];
    average_rating: number[];
    working_level: string[];
    source_version: number[];
  };
};

async function page(client: Client, groupId: string, live = false): Promise<PageDocument | null> {
  const { data, error } = await client.rpc('reports_group_page', { p_group_id: groupId, p_live: live });
  if (error) throw new Error(error.message);
  return data as PageDocument | null;
}

/** The page's cells as the per-part functions' rows (ids for indexes), in one order. */
function cellsAsRows(doc: PageDocument) {
  const { cells } = doc;
  for (const column of Object.values(cells)) expect(column).toHaveLength(cells.pupil.length);
  // The group page does not show last_feedback_at, so the page's document leaves it out.
  expect(Object.keys(cells)).not.toContain('last_feedback_at');
  return cells.pupil
    .map((pupil, k) => ({
      pupil_id: doc.pupils[pupil]![0],
      unit_id: doc.units[cells.unit[k]!]![0],
      assignments_counted: cells.assignments_counted[k],
      criteria_rated: cells.criteria_rated[k],
      average_rating: Number(cells.average_rating[k]),
      working_level: cells.working_level[k],
      source_version: Number(cells.source_version[k]),
    }))
    .sort((a, b) => `${a.pupil_id}${a.unit_id}`.localeCompare(`${b.pupil_id}${b.unit_id}`));
}

async function partsAsRows(client: Client, groupId: string, live: boolean) {
  const { data, error } = await client.rpc(live ? 'reports_group_units_on_demand' : 'reports_group_units', { p_group_id: groupId });
  if (error) throw new Error(error.message);
  return (data ?? [])
    .map((r) => ({
      pupil_id: r.pupil_id,
      unit_id: r.unit_id,
      assignments_counted: r.assignments_counted,
      criteria_rated: r.criteria_rated,
      average_rating: Number(r.average_rating),
      working_level: r.working_level,
      source_version: Number(r.source_version),
    }))
    .sort((a, b) => `${a.pupil_id}${a.unit_id}`.localeCompare(`${b.pupil_id}${b.unit_id}`));
}

async function expectPageEqualsParts(client: Client, groupId: string): Promise<PageDocument | null> {
  const doc = await page(client, groupId);
  const { data: groups } = await client.from('groups').select('id, name, subject, year_group').eq('id', groupId);
  if (!groups?.length) {
    expect(doc).toBeNull();
    expect(await page(client, groupId, true)).toBeNull();
    return null;
  }
  expect(doc).not.toBeNull();
  const document = doc!;
  expect(document.group).toEqual(groups[0]);

  const { data: bands } = await client.rpc('working_level_bands');
  expect(document.bands.map(([workingLevel, label, min, max]) => ({ working_level: workingLevel, label, min_average: Number(min), max_average: Number(max) }))).toEqual(
    (bands ?? []).map((b) => ({ ...b, min_average: Number(b.min_average), max_average: Number(b.max_average) })),
  );

  const { data: pupils } = await client.rpc('reports_visible_pupils', { p_group_id: groupId });
  expect(
    document.pupils.map(([pupilId, firstName, lastName, groupIds, overall, level, cached, feedback]) => ({
      pupil_id: pupilId,
      first_name: firstName,
      last_name: lastName,
      group_ids: groupIds,
      overall_average: overall === null ? null : Number(overall),
      working_level: level,
      cached_version: cached === null ? null : Number(cached),
      feedback_version: feedback === null ? null : Number(feedback),
    })),
  ).toEqual(
    (pupils ?? []).map((p) => ({
      ...p,
      overall_average: p.overall_average === null ? null : Number(p.overall_average),
      cached_version: p.cached_version === null ? null : Number(p.cached_version),
      feedback_version: p.feedback_version === null ? null : Number(p.feedback_version),
    })),
  );

  const { data: assignments } = await client.rpc('reports_group_assignments', { p_group_id: groupId });
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  expect(document.assignments.map(([id, unit, title, setOn, dueOn]) => ({ id, unit_id: document.units[unit]![0], title, set_on: setOn, due_on: dueOn })).sort(byId)).toEqual(
    (assignments ?? []).map((a) => ({ id: a.assignment_id, unit_id: a.unit_id, title: a.title, set_on: a.set_on, due_on: a.due_on })).sort(byId),
  );

  expect(cellsAsRows(document)).toEqual(await partsAsRows(client, groupId, false));
  const live = await page(client, groupId, true);
  expect(cellsAsRows(live!)).toEqual(await partsAsRows(client, groupId, true));
  return document;
}

describe('reports_group_page returns what the per-part functions return, viewer by viewer', () => {
  const viewers = {
    'teacher A': demoStaff.teacherA.id,
    'teacher C (humanities)': demoStaff.teacherC.id,
    'head of science': demoStaff.headOfScience.id,
    admin: demoStaff.admin.id,
  } as const;

  for (const [name, id] of Object.entries(viewers)) {
    test(`${name}: every demo group`, async () => {
      const client = await typedClientAs(stack, id);
      let readable = 0;
      for (const groupId of Object.values(demoGroups)) if (await expectPageEqualsParts(client, groupId)) readable += 1;
      // The demo school's shape (seed.sql): A teaches 10Sc1 and 11Sc1; C teaches 10Hi1;
      // the head of science reads the three science groups; the admin reads all four.
      expect(readable).toBe({ 'teacher A': 2, 'teacher C (humanities)': 1, 'head of science': 3, admin: 4 }[name]);
    });
  }

  test('service_role (bypasses RLS) reads any group', async () => {
    const service = createClient<Database>(stack.apiUrl, stack.serviceRoleKey, { auth: { persistSession: false } });
    for (const groupId of Object.values(demoGroups)) expect(await expectPageEqualsParts(service, groupId)).not.toBeNull();
  });

  test("a pupil's other groups appear only when the viewer may read them", async () => {
    // A new pupil in 10Sc1 and 10Hi1 (humanities: not readable by teacher A). New, and left in
    // place: the other tests of this project read the demo school at the same time.
    const pupilId = (
      await db.query<{ id: string }>(`insert into public.pupils (first_name, last_name, year_group) values ('Other', 'Groups', 10) returning id`)
    ).rows[0]!.id;
    for (const groupId of [demoGroups.sc10a, demoGroups.hi10]) {
      await db.query('insert into public.group_pupils (group_id, pupil_id) values ($1, $2)', [groupId, pupilId]);
    }
    const teacherA = await typedClientAs(stack, demoStaff.teacherA.id);
    const admin = await typedClientAs(stack, demoStaff.admin.id);
    const groupsOf = async (client: Client) => (await expectPageEqualsParts(client, demoGroups.sc10a))!.pupils.find(([id]) => id === pupilId)![3];
    expect(await groupsOf(teacherA)).toEqual([demoGroups.sc10a]);
    expect(await groupsOf(admin)).toEqual([demoGroups.sc10a, demoGroups.hi10].sort());
  });

  test('anon may not call it', async () => {
    const { data, error } = await anonClient(stack).rpc('reports_group_page', { p_group_id: demoGroups.sc10a });
    expect(data).toBeNull();
    expect(error?.code).toBe('42501');
  });
});
