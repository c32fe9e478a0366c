/** GET /user — the signed-in user, as GoTrue's `UserGet` returns it. */
import { authenticateRequest } from '../authenticate-request';
import type { RouteHandler } from '../route-result';
import { findIdentities } from '../user-queries';
import { userJson } from '../user-shape';

export const getUser: RouteHandler = async (req, _url, deps) => {
  const { user } = await authenticateRequest(req, deps);
  return { status: 200, body: userJson(user, await findIdentities(deps.pool, user.id)) };
};
