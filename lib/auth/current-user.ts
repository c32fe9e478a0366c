/**
 * The signed-in user for this request, verified by Supabase Auth's signing key: getClaims
 * checks the ES256 access token locally against the project's JWKS (fetched once, cached for
 * ten minutes) instead of asking the Auth server, on the local stack as on a hosted project.
 * Null when signed out.
 */
import type { TypedSupabaseClient } from '@/lib/supabase/server';

export type CurrentUser = { id: string; email: string | null };

export async function getCurrentUser(supabase: TypedSupabaseClient): Promise<CurrentUser | null> {
  const { data, error } = await supabase.auth.getClaims();
  if (error || !data) return null;
  const { sub, email } = data.claims;
  return { id: sub, email: typeof email === 'string' ? email : null };
}
