/**
 * grant_type=password — GoTrue's `ResourceOwnerPasswordGrant` for email sign-in: any
 * mismatch (no such user, no password, wrong password) is the same 400
 * `invalid_credentials` "Invalid login credentials"; an unconfirmed email is
 * `email_not_confirmed`. Phone sign-in is not served here.
 */
import { z } from 'zod';
import { badRequest, unprocessable } from '../auth-errors';
import { requestFacts } from '../auth-deps';
import { passwordMatches } from '../password-hash';
import { readJsonBody } from '../request-body';
import type { RouteHandler } from '../route-result';
import { issueSession } from '../session-tokens';
import { withTransaction } from '../transaction';
import { findUserByEmail, isBanned } from '../user-queries';

const passwordGrantBodySchema = z.object({
  email: z.string().optional().default(''),
  phone: z.string().optional().default(''),
  password: z.string().optional().default(''),
  gotrue_meta_security: z.unknown().optional(),
});

const INVALID_LOGIN_MESSAGE = 'Invalid login credentials';

export const passwordGrant: RouteHandler = async (req, _url, deps) => {
  const body = await readJsonBody(req, passwordGrantBodySchema);
  if (body.email !== '' && body.phone !== '') {
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on login.');
  }
  if (body.email === '') {
    if (body.phone !== '') throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
    throw badRequest('validation_failed', 'missing email or phone');
  }
  const user = await findUserByEmail(deps.pool, body.email);
  if (!user || !user.encrypted_password) throw badRequest('invalid_credentials', INVALID_LOGIN_MESSAGE);
  if (isBanned(user, deps.now())) throw badRequest('user_banned', 'User is banned');
  if (!(await passwordMatches(body.password, user.encrypted_password))) throw badRequest('invalid_credentials', INVALID_LOGIN_MESSAGE);
  if (!user.email_confirmed_at) throw badRequest('email_not_confirmed', 'Email not confirmed');

  const facts = requestFacts(req);
  const session = await withTransaction(deps.pool, (db) => issueSession(db, deps, facts, user.id));
  return { status: 200, body: session };
};
