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
