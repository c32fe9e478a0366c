-- Reads for the marking pages:
--   assignments_marking_snapshot — the grid page's one call: assignments_grid_snapshot plus
--     the pupils' cached unit summaries (live unit average + working level per row), the
--     viewer (for presence) and whether the viewer may mark; evaluated in ONE statement of
--     a STABLE function, so everything comes from one snapshot. Tells not_found
--     (P0002) from not_authorized (42501) so the page can say which.
--   assignments_marking_progress — /results/assignments: the assignments of the groups
--     the caller may mark with progress (cells rated / pupils x criteria); optionally only
--     some assignments (the live list refreshes the ones a realtime event touched).
-- Shape added to the grid snapshot (parsed with zod in lib/marking/schemas.ts):
--   unit_summaries: [{pupil_id, average_rating, working_level, criteria_rated, source_version, computed_at}],
--   viewer: {id, display_name}, can_mark: boolean

create function public.assignments_marking_snapshot(p_assignment_id uuid)
returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_unit_id uuid;
  v_group_id uuid;
  v_result jsonb;
begin
  select a.unit_id, a.group_id into v_unit_id, v_group_id from public.assignments a where a.id = p_assignment_id;
  if not found then
    if private.assignment_exists(p_assignment_id) then
      raise exception 'not_authorized' using errcode = '42501';
    end if;
    raise exception 'not_found' using errcode = 'P0002', detail = 'assignment';
  end if;
  select public.assignments_grid_snapshot(p_assignment_id) || pg_catalog.jsonb_build_object(
    'unit_summaries', coalesce((
      select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('pupil_id', r.pupil_id,
        'average_rating', r.average_rating, 'working_level', r.working_level, 'criteria_rated', r.criteria_rated,
        'source_version', r.source_version, 'computed_at', r.computed_at))
      from public.report_pupil_unit_summaries r
      where r.unit_id = v_unit_id
        and r.pupil_id in (select gp.pupil_id from public.group_pupils gp where gp.group_id = v_group_id)), '[]'::jsonb),
    'viewer', (select pg_catalog.jsonb_build_object('id', s.id, 'display_name', s.display_name)
               from public.staff s where s.id = (select auth.uid())),
    'can_mark', v_group_id in (select private.markable_group_ids())
  ) into v_result;
  return v_result;
end
$$;
comment on function public.assignments_marking_snapshot(uuid) is
  'The marking grid''s one read: assignments_grid_snapshot + the pupils'' cached unit summaries, the viewer and '
  'can_mark, from one snapshot. Errors: not_found (no such assignment), not_authorized (another group''s).';

create function public.assignments_marking_progress(p_assignment_ids uuid[] default null)
returns table (
  assignment_id uuid, title text, set_on date, due_on date, group_id uuid, group_name text, unit_id uuid,
  unit_name text, unit_position int2, pupils int4, criteria int4, cells_rated int4
)
language sql stable security invoker set search_path = '' as $$
  select a.id, a.title, a.set_on, a.due_on, g.id, g.name, u.id, u.name, u.position,
    (select count(*) from public.group_pupils gp where gp.group_id = a.group_id)::int4,
    (select count(*) from public.success_criteria sc where sc.unit_id = a.unit_id)::int4,
    (select count(*) from public.feedback f
     join public.group_pupils gp on gp.group_id = a.group_id and gp.pupil_id = f.pupil_id
     where f.assignment_id = a.id and f.rating is not null)::int4
  from public.assignments a
  join public.groups g on g.id = a.group_id
  join public.units u on u.id = a.unit_id
  where a.group_id in (select private.markable_group_ids())
    and (p_assignment_ids is null or a.id = any (p_assignment_ids))
  order by g.name, u.position, a.set_on, a.title
$$;
comment on function public.assignments_marking_progress(uuid[]) is
  'Assignments of the groups the caller may mark, with marking progress (cells rated of pupils x criteria); '
  'p_assignment_ids limits it to some of them (live refresh).';

revoke execute on function public.assignments_marking_snapshot(uuid), public.assignments_marking_progress(uuid[])
  from public, anon, authenticated;
grant execute on function public.assignments_marking_snapshot(uuid), public.assignments_marking_progress(uuid[])
  to authenticated, service_role;
