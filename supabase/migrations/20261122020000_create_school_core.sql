-- Core school tables: departments, staff (linked to auth.users), groups (classes),
-- group_staff, pupils, group_pupils, with RLS on every table.
--
-- Who sees what (DESIGN.md §3): teachers read their own groups; heads of department read
-- their department's groups; admins read everything and manage the school's structure;
-- `anon` reads nothing (no policy grants it anything). Policies call small STABLE helper
-- functions in `private` that return the caller's group/pupil ids once per statement.

create schema if not exists private;
comment on schema private is 'Internals: policy helpers and job plumbing. Not exposed through the API.';
revoke all on schema private from public;
-- Policies evaluate the helpers as the requesting role, so that role needs usage + execute.
grant usage on schema private to authenticated, service_role;

-- ---------------------------------------------------------------------------------------
-- departments
create table public.departments (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (length(name) between 1 and 120),
  created_at timestamptz not null default now()
);
comment on table public.departments is 'A school department (e.g. Science); owns groups and curriculum units.';

-- staff
create table public.staff (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text not null check (length(display_name) between 1 and 120),
  role text not null check (role in ('teacher', 'head_of_department', 'admin')),
  department_id uuid references public.departments (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint staff_head_has_department check (role <> 'head_of_department' or department_id is not null)
);
comment on table public.staff is 'One row per staff login (auth.users id): display name, role and department.';
create index staff_department_id_idx on public.staff (department_id);

-- groups
create table public.groups (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 60),
  subject text not null check (length(subject) between 1 and 60),
  year_group int2 not null check (year_group between 1 and 14),
  department_id uuid not null references public.departments (id),
  created_at timestamptz not null default now(),
  unique (department_id, name)
);
comment on table public.groups is 'A teaching group (class): subject and year, in one department.';
create index groups_department_id_idx on public.groups (department_id);

-- group_staff
create table public.group_staff (
  group_id uuid not null references public.groups (id) on delete cascade,
  staff_id uuid not null references public.staff (id) on delete cascade,
  primary key (group_id, staff_id)
);
comment on table public.group_staff is 'Which staff teach which group; the basis of a teacher''s access.';
create index group_staff_staff_id_idx on public.group_staff (staff_id, group_id);

-- pupils
create table public.pupils (
  id uuid primary key default gen_random_uuid(),
  first_name text not null check (length(first_name) between 1 and 80),
  last_name text not null check (length(last_name) between 1 and 80),
  year_group int2 not null check (year_group between 1 and 14),
  created_at timestamptz not null default now()
);
comment on table public.pupils is 'A pupil. Readable only by staff who teach, head or administer one of the pupil''s groups.';
create index pupils_name_idx on public.pupils (last_name, first_name);

-- group_pupils
create table public.group_pupils (
  group_id uuid not null references public.groups (id) on delete cascade,
  pupil_id uuid not null references public.pupils (id) on delete cascade,
  primary key (group_id, pupil_id)
);
comment on table public.group_pupils is 'Group membership of pupils.';
create index group_pupils_pupil_id_idx on public.group_pupils (pupil_id, group_id);

-- ---------------------------------------------------------------------------------------
-- Policy helpers. SECURITY DEFINER because they read staff/group_staff/group_pupils, whose
-- own policies call these helpers: as invoker that would recurse. Each reads only rows
-- keyed by the caller's auth.uid(), returns ids, and has an empty search_path.

create function private.staff_role() returns text
language sql stable security definer set search_path = '' as $$
  select s.role from public.staff s where s.id = (select auth.uid())
$$;
comment on function private.staff_role() is 'The caller''s staff role, or null. Definer: staff RLS calls it.';

create function private.is_admin() returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select s.role = 'admin' from public.staff s where s.id = (select auth.uid())), false)
$$;
comment on function private.is_admin() is 'Whether the caller is an admin. Definer: staff RLS calls it.';

create function private.taught_group_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select gs.group_id from public.group_staff gs where gs.staff_id = (select auth.uid())
$$;
comment on function private.taught_group_ids() is 'Groups the caller teaches. Definer: group_staff RLS calls it.';

create function private.markable_group_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select gs.group_id from public.group_staff gs where gs.staff_id = (select auth.uid())
  union
  select g.id
  from public.staff s
  join public.groups g on g.department_id = s.department_id
  where s.id = (select auth.uid()) and s.role = 'head_of_department'
$$;
comment on function private.markable_group_ids() is
  'Groups the caller may mark: taught groups, plus every group of the department they head. Definer: see taught_group_ids.';

create function private.readable_group_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select m.id from private.markable_group_ids() as m(id)
  union
  select g.id from public.groups g where private.is_admin()
$$;
comment on function private.readable_group_ids() is
  'Groups the caller may read: markable groups, or all groups for admins. Definer: see taught_group_ids.';

create function private.readable_pupil_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select gp.pupil_id from public.group_pupils gp where gp.group_id in (select private.readable_group_ids())
  union
  select p.id from public.pupils p where private.is_admin()
$$;
comment on function private.readable_pupil_ids() is
  'Pupils in a group the caller may read (all pupils for admins). Definer: group_pupils RLS is itself a helper user.';

revoke execute on all functions in schema private from public, anon;
grant execute on function private.staff_role(), private.is_admin(), private.taught_group_ids(),
  private.markable_group_ids(), private.readable_group_ids(), private.readable_pupil_ids()
  to authenticated, service_role;

-- ---------------------------------------------------------------------------------------
-- RLS. Only `authenticated` gets policies; `anon` therefore sees and writes nothing.
-- service_role bypasses RLS (worker, scripts). Select policies test is_admin() directly
-- (not only through the id helpers) so an admin's INSERT ... RETURNING passes: the
-- helpers' snapshot cannot contain the row being inserted.

alter table public.departments enable row level security;
create policy departments_select_authenticated on public.departments for select to authenticated
  using (private.staff_role() is not null);
comment on policy departments_select_authenticated on public.departments is 'Any staff member reads department names.';
create policy departments_insert_authenticated on public.departments for insert to authenticated
  with check ((select private.is_admin()));
comment on policy departments_insert_authenticated on public.departments is 'Admins create departments.';
create policy departments_update_authenticated on public.departments for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
comment on policy departments_update_authenticated on public.departments is 'Admins rename departments.';
create policy departments_delete_authenticated on public.departments for delete to authenticated
  using ((select private.is_admin()));
comment on policy departments_delete_authenticated on public.departments is 'Admins delete departments.';

alter table public.staff enable row level security;
create policy staff_select_authenticated on public.staff for select to authenticated
  using ((select private.staff_role()) is not null);
comment on policy staff_select_authenticated on public.staff is 'Staff read colleagues'' names and roles (presence, attribution).';
create policy staff_insert_authenticated on public.staff for insert to authenticated
  with check ((select private.is_admin()));
comment on policy staff_insert_authenticated on public.staff is 'Admins add staff.';
create policy staff_update_authenticated on public.staff for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
comment on policy staff_update_authenticated on public.staff is 'Admins change roles and departments.';
create policy staff_delete_authenticated on public.staff for delete to authenticated
  using ((select private.is_admin()));
comment on policy staff_delete_authenticated on public.staff is 'Admins remove staff.';

alter table public.groups enable row level security;
create policy groups_select_authenticated on public.groups for select to authenticated
  using ((select private.is_admin()) or id in (select private.readable_group_ids()));
comment on policy groups_select_authenticated on public.groups is
  'Teachers read groups they teach; heads their department''s groups; admins all.';
create policy groups_insert_authenticated on public.groups for insert to authenticated
  with check ((select private.is_admin()));
comment on policy groups_insert_authenticated on public.groups is 'Admins create groups.';
create policy groups_update_authenticated on public.groups for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
comment on policy groups_update_authenticated on public.groups is 'Admins edit groups.';
create policy groups_delete_authenticated on public.groups for delete to authenticated
  using ((select private.is_admin()));
comment on policy groups_delete_authenticated on public.groups is 'Admins delete groups.';

alter table public.group_staff enable row level security;
create policy group_staff_select_authenticated on public.group_staff for select to authenticated
  using (group_id in (select private.readable_group_ids()));
comment on policy group_staff_select_authenticated on public.group_staff is 'Who teaches a group the caller may read.';
create policy group_staff_insert_authenticated on public.group_staff for insert to authenticated
  with check ((select private.is_admin()));
comment on policy group_staff_insert_authenticated on public.group_staff is 'Admins assign teachers.';
create policy group_staff_update_authenticated on public.group_staff for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
comment on policy group_staff_update_authenticated on public.group_staff is 'Admins reassign teachers.';
create policy group_staff_delete_authenticated on public.group_staff for delete to authenticated
  using ((select private.is_admin()));
comment on policy group_staff_delete_authenticated on public.group_staff is 'Admins unassign teachers.';

alter table public.pupils enable row level security;
create policy pupils_select_authenticated on public.pupils for select to authenticated
  using ((select private.is_admin()) or id in (select private.readable_pupil_ids()));
comment on policy pupils_select_authenticated on public.pupils is 'Pupils in a group the caller may read.';
create policy pupils_insert_authenticated on public.pupils for insert to authenticated
  with check ((select private.is_admin()));
comment on policy pupils_insert_authenticated on public.pupils is 'Admins enrol pupils.';
create policy pupils_update_authenticated on public.pupils for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
comment on policy pupils_update_authenticated on public.pupils is 'Admins correct pupil details.';
create policy pupils_delete_authenticated on public.pupils for delete to authenticated
  using ((select private.is_admin()));
comment on policy pupils_delete_authenticated on public.pupils is 'Admins remove pupils.';

alter table public.group_pupils enable row level security;
create policy group_pupils_select_authenticated on public.group_pupils for select to authenticated
  using (group_id in (select private.readable_group_ids()));
comment on policy group_pupils_select_authenticated on public.group_pupils is 'Membership of groups the caller may read.';
create policy group_pupils_insert_authenticated on public.group_pupils for insert to authenticated
  with check ((select private.is_admin()));
comment on policy group_pupils_insert_authenticated on public.group_pupils is 'Admins add pupils to groups.';
create policy group_pupils_update_authenticated on public.group_pupils for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
comment on policy group_pupils_update_authenticated on public.group_pupils is 'Admins move memberships.';
create policy group_pupils_delete_authenticated on public.group_pupils for delete to authenticated
  using ((select private.is_admin()));
comment on policy group_pupils_delete_authenticated on public.group_pupils is 'Admins remove pupils from groups.';
