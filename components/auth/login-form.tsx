'use client';
/**
 * The sign-in form. Renders the action's result (error text, the email typed so far);
 * the server action itself lives beside the route (app/login/sign-in-action.ts).
 */
import { useActionState } from 'react';
import type { SignInFormState } from '@/lib/auth/sign-in';
import styles from './login-form.module.css';

type SignInAction = (previous: SignInFormState, formData: FormData) => Promise<SignInFormState>;

export function LoginForm({ action }: { action: SignInAction }) {
  const [state, formAction, pending] = useActionState(action, null);
  const error = state && !state.ok ? state : null;
  return (
    <form action={formAction} className={styles.form} aria-label="Sign in" noValidate>
      <label className={styles.field}>
        <span>Email</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={error?.fields?.email ?? ''}
          aria-invalid={error ? true : undefined}
        />
      </label>
      <label className={styles.field}>
        <span>Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={error ? true : undefined}
        />
      </label>
      {error ? (
        <p role="alert" className={styles.error}>
          {error.message}
        </p>
      ) : null}
      <button type="submit" className={styles.submit} disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
