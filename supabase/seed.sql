-- Demo school for local development and tests (loaded once, after all migrations).
--
-- Logins (password for all: markbook-demo):
--   teacher.a@markbook.test   Alex Adams     teacher, Science: 10Sc1 (co-taught with B), 11Sc1
--   teacher.b@markbook.test   Bea Brown      teacher, Science: 10Sc1 (co-taught with A), 10Sc2
--   teacher.c@markbook.test   Cal Clarke     teacher, Humanities: 10Hi1
--   hod.science@markbook.test Dana Dixon     head of department, Science (reads all science groups)
--   admin@markbook.test       Eli Evans      admin (reads everything)
--
-- Fixed ids so tests and docs can name things:
--   staff   a0000000-0000-4000-8000-00000000000{1..5}  (A, B, C, HoD, admin)
--   depts   d0000000-0000-4000-8000-00000000000{1,2}   (Science, Humanities)
--   groups  c0000000-0000-4000-8000-00000000000{1..4}  (10Sc1, 10Sc2, 11Sc1, 10Hi1)
--   pupils  e0000000-0000-4000-8000-000000000NNN       (NNN = 001..100)

-- ---------------------------------------------------------------------------------------
-- People who log in
insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  confirmation_token, recovery_token, email_change_token_new, email_change,
  raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at
)
select
  '00000000-0000-0000-0000-000000000000'::uuid, u.id, 'authenticated', 'authenticated', u.email,
  extensions.crypt('markbook-demo', extensions.gen_salt('bf')), now(),
  '', '', '', '',
  '{"provider":"email","providers":["email"]}'::jsonb,
  jsonb_build_object('display_name', u.display_name), false, now(), now()
from (values
  ('a0000000-0000-4000-8000-000000000001'::uuid, 'teacher.a@markbook.test', 'Alex Adams'),
  ('a0000000-0000-4000-8000-000000000002'::uuid, 'teacher.b@markbook.test', 'Bea Brown'),
  ('a0000000-0000-4000-8000-000000000003'::uuid, 'teacher.c@markbook.test', 'Cal Clarke'),
  ('a0000000-0000-4000-8000-000000000004'::uuid, 'hod.science@markbook.test', 'Dana Dixon'),
  ('a0000000-0000-4000-8000-000000000005'::uuid, 'admin@markbook.test', 'Eli Evans')
) as u (id, email, display_name);

insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select
  u.id, u.id::text, u.id,
  jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true, 'phone_verified', false),
  'email', now(), now(), now()
from auth.users u
where u.email like '%@markbook.test';

-- ---------------------------------------------------------------------------------------
-- School structure
insert into public.departments (id, name) values
  ('d0000000-0000-4000-8000-000000000001', 'Science'),
  ('d0000000-0000-4000-8000-000000000002', 'Humanities');

insert into public.staff (id, display_name, role, department_id) values
  ('a0000000-0000-4000-8000-000000000001', 'Alex Adams', 'teacher', 'd0000000-0000-4000-8000-000000000001'),
  ('a0000000-0000-4000-8000-000000000002', 'Bea Brown', 'teacher', 'd0000000-0000-4000-8000-000000000001'),
  ('a0000000-0000-4000-8000-000000000003', 'Cal Clarke', 'teacher', 'd0000000-0000-4000-8000-000000000002'),
  ('a0000000-0000-4000-8000-000000000004', 'Dana Dixon', 'head_of_department', 'd0000000-0000-4000-8000-000000000001'),
  ('a0000000-0000-4000-8000-000000000005', 'Eli Evans', 'admin', null);

insert into public.groups (id, name, subject, year_group, department_id) values
  ('c0000000-0000-4000-8000-000000000001', '10Sc1', 'Science', 10, 'd0000000-0000-4000-8000-000000000001'),
  ('c0000000-0000-4000-8000-000000000002', '10Sc2', 'Science', 10, 'd0000000-0000-4000-8000-000000000001'),
  ('c0000000-0000-4000-8000-000000000003', '11Sc1', 'Science', 11, 'd0000000-0000-4000-8000-000000000001'),
  ('c0000000-0000-4000-8000-000000000004', '10Hi1', 'History', 10, 'd0000000-0000-4000-8000-000000000002');

insert into public.group_staff (group_id, staff_id) values
  ('c0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000001'),
  ('c0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002'),
  ('c0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000002'),
  ('c0000000-0000-4000-8000-000000000003', 'a0000000-0000-4000-8000-000000000001'),
  ('c0000000-0000-4000-8000-000000000004', 'a0000000-0000-4000-8000-000000000003');

-- 100 pupils with deterministic names: 1..50 and 76..100 in year 10, 51..75 in year 11.
insert into public.pupils (id, first_name, last_name, year_group)
select
  ('e0000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid,
  (array['Amira','Ben','Chloe','Dev','Ella','Finn','Grace','Harry','Isla','Jack','Kai','Lily','Mo',
         'Nia','Oscar','Priya','Quinn','Ruby','Sam','Tara','Umar','Vera','Will','Xena','Yusuf'])[1 + (n - 1) % 25],
  (array['Khan','Smith','Jones','Patel','Taylor','Brown','Evans','Wilson','Okafor','Nowak','Murphy',
         'Singh','Hughes','Lewis','Walker','Ali','Green','Hall','Wood','Clark','Baker','Ahmed','Shaw'])[1 + (n * 7) % 23],
  case when n between 51 and 75 then 11 else 10 end
from generate_series(1, 100) as n;

insert into public.group_pupils (group_id, pupil_id)
select
  case
    when n <= 25 then 'c0000000-0000-4000-8000-000000000001'
    when n <= 50 then 'c0000000-0000-4000-8000-000000000002'
    when n <= 75 then 'c0000000-0000-4000-8000-000000000003'
    else 'c0000000-0000-4000-8000-000000000004'
  end::uuid,
  ('e0000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid
from generate_series(1, 100) as n
union all
-- Pupils 1..5 also take History: one pupil, two departments.
select 'c0000000-0000-4000-8000-000000000004'::uuid, ('e0000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid
from generate_series(1, 5) as n;

-- ---------------------------------------------------------------------------------------
-- Curriculum: units (fixed ids b0000000-…-00000000000N) and 4 success criteria each.
insert into public.units (id, department_id, name, position) values
  ('b0000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000001', 'Cells and organisation', 1),
  ('b0000000-0000-4000-8000-000000000002', 'd0000000-0000-4000-8000-000000000001', 'Forces and motion', 2),
  ('b0000000-0000-4000-8000-000000000003', 'd0000000-0000-4000-8000-000000000001', 'Chemical reactions', 3),
  ('b0000000-0000-4000-8000-000000000004', 'd0000000-0000-4000-8000-000000000002', 'The Norman Conquest', 1),
  ('b0000000-0000-4000-8000-000000000005', 'd0000000-0000-4000-8000-000000000002', 'The Industrial Revolution', 2);

insert into public.success_criteria (id, unit_id, position, description)
select
  md5('criterion:' || u.id::text || ':' || c.position)::uuid,
  u.id,
  c.position,
  (array['Recalls the key facts and vocabulary', 'Explains ideas using evidence',
         'Applies knowledge to an unfamiliar problem', 'Evaluates and reaches a justified conclusion'])[c.position]
from public.units u
cross join generate_series(1, 4) as c (position);

-- One assignment per unit of the group's department (id = md5('assignment:' || group || unit)).
insert into public.assignments (id, unit_id, group_id, title, set_on, due_on)
select
  md5('assignment:' || g.id::text || ':' || u.id::text)::uuid,
  u.id,
  g.id,
  u.name || ': end-of-unit task',
  date '2026-09-07' + (u.position - 1) * 28,
  date '2026-09-07' + (u.position - 1) * 28 + 14
from public.groups g
join public.units u on u.department_id = g.department_id;

-- Some feedback: the first two units of every group, most cells rated (a few cleared or
-- untouched), deterministic. Versions come from the global sequence (column default).
insert into public.feedback (assignment_id, pupil_id, success_criterion_id, rating, comment, updated_by, updated_at)
select
  a.id,
  gp.pupil_id,
  sc.id,
  case when h % 11 = 0 then null else ((h / 11) % 4)::int2 end,
  case when h % 7 = 0 then 'Good progress; check your units.' end,
  (select gs.staff_id from public.group_staff gs where gs.group_id = a.group_id order by gs.staff_id limit 1),
  timestamptz '2026-10-01 09:00+00' + (h % 1000) * interval '1 minute'
from public.assignments a
join public.units u on u.id = a.unit_id and u.position <= 2
join public.group_pupils gp on gp.group_id = a.group_id
join public.success_criteria sc on sc.unit_id = a.unit_id
cross join lateral (select abs(hashtext(a.id::text || gp.pupil_id::text || sc.id::text)) as h) as hashed
where hashed.h % 13 <> 0
order by a.id, gp.pupil_id, sc.position;

-- Their audit trail (as if written through feedback_upsert).
insert into public.feedback_history (
  feedback_id, assignment_id, pupil_id, success_criterion_id, old_rating, new_rating, old_comment, new_comment,
  version, changed_by, changed_at, client_mutation_id
)
select f.id, f.assignment_id, f.pupil_id, f.success_criterion_id, null, f.rating, null, f.comment,
  f.version, f.updated_by, f.updated_at, null
from public.feedback f
order by f.version;

-- Fill the cached report tables.
select public.reports_recalculate_all();
