/**
 * POST /signup — GoTrue's `Signup` (internal/api/signup.go) for email + password with
 * autoconfirm, the Supabase CLI default: creates the user and its email identity and
 * returns a session at once. Phone sign-up and confirmation mails are not served here.
 */
import { z } from 'zod';
import { badRequest, unprocessable } from '../auth-errors';
import { requestFacts } from '../auth-deps';
import { checkPasswordStrength, normaliseSignupEmail } from '../credential-rules';
import { hashPassword } from '../password-hash';
import { readJsonBody } from '../request-body';
import type { RouteHandler } from '../route-result';
import { issueSession } from '../session-tokens';
import { withTransaction } from '../transaction';
import { findUserByEmail, insertConfirmedEmailUser } from '../user-queries';

const signupBodySchema = z.object({
  email: z.string().optional().default(''),
  phone: z.string().optional().default(''),
  password: z.string().optional().default(''),
  data: z.record(z.string(), z.unknown()).nullish(),
  // Sent by auth-js; captcha and PKCE are not enforced by this local server.
  gotrue_meta_security: z.unknown().optional(),
  code_challenge: z.string().nullish(),
  code_challenge_method: z.string().nullish(),
});

// Postgres unique_violation: a concurrent sign-up with the same email won the race.
const UNIQUE_VIOLATION = '23505';

export const signup: RouteHandler = async (req, _url, deps) => {
  if (!deps.signupEnabled) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
  const body = await readJsonBody(req, signupBodySchema);
  if (body.password === '') throw badRequest('validation_failed', 'Signup requires a valid password');
  checkPasswordStrength(body.password);
  if (body.email !== '' && body.phone !== '') {
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on signup.');
  }
  if (body.email === '') {
    if (body.phone !== '') throw badRequest('phone_provider_disabled', 'Phone signups are disabled');
    throw badRequest('validation_failed', 'Sign up only available with email provider');
  }
  const email = normaliseSignupEmail(body.email);
  const passwordHash = await hashPassword(body.password);
  const facts = requestFacts(req);

  try {
    const session = await withTransaction(deps.pool, async (db) => {
      if (await findUserByEmail(db, email)) throw unprocessable('user_already_exists', 'User already registered');
      const created = await insertConfirmedEmailUser(db, { email, passwordHash, data: body.data ?? {}, now: deps.now() });
      return issueSession(db, deps, facts, created.user.id);
    });
    return { status: 200, body: session };
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === UNIQUE_VIOLATION) {
      throw unprocessable('user_already_exists', 'User already registered');
    }
    throw error;
  }
};
