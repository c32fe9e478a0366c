import Link from 'next/link';
import { redirect } from 'next/navigation';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { GroupList } from '@/components/groups/group-list';
import { getCurrentUser } from '@/lib/auth/current-user';
import { listVisibleGroups } from '@/lib/groups/queries';
import { createSupabaseServerClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import { signOutAction } from './sign-out-action';
import styles from './page.module.css';

const loadHome = withTelemetry(
  'loader.home',
  async () => {
    const supabase = await createSupabaseServerClient();
    const user = await getCurrentUser(supabase);
    return user ? { user, groups: await listVisibleGroups(supabase) } : null;
  },
  { rowCount: (home) => home?.groups.length },
);

export default async function HomePage() {
  const home = await loadHome();
  if (!home) redirect('/login');
  const { user, groups } = home;
  return (
    <>
      <header className={styles.header}>
        <span className={styles.brand}>Markbook Live</span>
        <nav aria-label="Main" className={styles.nav}>
          <Link href="/results/assignments">Mark assignments</Link>
          <Link href="/reports">Reports</Link>
        </nav>
        <span className={styles.user}>
          <span data-testid="signed-in-as">{user.email}</span>
          <SignOutButton action={signOutAction} />
        </span>
      </header>
      <main className={styles.main}>
        <h1 className={styles.title}>Your groups</h1>
        <GroupList groups={groups} />
      </main>
    </>
  );
}
