/**
 * saveFeedback (lib/feedback, the logic of the server action) through a signed-in
 * supabase-js client: it returns the authoritative row as soon as the write commits, with
 * the pupil's recalculation still pending (the job is queued, the cache not yet updated);
 * every failure is a stable code with a teacher-facing message; a retried
 * client_mutation_id bumps the version once; a save without a comment keeps the cell's
 * comment (only an explicit comment, or null, changes it). No worker runs in this file.
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

type CommentHistory = { old_rating: number | null; new_rating: number | null; old_comment: string | null; new_comment: string | null };

/** The cell's audit trail, oldest first. */
async function historyOf(feedbackId: string): Promise<CommentHistory[]> {
  const result = await db.query<CommentHistory>(
    `select old_rating, new_rating, old_comment, new_comment from public.feedback_history where feedback_id = $1 order by version`,
    [feedbackId],
  );
  return result.rows;
}

async function storedComment(feedbackId: string): Promise<string | null> {
  const result = await db.query<{ comment: string | null }>(`select comment from public.feedback where id = $1`, [feedbackId]);
  return result.rows[0]!.comment;
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

  test('a rating-only save keeps the comment; an explicit null comment clears it', async () => {
    // A cell no other test writes: pupil 0 is only used by writes that fail.
    const cell = { pupilId: group.pupilIds[0]!, successCriterionId: group.units[0]!.criterionIds[1]! };
    const commented = await saveFeedback(teacher, write({ ...cell, rating: 1, comment: 'Show your working' }));
    // No `comment` key at all: what a caller that only changes the rating sends.
    const { comment: _omitted, ...ratingOnly } = write({ ...cell, rating: 3 });
    const rated = await saveFeedback(teacher, ratingOnly);
    expect(commented.ok && rated.ok).toBe(true);
    if (!commented.ok || !rated.ok) return;
    expect(rated.data).toMatchObject({ id: commented.data.id, rating: 3, comment: 'Show your working' });
    expect(rated.data.version).toBeGreaterThan(commented.data.version);
    expect(await storedComment(rated.data.id)).toBe('Show your working');

    const cleared = await saveFeedback(teacher, write({ ...cell, rating: 3, comment: null }));
    expect(cleared).toMatchObject({ ok: true, data: { id: commented.data.id, rating: 3, comment: null } });
    expect(await storedComment(commented.data.id)).toBeNull();
    expect(await historyOf(commented.data.id)).toEqual([
      { old_rating: null, new_rating: 1, old_comment: null, new_comment: 'Show your working' },
      { old_rating: 1, new_rating: 3, old_comment: 'Show your working', new_comment: 'Show your working' },
      { old_rating: 3, new_rating: 3, old_comment: 'Show your working', new_comment: null },
    ]);
  });

  test('a direct rpc without p_set_comment keeps the comment (p_comment alone changes nothing)', async () => {
    type Cell = { id: string; rating: number | null; comment: string | null };
    const unit = group.units[1]!;
    const args = { p_assignment_id: unit.assignmentIds[0]!, p_pupil_id: group.pupilIds[0]!, p_success_criterion_id: unit.criterionIds[1]! };
    const created = await teacher
      .rpc('feedback_upsert', { ...args, p_rating: 1, p_comment: 'Neat diagrams', p_set_comment: true, p_client_mutation_id: randomUUID() })
      .single<Cell>();
    expect(created.error).toBeNull();
    expect(created.data).toMatchObject({ rating: 1, comment: 'Neat diagrams' });

    // Rating only, as older callers (and the e2e fixtures) call it.
    const rated = await teacher.rpc('feedback_upsert', { ...args, p_rating: 2, p_client_mutation_id: randomUUID() }).single<Cell>();
    expect(rated.error).toBeNull();
    expect(rated.data).toMatchObject({ id: created.data!.id, rating: 2, comment: 'Neat diagrams' });

    // A comment without p_set_comment is not a request to change it.
    const ignored = await teacher
      .rpc('feedback_upsert', { ...args, p_rating: 3, p_comment: 'Something else', p_client_mutation_id: randomUUID() })
      .single<Cell>();
    expect(ignored.error).toBeNull();
    expect(ignored.data).toMatchObject({ rating: 3, comment: 'Neat diagrams' });
    expect(await storedComment(created.data!.id)).toBe('Neat diagrams');
    expect((await historyOf(created.data!.id)).map((row) => [row.old_comment, row.new_comment])).toEqual([
      [null, 'Neat diagrams'],
      ['Neat diagrams', 'Neat diagrams'],
      ['Neat diagrams', 'Neat diagrams'],
    ]);
  });

  test('a new cell saved without a comment has none', async () => {
    const unit = group.units[1]!;
    const { comment: _omitted, ...ratingOnly } = write({
      assignmentId: unit.assignmentIds[0]!,
      pupilId: group.pupilIds[1]!,
      successCriterionId: unit.criterionIds[1]!,
      rating: 2,
    });
    const result = await saveFeedback(teacher, ratingOnly);
    expect(result).toMatchObject({ ok: true, data: { rating: 2, comment: null } });
  });

  test('undo puts the old comment back, and a cleared comment too', async () => {
    const unit = group.units[1]!;
    const assignmentId = unit.assignmentIds[0]!;
    const cell = { assignmentId, pupilId: group.pupilIds[2]!, successCriterionId: unit.criterionIds[0]! };
    const first = await saveFeedback(teacher, write({ ...cell, rating: 1, comment: 'Label the axes' }));
    const second = await saveFeedback(teacher, write({ ...cell, rating: 2, comment: 'Better axes' }));
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok) return;
    const undone = await teacher.rpc('feedback_undo_last', { p_assignment_id: assignmentId, p_client_mutation_id: randomUUID() });
    expect(undone.error).toBeNull();
    expect(undone.data).toEqual([expect.objectContaining({ id: first.data.id, rating: 1, comment: 'Label the axes' })]);

    await saveFeedback(teacher, write({ ...cell, rating: 1, comment: null }));
    expect(await storedComment(first.data.id)).toBeNull();
    const restored = await teacher.rpc('feedback_undo_last', { p_assignment_id: assignmentId, p_client_mutation_id: randomUUID() });
    expect(restored.error).toBeNull();
    expect(restored.data).toEqual([expect.objectContaining({ id: first.data.id, rating: 1, comment: 'Label the axes' })]);
    expect(await storedComment(first.data.id)).toBe('Label the axes');
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
