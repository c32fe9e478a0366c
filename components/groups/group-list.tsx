/** Renders the groups a teacher can see; no fetching here (app/page.tsx loads them). */
import type { GroupSummary } from '@/lib/groups/queries';
import styles from './group-list.module.css';

export function GroupList({ groups }: { groups: GroupSummary[] }) {
  if (groups.length === 0) {
    return <p className={styles.empty}>You have no groups yet. An admin assigns teachers to groups.</p>;
  }
  return (
    <ul className={styles.list} aria-label="Your groups">
      {groups.map((group) => (
        <li key={group.id} className={styles.item}>
          <span className={styles.name} data-testid="group-name">
            {group.name}
          </span>
          <span className={styles.meta}>
            {group.subject} · Year {group.yearGroup}
          </span>
        </li>
      ))}
    </ul>
  );
}
