/**
 * POST /token — dispatches on `grant_type` as GoTrue's `Token` does (internal/api/token.go).
 * GoTrue answers an unknown grant type with 400, error code `invalid_credentials` and the
 * message "unsupported_grant_type"; so does this server.
 */
import { badRequest } from '../auth-errors';
import type { RouteHandler } from '../route-result';
import { passwordGrant } from './password-grant';
import { refreshTokenGrant } from './refresh-token-grant';

function grantFor(grantType: string | null): RouteHandler | undefined {
  switch (grantType) {
    case 'password':
      return passwordGrant;
    case 'refresh_token':
      return refreshTokenGrant;
    default:
      return undefined;
  }
}

export const token: RouteHandler = async (req, url, deps) => {
  const grant = grantFor(url.searchParams.get('grant_type'));
  if (!grant) throw badRequest('invalid_credentials', 'unsupported_grant_type');
  return grant(req, url, deps);
};
