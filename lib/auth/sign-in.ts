/**
 * Password sign-in through Supabase Auth with the request's cookie-backed client, mapping
 * GoTrue's error codes to stable, user-safe ones (GoTrue's own text never reaches the page).
 */
import { actionError, actionOk, type ActionResult } from '@/lib/action-result';
import type { TypedSupabaseClient } from '@/lib/supabase/server';
import type { SignInInput } from './schemas';

export const SIGN_IN_ERRORS = {
  invalid_credentials: 'Wrong email or password.',
  unavailable: 'Sign-in is unavailable right now. Please try again.',
} as const;

export type SignInErrorCode = keyof typeof SIGN_IN_ERRORS;

/** The sign-in form's state: nothing yet, or the last failed attempt (success redirects). */
export type SignInFormState = ActionResult<null> | null;

export async function signInWithPassword(
  supabase: TypedSupabaseClient,
  input: SignInInput,
): Promise<ActionResult<{ userId: string }>> {
  const { data, error } = await supabase.auth.signInWithPassword({ email: input.email, password: input.password });
  if (error || !data.user) {
    // 400 invalid_credentials is the documented answer for a wrong email or password;
    // anything else (network, 5xx) is an outage, not the user's mistake.
    const code: SignInErrorCode =
      error?.code === 'invalid_credentials' || (error?.status === 400 && !error.code) ? 'invalid_credentials' : 'unavailable';
    return actionError(code, SIGN_IN_ERRORS[code], { email: input.email });
  }
  return actionOk({ userId: data.user.id });
}
