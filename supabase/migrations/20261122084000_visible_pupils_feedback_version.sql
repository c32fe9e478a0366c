-- reports_visible_pupils: a pupil's latest feedback version in one index probe, over all of
-- the pupil's feedback.
--
-- Why: the report pages show "recalculating" while a pupil has feedback newer than their
-- cached summary (feedback_version > cached_version). feedback_version was the max over the
-- feedback the viewer's RLS lets them read. On the large seed a 120-pupil group took
-- 20–33 ms of the group page's ~45 ms of loaders for it: the max was found by walking each
-- pupil's ~840 feedback rows and evaluating the feedback policy on each (a backward index
-- scan skipped ~600 unreadable rows per pupil before the first readable one).
--
-- What changes:
--   1. feedback (pupil_id, version) replaces the covering index on (pupil_id): same INCLUDE
--      columns, so the report calculation still reads a pupil's feedback by index-only scan,
--      and a pupil's latest version is the first entry of a backward scan.
--   2. feedback_version is now over ALL of the pupil's feedback, like the summary's
--      source_version it is compared with (the cache is computed over all feedback), read by a
--      small definer helper for the pupils the caller may read. So a newer edit in a group the
--      viewer cannot read also shows the pupil as recalculating, which is true: their cached
--      summary will change. Callers that bypass RLS (service_role) read it directly.

create index if not exists feedback_pupil_version_covering_idx on public.feedback (pupil_id, version)
  include (assignment_id, success_criterion_id, rating, updated_at);
comment on index public.feedback_pupil_version_covering_idx is
  'Report calculation: a pupil''s feedback by index-only scan; a pupil''s latest version by one backward probe. '
  'Replaces feedback_pupil_id_covering_idx.';
drop index if exists public.feedback_pupil_id_covering_idx;

-- SECURITY DEFINER because the answer must cover feedback the caller cannot read (see 2.),
-- which RLS would hide. It returns only a version number and whether anything is rated, and
-- only for pupils the caller may read (private.readable_pupil_ids(), evaluated once).
create or replace function private.readable_pupil_feedback_versions(p_pupil_ids uuid[])
returns table (pupil_id uuid, max_version bigint, has_rating boolean)
language sql stable security definer set search_path = '' as $$
  select r.id,
    (select f.version from public.feedback f where f.pupil_id = r.id order by f.version desc limit 1),
    exists (select 1 from public.feedback f where f.pupil_id = r.id and f.rating is not null)
  from unnest(p_pupil_ids) as r (id)
  where r.id = any (array(select private.readable_pupil_ids()))
$$;
comment on function private.readable_pupil_feedback_versions(uuid[]) is
  'For the given pupils the caller may read: the latest version of any of their feedback and whether any cell is '
  'rated. Definer: covers feedback RLS hides from the caller (see migration 20261122084000).';
revoke execute on function private.readable_pupil_feedback_versions(uuid[]) from public, anon;
grant execute on function private.readable_pupil_feedback_versions(uuid[]) to authenticated;

-- Same signature, columns and order as before (20261122050000).
create or replace function public.reports_visible_pupils(p_group_id uuid default null, p_pupil_id uuid default null)
returns table (
  pupil_id uuid, first_name text, last_name text, group_ids uuid[], overall_average numeric(4, 2),
  working_level text, cached_version bigint, feedback_version bigint
)
language sql stable security invoker set search_path = '' as $$
  with
  scope as (
    select p.id, p.first_name, p.last_name, s.pupil_id as cached_pupil_id, s.overall_average, s.working_level,
      s.source_version,
      (select array_agg(gp.group_id order by gp.group_id) from public.group_pupils gp where gp.pupil_id = p.id) as group_ids
    from public.pupils p
    left join public.report_pupil_summary s on s.pupil_id = p.id
    where (p_group_id is null or p.id in (select x.pupil_id from public.group_pupils x where x.group_id = p_group_id))
      and (p_pupil_id is null or p.id = p_pupil_id)
      and exists (select 1 from public.group_pupils gp where gp.pupil_id = p.id)
  ),
  bypasses_rls as (select not pg_catalog.row_security_active('public.feedback'::regclass) as yes),
  versions as (
    select v.pupil_id, v.max_version, v.has_rating
    from private.readable_pupil_feedback_versions(array(select sc.id from scope sc)) v
    where not (select b.yes from bypasses_rls b)
    union all
    select sc.id,
      (select f.version from public.feedback f where f.pupil_id = sc.id order by f.version desc limit 1),
      exists (select 1 from public.feedback f where f.pupil_id = sc.id and f.rating is not null)
    from scope sc
    where (select b.yes from bypasses_rls b)
  )
  select sc.id, sc.first_name, sc.last_name, sc.group_ids, sc.overall_average, sc.working_level, sc.source_version,
    -- Only feedback that will leave a cache row to wait for: with nothing cached and nothing
    -- rated (every cell cleared), there is nothing to recalculate.
    case when sc.cached_pupil_id is not null or v.has_rating then v.max_version end
  from scope sc
  left join versions v on v.pupil_id = sc.id
  order by sc.last_name, sc.first_name, sc.id
$$;
comment on function public.reports_visible_pupils(uuid, uuid) is
  'Report pages: readable pupils (of one group / one pupil / all) with their readable groups, cached overall '
  'summary (cached_version = its source_version) and feedback_version = the highest version of any of the '
  'pupil''s feedback (null when nothing is cached and nothing rated).';
revoke execute on function public.reports_visible_pupils(uuid, uuid) from public, anon;
grant execute on function public.reports_visible_pupils(uuid, uuid) to authenticated, service_role;
