import type { Metadata } from 'next';
import { LoginForm } from '@/components/auth/login-form';
import { signInAction } from './sign-in-action';
import styles from './page.module.css';

export const metadata: Metadata = { title: 'Sign in · Markbook Live' };

export default function LoginPage() {
  return (
    <main className={styles.main}>
      <section className={styles.card}>
        <h1 className={styles.title}>Markbook Live</h1>
        <p className={styles.lead}>Sign in with your school account.</p>
        <LoginForm action={signInAction} />
      </section>
    </main>
  );
}
