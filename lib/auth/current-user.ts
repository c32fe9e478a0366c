/**
 * The signed-in user for this request, verified by Supabase Auth (getClaims checks the JWT;
 * with the HS256 keys of a local stack it asks the Auth server). Null when signed out.
 */
import type { TypedSupabaseClient } from '@/lib/supabase/server';

export type CurrentUser = { id: string; email: string | null };

export async function getCurrentUser(supabase: TypedSupabaseClient): Promise<CurrentUser | null> {
  const { data, error } = await supabase.auth.getClaims();
  if (error || !data) return null;
  const { sub, email } = data.claims;
  return { id: sub, email: typeof email === 'string' ? email : null };
}
