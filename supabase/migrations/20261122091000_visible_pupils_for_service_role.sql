-- reports_visible_pupils as service_role: "permission denied for function
-- readable_pupil_feedback_versions".
--
-- Migration 20261122084000 granted the definer helper to `authenticated` only. Its caller,
-- reports_visible_pupils, skips the helper for callers that bypass RLS, but PostgreSQL checks
-- EXECUTE on every function a statement names when it plans it, so the service role (granted
-- reports_visible_pupils) got an error instead of its rows. Found by
-- tests/integration/export/group-page-rpc.pg.test.ts. The helper returns only versions of
-- pupils the caller may read, and service_role may read every pupil anyway.
grant execute on function private.readable_pupil_feedback_versions(uuid[]) to service_role;
