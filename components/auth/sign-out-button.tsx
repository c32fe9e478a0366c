/** A sign-out button; the action is passed in by the route that owns it. */
import styles from './sign-out-button.module.css';

export function SignOutButton({ action }: { action: () => Promise<void> }) {
  return (
    <form action={action}>
      <button type="submit" className={styles.button}>
        Sign out
      </button>
    </form>
  );
}
