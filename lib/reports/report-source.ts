/**
 * The report loaders behind /reports/[pupilId] and /reports/groups/[groupId], and the
 * REPORTS_SOURCE rollback switch, which every report page honours (the /reports overview's
 * unit rows through loadVisibleUnitRows in report-snapshot.ts):
 *   cache (default) — the cached tables (reports_pupil_units / reports_group_units /
 *                     reports_visible_unit_rows). When a pupil or group page finds no
 *                     cached rows but there is rated feedback, the rows are served once
 *                     from the on-demand procedure and a recalculation is enqueued
 *                     (reports_request_recalc), so the next read is fast again.
 *   live            — always the on-demand procedures (reports_pupil_units_on_demand /
 *                     reports_group_units_on_demand / reports_visible_unit_rows_on_demand):
 *                     instant rollback, no deploy.
 * One RPC per load in the normal case; the loaders run as the signed-in user (RLS) and are
 * wrapped in withTelemetry. Errors are stable codes; no Postgres text leaves this module.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Database } from '@/lib/supabase/database.types';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import { groupUnitRowSchema, pupilUnitRowSchema, type GroupUnitRow, type PupilUnitRow } from './report-rows';

export const ReportsSource = { cache: 'cache', live: 'live' } as const;
export type ReportsSource = (typeof ReportsSource)[keyof typeof ReportsSource];

const reportsSourceSchema = z.enum(['cache', 'live']).default('cache');

/** REPORTS_SOURCE, read per call so flipping the env var (and restarting) rolls back. */
export function reportsSourceFromEnv(env: Record<string, string | undefined> = process.env): ReportsSource {
  const parsed = reportsSourceSchema.safeParse(env.REPORTS_SOURCE?.trim().toLowerCase() || undefined);
  if (!parsed.success) throw new Error(`REPORTS_SOURCE must be "cache" or "live", not ${JSON.stringify(env.REPORTS_SOURCE)}`);
  return parsed.data;
}

/** Where the rows came from: the cache, the on-demand procedure by choice, or after a cache miss. */
export type ServedFrom = 'cache' | 'live' | 'cache_miss_live';

export type PupilReport = { pupilId: string; units: PupilUnitRow[]; servedFrom: ServedFrom };
export type GroupReport = { groupId: string; rows: GroupUnitRow[]; servedFrom: ServedFrom };

export const ReportLoadErrorCode = { notAuthorized: 'not_authorized', unavailable: 'unavailable' } as const;
export type ReportLoadErrorCode = (typeof ReportLoadErrorCode)[keyof typeof ReportLoadErrorCode];

export class ReportLoadError extends Error {
  constructor(readonly code: ReportLoadErrorCode) {
    super(code === 'not_authorized' ? 'You cannot see this report.' : 'Reports are unavailable right now. Try again shortly.');
    this.name = 'ReportLoadError';
  }
}

type RpcError = { code?: string | null } | null;

export function loadError(error: RpcError): ReportLoadError {
  return new ReportLoadError(error?.code === '42501' ? 'not_authorized' : 'unavailable');
}

function parseRows<T>(schema: z.ZodType<T>, data: unknown): T[] {
  const parsed = z.array(schema).safeParse(data ?? []);
  if (!parsed.success) throw new ReportLoadError('unavailable');
  return parsed.data;
}

type Client = SupabaseClient<Database>;

/** Best effort: a failed enqueue must not fail the page (the rows are already served). */
export async function requestRecalc(client: Client, pupilIds: Iterable<string>): Promise<void> {
  await Promise.all([...pupilIds].map((pupilId) => client.rpc('reports_request_recalc', { p_pupil_id: pupilId })));
}

export async function loadPupilReport(
  client: Client,
  pupilId: string,
  source: ReportsSource = reportsSourceFromEnv(),
): Promise<PupilReport> {
  const load = withTelemetry(
    'loader.pupilReport',
    async (params: { pupilId: string; source: ReportsSource }): Promise<PupilReport> => {
      const onDemand = async (servedFrom: ServedFrom): Promise<PupilReport> => {
        const { data, error } = await client.rpc('reports_pupil_units_on_demand', { p_pupil_id: params.pupilId });
        if (error) throw loadError(error);
        return { pupilId: params.pupilId, units: parseRows(pupilUnitRowSchema, data), servedFrom };
      };
      if (params.source === 'live') return onDemand('live');
      const { data, error } = await client.rpc('reports_pupil_units', { p_pupil_id: params.pupilId });
      if (error) throw loadError(error);
      const units = parseRows(pupilUnitRowSchema, data);
      if (units.length > 0) return { pupilId: params.pupilId, units, servedFrom: 'cache' };
      // No cached rows: either nothing rated yet, or the cache missed this pupil.
      const fallback = await onDemand('cache_miss_live');
      if (fallback.units.length === 0) return { ...fallback, servedFrom: 'cache' };
      await requestRecalc(client, [params.pupilId]);
      return fallback;
    },
    { rowCount: (report) => report.units.length },
  );
  return load({ pupilId, source });
}

export async function loadGroupReport(
  client: Client,
  groupId: string,
  source: ReportsSource = reportsSourceFromEnv(),
): Promise<GroupReport> {
  const load = withTelemetry(
    'loader.groupReport',
    async (params: { groupId: string; source: ReportsSource }): Promise<GroupReport> => {
      const onDemand = async (servedFrom: ServedFrom): Promise<GroupReport> => {
        const { data, error } = await client.rpc('reports_group_units_on_demand', { p_group_id: params.groupId });
        if (error) throw loadError(error);
        return { groupId: params.groupId, rows: parseRows(groupUnitRowSchema, data), servedFrom };
      };
      if (params.source === 'live') return onDemand('live');
      const { data, error } = await client.rpc('reports_group_units', { p_group_id: params.groupId });
      if (error) throw loadError(error);
      const rows = parseRows(groupUnitRowSchema, data);
      if (rows.length > 0) return { groupId: params.groupId, rows, servedFrom: 'cache' };
      // An empty cached group: serve on demand once and enqueue every pupil it shows.
      const fallback = await onDemand('cache_miss_live');
      if (fallback.rows.length === 0) return { ...fallback, servedFrom: 'cache' };
      await requestRecalc(client, new Set(fallback.rows.map((row) => row.pupilId)));
      return fallback;
    },
    { rowCount: (report) => report.rows.length },
  );
  return load({ groupId, source });
}
