/**
 * REPORTS_SOURCE=live serves the same numbers as the cache: every demo group and pupil the
 * head of science and teacher C can read, loaded through the page snapshot loaders both ways.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, inject, test } from 'vitest';
import { loadReportSnapshot } from '@/lib/reports/report-snapshot';
import type { Database } from '@/lib/supabase/database.types';
import type { ReportSnapshot } from '@/stores/report-store';

const stack = inject('stack');
const GROUPS = ['c0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000004'];

async function signedIn(email: string): Promise<SupabaseClient<Database>> {
  const client = createClient<Database>(stack.apiUrl, stack.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { error } = await client.auth.signInWithPassword({ email, password: 'markbook-demo' });
  if (error) throw new Error(`sign in ${email}: ${error.message}`);
  return client;
}

/** The numbers a page shows, in a stable order. */
function numbers(snapshot: ReportSnapshot | null) {
  return (snapshot?.unitRows ?? [])
    .map((r) => [r.pupilId, r.unitId, r.averageRating, r.workingLevel, r.assignmentsCounted, r.criteriaRated, r.sourceVersion, r.lastFeedbackAt].join('|'))
    .sort();
}

describe('REPORTS_SOURCE=live equals cache', () => {
  test.each(['hod.science@markbook.test', 'teacher.c@markbook.test'])('%s: every group and pupil', async (email) => {
    const client = await signedIn(email);
    let compared = 0;
    for (const groupId of GROUPS) {
      const [cache, live] = await Promise.all([
        loadReportSnapshot(client, { kind: 'group', groupId }, 'cache'),
        loadReportSnapshot(client, { kind: 'group', groupId }, 'live'),
      ]);
      expect(live === null).toBe(cache === null);
      expect(numbers(live)).toEqual(numbers(cache));
      for (const pupil of cache?.pupils ?? []) {
        const [pupilCache, pupilLive] = await Promise.all([
          loadReportSnapshot(client, { kind: 'pupil', pupilId: pupil.pupilId }, 'cache'),
          loadReportSnapshot(client, { kind: 'pupil', pupilId: pupil.pupilId }, 'live'),
        ]);
        expect(numbers(pupilLive)).toEqual(numbers(pupilCache));
        compared += pupilCache?.unitRows.length ?? 0;
      }
    }
    expect(compared).toBeGreaterThan(0);
  }, 120_000);
});
