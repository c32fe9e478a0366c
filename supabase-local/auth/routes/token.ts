/**
 * POST /token — dispatches on `grant_type` as GoTrue's `Token` does (internal/api/token.go).
 * GoTrue answers an unknown grant type with 400, error code `invalid_credentials` and the
 * message "unsupported_grant_type"; so does this server.
 */
import { badRequest } from '../auth-errors';
import type { RouteHandler } from '../route-result';
import { passwordGrant } from './password-grant';
import { refreshTokenGrant } from './refresh-token-grant';

const GRANTS: Record<string, RouteHandler> = {
  password: passwordGrant,
  refresh_token: refreshTokenGrant,
};

export const token: RouteHandler = async (req, url, deps) => {
  const grant = Object.hasOwn(GRANTS, url.searchParams.get('grant_type') ?? '') ? GRANTS[url.searchParams.get('grant_type') ?? ''] : undefined;
  if (!grant) throw badRequest('invalid_credentials', 'unsupported_grant_type');
  return grant(req, url, deps);
};
