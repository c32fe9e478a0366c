'use server';
/** Sign-out: end the session with the request's client, then back to /login. */
import { redirect } from 'next/navigation';
import { signOut } from '@/lib/auth/sign-in';
import { createSupabaseServerClient } from '@/lib/supabase/server';

export async function signOutAction(): Promise<void> {
  await signOut(await createSupabaseServerClient());
  redirect('/login');
}
