-- Marking tables: units (a department's curriculum), assignments (a unit set to a group),
-- success_criteria (per unit), feedback (one cell of the marking grid) and
-- feedback_history (the audit trail), with RLS on every table.
--
-- feedback.version comes from ONE global sequence so versions order every write and a
-- client can always tell newer from older (DESIGN.md §1). Marking never deletes rows:
-- clearing a cell writes rating = null with a new version. Ratings are a fixed scale
-- (0 not yet · 1 working towards · 2 secure · 3 exceeding) enforced by a check.
-- Writes go through public.feedback_upsert (next migration) which also appends history
-- and enqueues the pupil's report recalculation in the same transaction.

-- ---------------------------------------------------------------------------------------
-- units
create table public.units (
  id uuid primary key default gen_random_uuid(),
  department_id uuid not null references public.departments (id),
  name text not null check (length(name) between 1 and 120),
  position int2 not null default 0,
  created_at timestamptz not null default now(),
  unique (department_id, name)
);
comment on table public.units is 'A curriculum unit of a department; owns its success criteria.';
create index units_department_id_idx on public.units (department_id, position);

-- assignments
create table public.assignments (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references public.units (id),
  group_id uuid not null references public.groups (id),
  title text not null check (length(title) between 1 and 200),
  set_on date not null default current_date,
  due_on date,
  created_at timestamptz not null default now(),
  constraint assignments_due_after_set check (due_on is null or due_on >= set_on)
);
comment on table public.assignments is 'A piece of work from a unit set to one group; the marking grid is one assignment.';
create index assignments_group_id_idx on public.assignments (group_id, unit_id);
create index assignments_unit_id_idx on public.assignments (unit_id);

-- success_criteria
create table public.success_criteria (
  id uuid primary key default gen_random_uuid(),
  unit_id uuid not null references public.units (id) on delete cascade,
  position int2 not null,
  description text not null check (length(description) between 1 and 500),
  unique (unit_id, position)
);
comment on table public.success_criteria is 'What a pupil must show in a unit; the columns of the marking grid.';

-- feedback
create sequence public.feedback_version_seq as bigint;
comment on sequence public.feedback_version_seq is 'The one global version counter: every feedback write takes the next value.';

create table public.feedback (
  id uuid primary key default gen_random_uuid(),
  assignment_id uuid not null references public.assignments (id),
  pupil_id uuid not null references public.pupils (id) on delete cascade,
  success_criterion_id uuid not null references public.success_criteria (id),
  rating int2 check (rating between 0 and 3),
  comment text check (length(comment) <= 2000),
  updated_by uuid references public.staff (id) on delete set null,
  updated_at timestamptz not null default now(),
  version bigint not null default nextval('public.feedback_version_seq'),
  client_mutation_id uuid,
  unique (assignment_id, pupil_id, success_criterion_id)
);
alter sequence public.feedback_version_seq owned by public.feedback.version;
comment on table public.feedback is
  'One marking-grid cell: a pupil''s rating (0..3, null = cleared) on one criterion of one assignment. '
  'version orders all writes; rows are never deleted by marking. Written through feedback_upsert.';
comment on column public.feedback.version is 'Next value of feedback_version_seq at each write; a lower version never replaces a higher one.';
comment on column public.feedback.client_mutation_id is 'The client''s id for the edit that wrote this version (idempotent retries).';
create index feedback_pupil_id_idx on public.feedback (pupil_id);

-- feedback_history
create table public.feedback_history (
  id bigint generated always as identity primary key,
  feedback_id uuid not null references public.feedback (id) on delete cascade,
  assignment_id uuid not null,
  pupil_id uuid not null,
  success_criterion_id uuid not null,
  old_rating int2,
  new_rating int2,
  old_comment text,
  new_comment text,
  version bigint not null,
  changed_by uuid,
  changed_at timestamptz not null default now(),
  client_mutation_id uuid
);
comment on table public.feedback_history is
  'Audit trail: every feedback change (who, when, old -> new, version). Written only by feedback_upsert.';
create index feedback_history_feedback_id_idx on public.feedback_history (feedback_id, version);
create index feedback_history_assignment_id_idx on public.feedback_history (assignment_id);
-- Idempotency: one write per client mutation id.
create unique index feedback_history_client_mutation_id_key on public.feedback_history (client_mutation_id)
  where client_mutation_id is not null;

-- ---------------------------------------------------------------------------------------
-- Policy helpers (definer for the same reason as in the core migration: they read tables
-- whose policies use them; they return only ids derived from the caller's auth.uid()).

create function private.readable_assignment_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select a.id from public.assignments a where a.group_id in (select private.readable_group_ids())
$$;
comment on function private.readable_assignment_ids() is 'Assignments of groups the caller may read. Definer: see private.taught_group_ids.';

create function private.markable_assignment_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select a.id from public.assignments a where a.group_id in (select private.markable_group_ids())
$$;
comment on function private.markable_assignment_ids() is 'Assignments of groups the caller may mark. Definer: see private.taught_group_ids.';

create function private.manages_department(p_department_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.staff s
    where s.id = (select auth.uid())
      and (s.role = 'admin' or (s.role = 'head_of_department' and s.department_id = p_department_id))
  )
$$;
comment on function private.manages_department(uuid) is
  'Whether the caller is an admin or heads this department (curriculum edits). Definer: reads staff under its own RLS.';

revoke execute on function private.readable_assignment_ids(), private.markable_assignment_ids(),
  private.manages_department(uuid) from public, anon;
grant execute on function private.readable_assignment_ids(), private.markable_assignment_ids(),
  private.manages_department(uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------
-- RLS

alter table public.units enable row level security;
create policy units_select_authenticated on public.units for select to authenticated
  using ((select private.staff_role()) is not null);
comment on policy units_select_authenticated on public.units is 'Staff read the curriculum.';
create policy units_insert_authenticated on public.units for insert to authenticated
  with check (private.manages_department(department_id));
comment on policy units_insert_authenticated on public.units is 'Heads of department (own department) and admins add units.';
create policy units_update_authenticated on public.units for update to authenticated
  using (private.manages_department(department_id)) with check (private.manages_department(department_id));
comment on policy units_update_authenticated on public.units is 'Heads of department (own department) and admins edit units.';
create policy units_delete_authenticated on public.units for delete to authenticated
  using (private.manages_department(department_id));
comment on policy units_delete_authenticated on public.units is 'Heads of department (own department) and admins delete units.';

alter table public.success_criteria enable row level security;
create policy success_criteria_select_authenticated on public.success_criteria for select to authenticated
  using ((select private.staff_role()) is not null);
comment on policy success_criteria_select_authenticated on public.success_criteria is 'Staff read the curriculum.';
create policy success_criteria_insert_authenticated on public.success_criteria for insert to authenticated
  with check (private.manages_department((select u.department_id from public.units u where u.id = unit_id)));
comment on policy success_criteria_insert_authenticated on public.success_criteria is 'Heads of department and admins add criteria.';
create policy success_criteria_update_authenticated on public.success_criteria for update to authenticated
  using (private.manages_department((select u.department_id from public.units u where u.id = unit_id)))
  with check (private.manages_department((select u.department_id from public.units u where u.id = unit_id)));
comment on policy success_criteria_update_authenticated on public.success_criteria is 'Heads of department and admins edit criteria.';
create policy success_criteria_delete_authenticated on public.success_criteria for delete to authenticated
  using (private.manages_department((select u.department_id from public.units u where u.id = unit_id)));
comment on policy success_criteria_delete_authenticated on public.success_criteria is 'Heads of department and admins delete criteria.';

alter table public.assignments enable row level security;
create policy assignments_select_authenticated on public.assignments for select to authenticated
  using (group_id in (select private.readable_group_ids()));
comment on policy assignments_select_authenticated on public.assignments is 'Assignments of groups the caller may read.';
create policy assignments_insert_authenticated on public.assignments for insert to authenticated
  with check (group_id in (select private.markable_group_ids()));
comment on policy assignments_insert_authenticated on public.assignments is 'Teachers (and heads) set work for groups they may mark.';
create policy assignments_update_authenticated on public.assignments for update to authenticated
  using (group_id in (select private.markable_group_ids())) with check (group_id in (select private.markable_group_ids()));
comment on policy assignments_update_authenticated on public.assignments is 'Teachers (and heads) edit work of groups they may mark.';
create policy assignments_delete_authenticated on public.assignments for delete to authenticated
  using (group_id in (select private.markable_group_ids()));
comment on policy assignments_delete_authenticated on public.assignments is
  'Teachers (and heads) delete work of groups they may mark; an assignment with feedback cannot be deleted (FK).';

alter table public.feedback enable row level security;
create policy feedback_select_authenticated on public.feedback for select to authenticated
  using (assignment_id in (select private.readable_assignment_ids()));
comment on policy feedback_select_authenticated on public.feedback is 'Feedback on assignments of groups the caller may read.';
create policy feedback_insert_authenticated on public.feedback for insert to authenticated
  with check (assignment_id in (select private.markable_assignment_ids()) and updated_by = (select auth.uid()));
comment on policy feedback_insert_authenticated on public.feedback is
  'Markers write cells of groups they may mark, attributed to themselves (feedback_upsert runs as the caller).';
create policy feedback_update_authenticated on public.feedback for update to authenticated
  using (assignment_id in (select private.markable_assignment_ids()))
  with check (assignment_id in (select private.markable_assignment_ids()) and updated_by = (select auth.uid()));
comment on policy feedback_update_authenticated on public.feedback is
  'Markers rewrite cells of groups they may mark, attributed to themselves.';
-- No delete policy: marking never deletes feedback (clearing writes rating = null).

alter table public.feedback_history enable row level security;
create policy feedback_history_select_authenticated on public.feedback_history for select to authenticated
  using (assignment_id in (select private.readable_assignment_ids()));
comment on policy feedback_history_select_authenticated on public.feedback_history is
  'The audit trail of assignments the caller may read.';
-- No insert/update/delete policies: only private.append_feedback_history (definer) writes it.

-- ---------------------------------------------------------------------------------------
-- Realtime: the marking grid subscribes to feedback. Rows are never deleted, so the
-- default replica identity (primary key) carries everything UPDATE events need.
alter publication supabase_realtime add table public.feedback;
