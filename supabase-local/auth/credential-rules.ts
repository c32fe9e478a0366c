/**
 * GoTrue's checks on sign-up input, with its messages: email format
 * (internal/api/mail.go `validateEmail`) and password strength
 * (internal/api/password.go `checkPasswordStrength`, minimum length 6 as in the CLI).
 */
import { AuthError, badRequest } from './auth-errors';

// GoTrue rejects passwords longer than bcrypt's 72-byte input limit.
const MAX_PASSWORD_LENGTH = 72;
// GoTrue's and the Supabase CLI's default `auth.minimum_password_length`.
export const MIN_PASSWORD_LENGTH = 6;
const MAX_EMAIL_LENGTH = 255;
// The format check of github.com/badoux/checkmail, which GoTrue uses.
const EMAIL_FORMAT =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** Returns the email lower-cased, as GoTrue stores it. */
export function normaliseSignupEmail(email: string): string {
  if (email === '') throw badRequest('validation_failed', 'An email address is required');
  if (email.length > MAX_EMAIL_LENGTH) throw badRequest('validation_failed', 'An email address is too long');
  if (!EMAIL_FORMAT.test(email)) throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  return email.toLowerCase();
}

export function checkPasswordStrength(password: string): void {
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw badRequest('validation_failed', `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AuthError(422, 'weak_password', `Password should be at least ${MIN_PASSWORD_LENGTH} characters.`, ['length']);
  }
}
