/** Ends the session: tells Supabase Auth, and clears the session cookies either way. */
import { actionError, actionOk, type ActionResult } from '@/lib/action-result';
import type { TypedSupabaseClient } from '@/lib/supabase/server';

export async function signOut(supabase: TypedSupabaseClient): Promise<ActionResult<null>> {
  const { error } = await supabase.auth.signOut();
  // Sign-out clears the local session even if the server call fails.
  if (error && error.status !== 401 && error.status !== 403) {
    return actionError('unavailable', 'Sign-out did not reach the server; your session was cleared here.');
  }
  return actionOk(null);
}
