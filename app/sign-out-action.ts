'use server';
/** Sign-out: end the session with the request's client, then back to /login. */
import { redirect } from 'next/navigation';
import { signOut } from '@/lib/auth/sign-out';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';

const endSession = withTelemetry('action.signOut', async () => signOut(await createSupabaseServerClient()));

export async function signOutAction(): Promise<void> {
  await endSession();
  redirect('/login');
}
