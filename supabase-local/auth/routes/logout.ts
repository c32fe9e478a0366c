/**
 * POST /logout?scope=global|local|others — GoTrue's `Logout` (internal/api/logout.go):
 * deletes the user's sessions (all, this one, or all but this one), which deletes their
 * refresh tokens; a token without `session_id` logs out everywhere. Answers 204.
 */
import { badRequest } from '../auth-errors';
import { authenticateRequest } from '../authenticate-request';
import type { RouteHandler } from '../route-result';
import { deleteSessions, type LogoutScope } from '../session-queries';

function parseScope(raw: string | null): LogoutScope {
  switch (raw) {
    case null:
    case '':
    case 'global':
      return 'global';
    case 'local':
    case 'others':
      return raw;
    default:
      throw badRequest('validation_failed', `Unsupported logout scope ${JSON.stringify(raw)}`);
  }
}

export const logout: RouteHandler = async (req, url, deps) => {
  const { user, session } = await authenticateRequest(req, deps);
  const scope = parseScope(url.searchParams.get('scope'));
  await deleteSessions(deps.pool, session ? scope : 'global', user.id, session?.id ?? null);
  return { status: 204 };
};
