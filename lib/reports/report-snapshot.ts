/**
 * Snapshots for the live report pages: what a page renders first and what the realtime
 * adapter refetches on every (re)subscribe. The group and pupil pages are one RPC each
 * (group-page.ts, pupil-page.ts); the overview's parts are one RPC or one select each with
 * explicit columns, wrapped in withTelemetry, run in parallel as the signed-in user (RLS).
 * Every page follows REPORTS_SOURCE: the page RPCs' p_live, and for the overview
 * loadGroupStats. Returns null when the user may not see the group/pupil (or it does not
 * exist): the pages answer both with the same not-found page. loadVisibleUnitRows (every
 * readable unit row, cached or computed) is not a page's loader any more; the parity tests
 * read the row-level functions the overview's aggregates are built on through it.
 */
import { z } from 'zod';
import { getCurrentUser } from '@/lib/auth/current-user';
import type { Database } from '@/lib/supabase/database.types';
import type { TypedSupabaseClient } from '@/lib/supabase/server';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import type { ReportScope, ReportSnapshot } from '@/stores/report-store';
import {
  bandSchema,
  groupInfoSchema,
  groupStatsRowSchema,
  unitSummaryRowSchema,
  visiblePupilSchema,
} from './report-page-rows';
import { loadGroupPageWire } from './group-page';
import { loadPupilPageSnapshot } from './pupil-page';
import { ReportLoadError, reportsSourceFromEnv, type ReportsSource } from './report-source';
import { decodeSnapshot, encodeSnapshot, type SnapshotWire } from './snapshot-wire';

type Client = TypedSupabaseClient;

function parseAll<T>(schema: z.ZodType<T>, data: unknown): T[] {
  const parsed = z.array(schema).safeParse(data ?? []);
  if (!parsed.success) throw new ReportLoadError('unavailable');
  return parsed.data;
}

function check(error: { code?: string | null } | null): void {
  if (error) throw new ReportLoadError(error.code === '42501' ? 'not_authorized' : 'unavailable');
}

export const loadWorkingLevelBands = withTelemetry('loader.workingLevelBands', async (client: Client) => {
  const { data, error } = await client.rpc('working_level_bands');
  check(error);
  return parseAll(bandSchema, data);
});

export const loadVisibleGroups = withTelemetry(
  'loader.visibleGroups',
  async (client: Client, ids: string[] | null = null) => {
    let query = client.from('groups').select('id, name, subject, year_group').order('name', { ascending: true });
    if (ids) query = query.in('id', ids);
    const { data, error } = await query;
    check(error);
    return parseAll(groupInfoSchema, data);
  },
);

/** The pupil list per source: summaries cached, or computed now (migration 20261122096000). */
const visiblePupilsRpc = {
  cache: 'reports_visible_pupils',
  live: 'reports_visible_pupils_on_demand',
} as const satisfies Record<ReportsSource, keyof Database['public']['Functions']>;

export const loadVisiblePupils = withTelemetry(
  'loader.visiblePupils',
  async (client: Client, filter: { groupId?: string; pupilId?: string }, source: ReportsSource = reportsSourceFromEnv()) => {
    const { data, error } = await client.rpc(visiblePupilsRpc[source], {
      ...(filter.groupId ? { p_group_id: filter.groupId } : {}),
      ...(filter.pupilId ? { p_pupil_id: filter.pupilId } : {}),
    });
    check(error);
    return parseAll(visiblePupilSchema, data);
  },
);

/** The overview's unit rows per source: the cache, or the same rows computed now (migration 20261122080000). */
const visibleUnitRowsRpc = {
  cache: 'reports_visible_unit_rows',
  live: 'reports_visible_unit_rows_on_demand',
} as const satisfies Record<ReportsSource, keyof Database['public']['Functions']>;

export const loadVisibleUnitRows = withTelemetry(
  'loader.visibleUnitRows',
  async (client: Client, source: ReportsSource = reportsSourceFromEnv()) => {
    const { data, error } = await client.rpc(visibleUnitRowsRpc[source]);
    check(error);
    return parseAll(unitSummaryRowSchema, data);
  },
);

/**
 * The overview's per-group aggregates (reports_overview_group_stats): of every readable group,
 * or of `groupIds` only (the live refresh after a change in them). REPORTS_SOURCE-aware.
 */
export const loadGroupStats = withTelemetry(
  'loader.groupStats',
  async (client: Client, groupIds: string[] | null, source: ReportsSource = reportsSourceFromEnv()) => {
    const { data, error } = await client.rpc('reports_overview_group_stats', {
      ...(groupIds ? { p_group_ids: groupIds } : {}),
      p_live: source === 'live',
    });
    check(error);
    return parseAll(groupStatsRowSchema, data);
  },
);

async function overviewSnapshot(client: Client, source: ReportsSource): Promise<ReportSnapshot> {
  const [bands, groups, pupils, groupStats] = await Promise.all([
    loadWorkingLevelBands(client),
    loadVisibleGroups(client),
    loadVisiblePupils(client, {}, source),
    loadGroupStats(client, null, source),
  ]);
  // The groups table comes from the aggregates; the overview keeps no unit rows.
  return { bands, groups, units: [], assignments: [], criteria: [], pupils, unitRows: [], criterionRows: [], groupStats };
}

async function groupSnapshot(client: Client, groupId: string, source: ReportsSource): Promise<ReportSnapshot | null> {
  const page = await loadGroupPageWire(client, groupId, source);
  return page && decodeSnapshot(page.wire);
}

async function pupilSnapshot(client: Client, pupilId: string, source: ReportsSource): Promise<ReportSnapshot | null> {
  return (await loadPupilPageSnapshot(client, pupilId, source))?.snapshot ?? null;
}

export const reportScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('overview') }),
  z.object({ kind: z.literal('group'), groupId: z.guid() }),
  z.object({ kind: z.literal('pupil'), pupilId: z.guid() }),
]);

export type SignedInSnapshot = { signedIn: false } | { signedIn: true; wire: SnapshotWire | null };

/**
 * A page's user and snapshot, fetched at the same time (the user check verifies the session's
 * token against the project's signing key, lib/auth/current-user.ts; the snapshot's RPCs run
 * as the request's session under RLS whoever it turns out to be, and are discarded when nobody
 * is signed in).
 */
export async function loadSignedInSnapshot(client: Client, scope: ReportScope): Promise<SignedInSnapshot> {
  const [user, snapshot] = await Promise.all([
    getCurrentUser(client),
    loadReportWire(client, scope).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
  ]);
  if (!user) return { signedIn: false };
  if (!snapshot.ok) throw snapshot.error;
  return { signedIn: true, wire: snapshot.value };
}

/**
 * The snapshot of one page in its wire form (what the pages and loadReportSnapshotAction send
 * to the browser), or null when the caller cannot see that group/pupil. The group page's comes
 * straight from its RPC's columns, without a row object per cell.
 */
export async function loadReportWire(
  client: Client,
  scope: ReportScope,
  source: ReportsSource = reportsSourceFromEnv(),
): Promise<SnapshotWire | null> {
  if (scope.kind === 'group') return (await loadGroupPageWire(client, scope.groupId, source))?.wire ?? null;
  const snapshot = await loadReportSnapshot(client, scope, source);
  return snapshot && encodeSnapshot(snapshot);
}

/** The snapshot of one page as the store's objects, or null when the caller cannot see that group/pupil. */
export async function loadReportSnapshot(
  client: Client,
  scope: ReportScope,
  source: ReportsSource = reportsSourceFromEnv(),
): Promise<ReportSnapshot | null> {
  switch (scope.kind) {
    case 'overview':
      return overviewSnapshot(client, source);
    case 'group':
      return groupSnapshot(client, scope.groupId, source);
    case 'pupil':
      return pupilSnapshot(client, scope.pupilId, source);
  }
}
