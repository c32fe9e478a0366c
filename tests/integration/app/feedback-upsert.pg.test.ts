/**
 * feedback_upsert through supabase-js: the authoritative row comes back with a new global
 * version; every bad input raises its stable code and writes nothing (feedback, history,
 * jobs); a retried client_mutation_id bumps the version once. Plus the grid snapshot RPC.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { anonClient, clientAs } from '../../fixtures/school/api-clients';
import { makeGroupWithPupils, makeStaff, type SchoolGroup } from '../../fixtures/school/make-group-with-pupils';

const stack = inject('stack');
let db: pg.Client;
let group: SchoolGroup;
let otherGroup: SchoolGroup;
let teacher: SupabaseClient;

beforeAll(async () => {
  db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
  group = await makeGroupWithPupils(db, { pupils: 3, units: 2, criteriaPerUnit: 2, assignmentsPerUnit: 1 });
  otherGroup = await makeGroupWithPupils(db, { pupils: 1, units: 1, criteriaPerUnit: 1, assignmentsPerUnit: 1 });
  teacher = await clientAs(stack, group.teacherId);
});
afterAll(() => db.end());

type Counts = { feedback: number; history: number; jobs: number };

/** What a write to this pupil leaves behind. */
async function countsFor(pupilId: string): Promise<Counts> {
  const result = await db.query<Counts>(
    `select (select count(*)::int from public.feedback where pupil_id = $1) as feedback,
            (select count(*)::int from public.feedback_history where pupil_id = $1) as history,
            (select count(*)::int from graphile_worker.jobs where key = 'reports_recalculate_pupil:' || $1) as jobs`,
    [pupilId],
  );
  return result.rows[0]!;
}

function cell(overrides: Record<string, unknown> = {}) {
  const unit = group.units[0]!;
  return {
    p_assignment_id: unit.assignmentIds[0],
    p_pupil_id: group.pupilIds[0],
    p_success_criterion_id: unit.criterionIds[0],
    p_rating: 2,
    p_comment: 'Clear method',
    p_set_comment: true,
    p_client_mutation_id: randomUUID(),
    ...overrides,
  };
}

describe('feedback_upsert', () => {
  test('returns the authoritative row, appends history and enqueues one coalesced job', async () => {
    const pupilId = group.pupilIds[1]!;
    const first = await teacher.rpc('feedback_upsert', cell({ p_pupil_id: pupilId, p_rating: 1 })).single<{ version: number; rating: number }>();
    expect(first.error).toBeNull();
    const second = await teacher.rpc('feedback_upsert', cell({ p_pupil_id: pupilId, p_rating: null })).single<{ version: number; rating: number | null; updated_by: string }>();
    expect(second.error).toBeNull();
    expect(second.data).toMatchObject({ rating: null, updated_by: group.teacherId });
    expect(Number(second.data!.version)).toBeGreaterThan(Number(first.data!.version));
    expect(await countsFor(pupilId)).toEqual({ feedback: 1, history: 2, jobs: 1 });
    const history = await db.query(
      `select old_rating, new_rating, changed_by from public.feedback_history where pupil_id = $1 order by version`,
      [pupilId],
    );
    expect(history.rows).toEqual([
      { old_rating: null, new_rating: 1, changed_by: group.teacherId },
      { old_rating: 1, new_rating: null, changed_by: group.teacherId },
    ]);
  });

  test('the same client_mutation_id twice writes once', async () => {
    const pupilId = group.pupilIds[2]!;
    const args = cell({ p_pupil_id: pupilId, p_rating: 3 });
    const first = await teacher.rpc('feedback_upsert', args).single<{ version: number }>();
    const retry = await teacher.rpc('feedback_upsert', { ...args, p_rating: 0 }).single<{ version: number; rating: number }>();
    expect(first.error).toBeNull();
    expect(retry.error).toBeNull();
    expect(retry.data).toMatchObject({ version: first.data!.version, rating: 3 });
    expect(await countsFor(pupilId)).toEqual({ feedback: 1, history: 1, jobs: 1 });
  });

  test.each([
    ['rating_out_of_range', '22003', () => cell({ p_rating: 4 })],
    ['rating_out_of_range', '22003', () => cell({ p_rating: -1 })],
    ['not_found', 'P0002', () => cell({ p_assignment_id: randomUUID() })],
    ['not_found', 'P0002', () => cell({ p_pupil_id: randomUUID() })],
    ['not_found', 'P0002', () => cell({ p_success_criterion_id: randomUUID() })],
    ['not_authorized', '42501', () => cell({ p_assignment_id: otherGroup.units[0]!.assignmentIds[0] })],
    ['pupil_not_in_group', '23514', () => cell({ p_pupil_id: otherGroup.pupilIds[0] })],
    ['criterion_not_in_unit', '23514', () => cell({ p_success_criterion_id: group.units[1]!.criterionIds[0] })],
  ])('%s (%s) and nothing written', async (message, code, makeArgs) => {
    const args = makeArgs();
    const pupilId = String(args.p_pupil_id);
    const before = await countsFor(pupilId);
    const { data, error } = await teacher.rpc('feedback_upsert', args);
    expect(data).toBeNull();
    expect(error).toMatchObject({ code, message });
    expect(await countsFor(pupilId)).toEqual(before);
  });

  test('a teacher of another group is not_authorized; anon may not call it', async () => {
    const pupilId = group.pupilIds[0]!;
    const before = await countsFor(pupilId);
    const outsider = await clientAs(stack, await makeStaff(db, { departmentId: group.departmentId }));
    expect((await outsider.rpc('feedback_upsert', cell())).error).toMatchObject({ code: '42501', message: 'not_authorized' });
    expect((await anonClient(stack).rpc('feedback_upsert', cell())).error).toMatchObject({ code: '42501' });
    expect(await countsFor(pupilId)).toEqual(before);
  });
});

describe('assignments_grid_snapshot', () => {
  test('returns assignment, criteria, pupils and feedback with versions in one call', async () => {
    const unit = group.units[0]!;
    const written = await teacher.rpc('feedback_upsert', cell({ p_rating: 3 })).single<{ id: string; version: number }>();
    const { data, error } = await teacher.rpc('assignments_grid_snapshot', { p_assignment_id: unit.assignmentIds[0] });
    expect(error).toBeNull();
    const snapshot = data as {
      assignment: { id: string; group_id: string };
      criteria: Array<{ id: string }>;
      pupils: Array<{ id: string }>;
      feedback: Array<{ id: string; version: number; rating: number | null }>;
      max_version: number;
    };
    expect(snapshot.assignment).toMatchObject({ id: unit.assignmentIds[0], group_id: group.groupId });
    expect(snapshot.criteria.map((row) => row.id)).toEqual(unit.criterionIds);
    expect(snapshot.pupils.map((row) => row.id).sort()).toEqual([...group.pupilIds].sort());
    expect(snapshot.feedback).toContainEqual(expect.objectContaining({ id: written.data!.id, version: written.data!.version, rating: 3 }));
    expect(snapshot.max_version).toBe(Math.max(...snapshot.feedback.map((row) => row.version)));

    const outsider = await clientAs(stack, otherGroup.teacherId);
    expect((await outsider.rpc('assignments_grid_snapshot', { p_assignment_id: unit.assignmentIds[0] })).error).toMatchObject({
      code: 'P0002',
      message: 'not_found',
    });
  });
});
