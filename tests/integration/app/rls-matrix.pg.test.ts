/**
 * RLS matrix through supabase-js (the local REST server, JWTs minted with the project
 * secret): teacher A / teacher B / head of science / admin / anon x select / insert /
 * update / delete on every table, each cell asserted against the demo school.
 *
 * The target is group 11Sc1: taught by A (not B), in the science department (HoD), read by
 * admin. Updates write back the values already there; deletes hit rows made for the cell.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { anonClient, clientAs } from '../../fixtures/school/api-clients';
import { demoDepartments, demoGroups, demoStaff } from '../../fixtures/school/demo-school';
import { makeStaff } from '../../fixtures/school/make-group-with-pupils';

const stack = inject('stack');
const PERSONAS = ['teacherA', 'teacherB', 'headOfScience', 'admin', 'anon'] as const;
type Persona = (typeof PERSONAS)[number];
type Op = 'select' | 'insert' | 'update' | 'delete';
type Row = Record<string, unknown>;

const A: Persona = 'teacherA';
const H: Persona = 'headOfScience';
const M: Persona = 'admin';
const STAFF: Persona[] = ['teacherA', 'teacherB', 'headOfScience', 'admin'];
const SCIENCE_UNIT = 'b0000000-0000-4000-8000-000000000001';

let db: pg.Client;
const clients = new Map<Persona, SupabaseClient>();
/** Seed rows in the 11Sc1 area, looked up once. */
const seed = { assignmentId: '', assignmentTitle: '', pupilId: '', criterionId: '', feedbackId: '', historyId: '', workingLevel: '', summaryLevel: '', cacheRating: 0, criterionPosition: 0 };

async function one<T extends Row>(sql: string, params: unknown[] = []): Promise<T> {
  const result = await db.query<T>(sql, params);
  return result.rows[0]!;
}
const staffId = (persona: Persona) => (persona === 'anon' ? randomUUID() : demoStaff[persona].id);
const newPupil = async () =>
  (await one<{ id: string }>(`with p as (insert into public.pupils (first_name, last_name, year_group) values ('Rls', 'Pupil', 11) returning id)
     insert into public.group_pupils (group_id, pupil_id) select $1, id from p returning pupil_id as id`, [demoGroups.sc11])).id;
const newUnit = async () =>
  (await one<{ id: string }>(`insert into public.units (department_id, name, position) values ($1, $2, 99) returning id`, [demoDepartments.science, `Rls ${randomUUID()}`])).id;
const newCriterion = async (unitId = SCIENCE_UNIT) =>
  (await one<{ id: string }>(`insert into public.success_criteria (unit_id, position, description) values ($1, $2, 'Rls') returning id`, [unitId, 100 + Math.floor(Math.random() * 30000)])).id;
const newAssignment = async () =>
  (await one<{ id: string }>(`insert into public.assignments (unit_id, group_id, title) values ($1, $2, 'Rls task') returning id`, [SCIENCE_UNIT, demoGroups.sc11])).id;
const newFeedback = async () =>
  (await one<{ id: string }>(`insert into public.feedback (assignment_id, pupil_id, success_criterion_id, rating) values ($1, $2, $3, 1) returning id`, [await newAssignment(), seed.pupilId, seed.criterionId])).id;

type TableSpec = {
  table: string;
  key: string;
  allowed: Record<Op, Persona[]>;
  target: () => Row;
  patch: (persona: Persona) => Row;
  insertRow: (persona: Persona) => Promise<Row>;
  /** Makes a row for a delete cell; returns its match filter. */
  disposable: () => Promise<Row>;
};

const none: Persona[] = [];
const adminOnly = { insert: [M], update: [M], delete: [M] };
const specs: TableSpec[] = [
  {
    table: 'departments', key: 'id', allowed: { select: STAFF, ...adminOnly },
    target: () => ({ id: demoDepartments.science }), patch: () => ({ name: 'Science' }),
    insertRow: async () => ({ name: `Rls ${randomUUID()}` }),
    disposable: async () => ({ id: (await one<{ id: string }>(`insert into public.departments (name) values ($1) returning id`, [`Rls ${randomUUID()}`])).id }),
  },
  {
    table: 'staff', key: 'id', allowed: { select: STAFF, ...adminOnly },
    target: () => ({ id: demoStaff.teacherC.id }), patch: () => ({ display_name: 'Cal Clarke' }),
    insertRow: async () => {
      const id = await makeStaff(db);
      await db.query(`delete from public.staff where id = $1`, [id]); // keep the login, free the staff row
      return { id, display_name: 'Rls staff', role: 'teacher', department_id: demoDepartments.science };
    },
    disposable: async () => ({ id: await makeStaff(db, { departmentId: demoDepartments.science }) }),
  },
  {
    table: 'groups', key: 'id', allowed: { select: [A, H, M], ...adminOnly },
    target: () => ({ id: demoGroups.sc11 }), patch: () => ({ name: '11Sc1' }),
    insertRow: async () => ({ name: `R${randomUUID().slice(0, 8)}`, subject: 'Science', year_group: 11, department_id: demoDepartments.science }),
    disposable: async () => ({
      id: (await one<{ id: string }>(`insert into public.groups (name, subject, year_group, department_id) values ($1, 'Science', 11, $2) returning id`, [`R${randomUUID().slice(0, 8)}`, demoDepartments.science])).id,
    }),
  },
  {
    table: 'group_staff', key: 'staff_id', allowed: { select: [A, H, M], ...adminOnly },
    target: () => ({ group_id: demoGroups.sc11, staff_id: demoStaff.teacherA.id }), patch: () => ({ group_id: demoGroups.sc11 }),
    insertRow: async () => ({ group_id: demoGroups.sc11, staff_id: await makeStaff(db, { departmentId: demoDepartments.science }) }),
    disposable: async () => {
      const id = await makeStaff(db, { departmentId: demoDepartments.science });
      await db.query(`insert into public.group_staff (group_id, staff_id) values ($1, $2)`, [demoGroups.sc11, id]);
      return { group_id: demoGroups.sc11, staff_id: id };
    },
  },
  {
    table: 'pupils', key: 'id', allowed: { select: [A, H, M], ...adminOnly },
    target: () => ({ id: seed.pupilId }), patch: () => ({ year_group: 11 }),
    insertRow: async () => ({ first_name: 'Rls', last_name: 'Insert', year_group: 11 }),
    disposable: async () => ({ id: await newPupil() }),
  },
  {
    table: 'group_pupils', key: 'pupil_id', allowed: { select: [A, H, M], ...adminOnly },
    target: () => ({ group_id: demoGroups.sc11, pupil_id: seed.pupilId }), patch: () => ({ group_id: demoGroups.sc11 }),
    insertRow: async () => ({
      group_id: demoGroups.sc11,
      pupil_id: (await one<{ id: string }>(`insert into public.pupils (first_name, last_name, year_group) values ('Rls', 'Member', 11) returning id`)).id,
    }),
    disposable: async () => ({ group_id: demoGroups.sc11, pupil_id: await newPupil() }),
  },
  {
    table: 'units', key: 'id', allowed: { select: STAFF, insert: [H, M], update: [H, M], delete: [H, M] },
    target: () => ({ id: SCIENCE_UNIT }), patch: () => ({ position: 1 }),
    insertRow: async () => ({ department_id: demoDepartments.science, name: `Rls ${randomUUID()}`, position: 50 }),
    disposable: async () => ({ id: await newUnit() }),
  },
  {
    table: 'success_criteria', key: 'id', allowed: { select: STAFF, insert: [H, M], update: [H, M], delete: [H, M] },
    target: () => ({ id: seed.criterionId }), patch: () => ({ position: seed.criterionPosition }),
    insertRow: async () => ({ unit_id: await newUnit(), position: 1, description: 'Rls insert' }),
    disposable: async () => ({ id: await newCriterion(await newUnit()) }),
  },
  {
    table: 'assignments', key: 'id', allowed: { select: [A, H, M], insert: [A, H], update: [A, H], delete: [A, H] },
    target: () => ({ id: seed.assignmentId }), patch: () => ({ title: seed.assignmentTitle }),
    insertRow: async () => ({ unit_id: SCIENCE_UNIT, group_id: demoGroups.sc11, title: 'Rls insert' }),
    disposable: async () => ({ id: await newAssignment() }),
  },
  {
    table: 'feedback', key: 'id', allowed: { select: [A, H, M], insert: [A, H], update: [A, H], delete: none },
    target: () => ({ id: seed.feedbackId }), patch: (persona) => ({ updated_by: staffId(persona) }),
    insertRow: async (persona) => ({
      assignment_id: await newAssignment(), pupil_id: seed.pupilId, success_criterion_id: seed.criterionId, rating: 1, updated_by: staffId(persona),
    }),
    disposable: async () => ({ id: await newFeedback() }),
  },
  {
    table: 'feedback_history', key: 'id', allowed: { select: [A, H, M], insert: none, update: none, delete: none },
    target: () => ({ id: seed.historyId }), patch: () => ({ new_rating: null }),
    insertRow: async () => ({
      feedback_id: seed.feedbackId, assignment_id: seed.assignmentId, pupil_id: seed.pupilId, success_criterion_id: seed.criterionId, version: 1,
    }),
    disposable: async () => ({
      id: (await one<{ id: string }>(
        `insert into public.feedback_history (feedback_id, assignment_id, pupil_id, success_criterion_id, new_rating, version)
         values ($1, $2, $3, $4, 1, 1) returning id::text`, [seed.feedbackId, seed.assignmentId, seed.pupilId, seed.criterionId])).id,
    }),
  },
  {
    table: 'report_pupil_unit_summaries', key: 'unit_id', allowed: { select: [A, H, M], insert: none, update: none, delete: none },
    target: () => ({ pupil_id: seed.pupilId, unit_id: SCIENCE_UNIT }), patch: () => ({ working_level: seed.workingLevel }),
    insertRow: async () => cachedUnitRow(await newUnit()),
    disposable: async () => {
      const row = cachedUnitRow(await newUnit());
      await db.query(
        `insert into public.report_pupil_unit_summaries (pupil_id, unit_id, group_ids, assignments_counted, criteria_rated, average_rating, working_level, last_feedback_at, source_version)
         values ($1, $2, $3, 1, 1, 1, 'working_towards', now(), 1)`, [row.pupil_id, row.unit_id, row.group_ids]);
      return { pupil_id: row.pupil_id, unit_id: row.unit_id };
    },
  },
  {
    table: 'report_pupil_summary', key: 'pupil_id', allowed: { select: [A, H, M], insert: none, update: none, delete: none },
    target: () => ({ pupil_id: seed.pupilId }), patch: () => ({ working_level: seed.summaryLevel }),
    insertRow: async () => cachedSummaryRow(await newPupil()),
    disposable: async () => {
      const pupilId = await newPupil();
      await db.query(
        `insert into public.report_pupil_summary (pupil_id, units_counted, criteria_rated, overall_average, working_level, last_feedback_at, source_version)
         values ($1, 1, 1, 1, 'working_towards', now(), 1)`, [pupilId]);
      return { pupil_id: pupilId };
    },
  },
  {
    table: 'report_pupil_feedback_cache', key: 'success_criterion_id', allowed: { select: [A, H, M], insert: none, update: none, delete: none },
    target: () => ({ pupil_id: seed.pupilId, success_criterion_id: seed.criterionId }), patch: () => ({ rating: seed.cacheRating }),
    insertRow: async () => cachedCriterionRow(await newCriterion()),
    disposable: async () => {
      const row = cachedCriterionRow(await newCriterion());
      await db.query(
        `insert into public.report_pupil_feedback_cache (pupil_id, success_criterion_id, unit_id, group_id, assignment_id, rating, version, updated_at)
         values ($1, $2, $3, $4, $5, 1, 1, now())`, [row.pupil_id, row.success_criterion_id, row.unit_id, row.group_id, row.assignment_id]);
      return { pupil_id: row.pupil_id, success_criterion_id: row.success_criterion_id };
    },
  },
];

function cachedUnitRow(unitId: string) {
  return { pupil_id: seed.pupilId, unit_id: unitId, group_ids: [demoGroups.sc11], assignments_counted: 1, criteria_rated: 1, average_rating: 1, working_level: 'working_towards', last_feedback_at: new Date().toISOString(), source_version: 1 };
}
function cachedSummaryRow(pupilId: string) {
  return { pupil_id: pupilId, units_counted: 1, criteria_rated: 1, overall_average: 1, working_level: 'working_towards', last_feedback_at: new Date().toISOString(), source_version: 1 };
}
function cachedCriterionRow(criterionId: string) {
  return { pupil_id: seed.pupilId, success_criterion_id: criterionId, unit_id: SCIENCE_UNIT, group_id: demoGroups.sc11, assignment_id: seed.assignmentId, rating: 1, version: 1, updated_at: new Date().toISOString() };
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
  for (const persona of PERSONAS) clients.set(persona, persona === 'anon' ? anonClient(stack) : await clientAs(stack, staffId(persona)));
  const target = await one<{ pupil_id: string; criterion_id: string; assignment_id: string; title: string; feedback_id: string }>(
    `select c.pupil_id, c.success_criterion_id as criterion_id, a.id as assignment_id, a.title, f.id as feedback_id
     from public.report_pupil_feedback_cache c
     join public.assignments a on a.id = c.assignment_id
     join public.feedback f on f.assignment_id = a.id and f.pupil_id = c.pupil_id and f.success_criterion_id = c.success_criterion_id
     where c.group_id = $1 and c.unit_id = $2 and exists (select 1 from public.report_pupil_unit_summaries r where r.pupil_id = c.pupil_id and r.unit_id = $2)
     order by c.pupil_id, c.success_criterion_id limit 1`,
    [demoGroups.sc11, SCIENCE_UNIT],
  );
  Object.assign(seed, { pupilId: target.pupil_id, criterionId: target.criterion_id, assignmentId: target.assignment_id, assignmentTitle: target.title, feedbackId: target.feedback_id });
  seed.criterionPosition = (await one<{ p: number }>(`select position as p from public.success_criteria where id = $1`, [seed.criterionId])).p;
  seed.historyId = (await one<{ id: string }>(`select id::text from public.feedback_history where feedback_id = $1 order by id limit 1`, [seed.feedbackId])).id;
  seed.workingLevel = (await one<{ w: string }>(`select working_level as w from public.report_pupil_unit_summaries where pupil_id = $1 and unit_id = $2`, [seed.pupilId, SCIENCE_UNIT])).w;
  seed.summaryLevel = (await one<{ w: string }>(`select working_level as w from public.report_pupil_summary where pupil_id = $1`, [seed.pupilId])).w;
  seed.cacheRating = (await one<{ r: number }>(`select rating as r from public.report_pupil_feedback_cache where pupil_id = $1 and success_criterion_id = $2`, [seed.pupilId, seed.criterionId])).r;
});
afterAll(() => db.end());

const cells = specs.flatMap((spec) =>
  PERSONAS.flatMap((persona) => (['select', 'insert', 'update', 'delete'] as const).map((op) => ({ spec, persona, op, allowed: spec.allowed[op].includes(persona) }))),
);

describe.each(specs.map((spec) => spec.table))('%s', (table) => {
  test.each(cells.filter((cell) => cell.spec.table === table).map((cell) => [cell.persona, cell.op, cell.allowed ? 'allowed' : 'denied', cell] as const))(
    '%s %s: %s',
    async (persona, op, _expectation, { spec, allowed }) => {
      const client = clients.get(persona)!;
      const from = () => client.from(spec.table);
      if (op === 'select') {
        const { data, error } = await from().select(spec.key).match(spec.target());
        expect(error).toBeNull();
        expect(data).toHaveLength(allowed ? 1 : 0);
      } else if (op === 'insert') {
        const { error } = await from().insert(await spec.insertRow(persona));
        if (allowed) expect(error).toBeNull();
        else expect(error?.code).toBe('42501');
      } else if (op === 'update') {
        const { data, error } = await from().update(spec.patch(persona)).match(spec.target()).select(spec.key);
        if (allowed) {
          expect(error).toBeNull();
          expect(data).toHaveLength(1);
        } else {
          // Either filtered out by RLS (0 rows) or refused outright (no privilege / policy check).
          expect(error === null ? data : error.code).toEqual(error === null ? [] : '42501');
        }
      } else {
        const filter = await spec.disposable();
        const { error } = await from().delete().match(filter);
        if (!allowed && error) expect(error.code).toBe('42501');
        else expect(error).toBeNull();
        const where = Object.keys(filter).map((column, index) => `${column} = $${index + 1}`).join(' and ');
        const left = await db.query(`select 1 from public.${spec.table} where ${where}`, Object.values(filter));
        expect(left.rowCount).toBe(allowed ? 0 : 1);
        if (left.rowCount) await db.query(`delete from public.${spec.table} where ${where}`, Object.values(filter));
      }
    },
  );
});
