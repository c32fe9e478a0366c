'use server';
/** Sign-in: parse the form with zod → sign in with the request's client → redirect home. */
import { redirect } from 'next/navigation';
import { actionError } from '@/lib/action-result';
import { signInInputSchema, type SignInInput } from '@/lib/auth/schemas';
import { signInWithPassword, type SignInFormState } from '@/lib/auth/sign-in';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';

const signIn = withTelemetry('action.signIn', async (input: SignInInput) =>
  signInWithPassword(await createSupabaseServerClient(), input),
);

export async function signInAction(_previous: SignInFormState, formData: FormData): Promise<SignInFormState> {
  const typedEmail = String(formData.get('email') ?? '');
  const parsed = signInInputSchema.safeParse({ email: typedEmail, password: formData.get('password') ?? '' });
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'Check the form and try again.';
    return actionError('invalid_input', message, { email: typedEmail });
  }
  const result = await signIn(parsed.data);
  if (!result.ok) return { ...result, fields: { email: typedEmail } };
  redirect('/');
}
