/**
 * saveFeedback (lib/feedback, the logic of the server action) through a signed-in
 * supabase-js client: it returns the authoritative row as soon as the write commits, with
 * the pupil's recalculation still pending (the job is queued, the cache not yet updated);
 * every failure is a stable code with a teacher-facing message; a retried
 * client_mutation_id bumps the version once. No worker runs in this file.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { feedbackErrorMessages } from '@/lib/feedback/map-feedback-error';
import { saveFeedback } from '@/lib/feedback/save-feedback';
import type { Database } from '@/lib/supabase/database.types';
import { makeGroupWithPupils, type SchoolGroup } from '../../fixtures/school/make-group-with-pupils';
import { jobsForPupil } from '../../fixtures/pipeline/queue-queries';
import { typedClientAs, type TypedClient } from '../../fixtures/pipeline/typed-clients';

const stack = inject('stack');
let db: pg.Client;
let group: SchoolGroup;
let otherGroup: SchoolGroup;
let teacher: TypedClient;

beforeAll(async () => {
  db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
  group = await makeGroupWithPupils(db, { pupils: 4, units: 2, criteriaPerUnit: 2, assignmentsPerUnit: 1 });
  otherGroup = await makeGroupWithPupils(db, { pupils: 1, units: 1, criteriaPerUnit: 1, assignmentsPerUnit: 1 });
  teacher = await typedClientAs(stack, group.teacherId);
});
afterAll(() => db.end());

function write(overrides: Record<string, unknown> = {}) {
  const unit = group.units[0]!;
  return {
    assignmentId: unit.assignmentIds[0]!,
    pupilId: group.pupilIds[0]!,
    successCriterionId: unit.criterionIds[0]!,
    rating: 2,
    comment: 'Clear method',
    clientMutationId: randomUUID(),
    ...overrides,
  };
}

async function cachedSourceVersion(pupilId: string): Promise<number | null> {
  const result = await db.query<{ v: string | null }>(`select max(source_version)::text as v from public.report_pupil_summary where pupil_id = $1`, [pupilId]);
  return result.rows[0]!.v === null ? null : Number(result.rows[0]!.v);
}

describe('saveFeedback', () => {
  test('returns the authoritative row at commit, with the recalculation queued and not yet run', async () => {
    const pupilId = group.pupilIds[1]!;
    const input = write({ pupilId, rating: 3 });
    const result = await saveFeedback(teacher, input);
    // At response time: the job is in the queue, unclaimed (no worker runs in this file).
    const jobs = await jobsForPupil(db, pupilId);
    const cached = await cachedSourceVersion(pupilId);

    expect(result).toMatchObject({
      ok: true,
      data: { pupilId, rating: 3, comment: 'Clear method', updatedBy: group.teacherId, clientMutationId: input.clientMutationId },
    });
    if (!result.ok) throw new Error('unreachable');
    expect(result.data.version).toBeGreaterThan(0);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ locked_at: null, attempts: 0 });
    // After a quiet spell it is due at once (leading-edge throttle), not after a delay.
    expect(jobs[0]!.run_at.getTime()).toBeLessThanOrEqual(jobs[0]!.now.getTime());
    expect(cached === null || cached < result.data.version).toBe(true);
  });

  test('clearing a cell writes a null rating with a higher version', async () => {
    const pupilId = group.pupilIds[2]!;
    const first = await saveFeedback(teacher, write({ pupilId, rating: 1 }));
    const cleared = await saveFeedback(teacher, write({ pupilId, rating: null, comment: null }));
    expect(first.ok && cleared.ok).toBe(true);
    if (!first.ok || !cleared.ok) return;
    expect(cleared.data).toMatchObject({ rating: null, comment: null, id: first.data.id });
    expect(cleared.data.version).toBeGreaterThan(first.data.version);
  });

  test('the same clientMutationId twice is one version bump and one history row', async () => {
    const pupilId = group.pupilIds[3]!;
    const input = write({ pupilId, rating: 1 });
    const first = await saveFeedback(teacher, input);
    const retry = await saveFeedback(teacher, { ...input });
    expect(first.ok && retry.ok).toBe(true);
    if (!first.ok || !retry.ok) return;
    expect(retry.data.version).toBe(first.data.version);
    const history = await db.query(`select count(*)::int as n from public.feedback_history where client_mutation_id = $1`, [
      input.clientMutationId,
    ]);
    expect(history.rows[0]).toEqual({ n: 1 });
  });

  test('each failure is a stable code with a teacher-facing message, and writes nothing', async () => {
    const before = await db.query(`select count(*)::int as n from public.feedback_history`);
    const other = otherGroup.units[0]!;
    const cases: Array<[string, Record<string, unknown>]> = [
      ['not_authorized', { assignmentId: other.assignmentIds[0], pupilId: otherGroup.pupilIds[0], successCriterionId: other.criterionIds[0] }],
      ['pupil_not_in_group', { pupilId: otherGroup.pupilIds[0] }],
      ['criterion_not_in_unit', { successCriterionId: group.units[1]!.criterionIds[0] }],
      ['not_found', { assignmentId: randomUUID() }],
      ['not_found', { successCriterionId: randomUUID() }],
      ['rating_out_of_range', { rating: 7 }],
      ['validation_failed', { pupilId: 'not-a-uuid' }],
      ['validation_failed', { clientMutationId: undefined }],
    ];
    for (const [code, overrides] of cases) {
      const result = await saveFeedback(teacher, write(overrides));
      expect(result, code).toEqual({ ok: false, code, message: feedbackErrorMessages[code as keyof typeof feedbackErrorMessages] });
    }
    const after = await db.query(`select count(*)::int as n from public.feedback_history`);
    expect(after.rows[0].n - before.rows[0].n).toBe(0);
  });

  test('a signed-out caller is not_authorized; an unreachable API is unavailable', async () => {
    const anon = createClient<Database>(stack.apiUrl, stack.anonKey, { auth: { persistSession: false } });
    expect(await saveFeedback(anon, write())).toMatchObject({ ok: false, code: 'not_authorized' });
    const unreachable = createClient<Database>('http://127.0.0.1:9', stack.anonKey, { auth: { persistSession: false } });
    expect(await saveFeedback(unreachable, write())).toMatchObject({ ok: false, code: 'unavailable' });
  });
});
