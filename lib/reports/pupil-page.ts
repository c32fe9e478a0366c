/**
 * /reports/[pupilId]'s snapshot in one call: reports_pupil_page (migration 20261122092000)
 * returns the pupil, their readable groups, the bands, units, unit rows and criteria as
 * compact arrays. Parsed with zod, turned into the report store's snapshot, REPORTS_SOURCE
 * honoured as loadPupilReport does: `live` computes the unit rows now; `cache` reads them,
 * and when a pupil with rated feedback has no cached rows it serves the computed ones once
 * and enqueues the pupil's recalculation. Null: no such pupil, or not readable.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Database } from '@/lib/supabase/database.types';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import type { ReportSnapshot } from '@/stores/report-store';
import { arrayIndex, at, bandTuples, nullableNumeric, pageDocument, servePage, toBands, toUnits, unitTuples } from './page-document-parts';
import { requestRecalc, type ReportsSource, type ServedFrom } from './report-source';
import { numericColumn } from './unit-summary-columns';

type Client = SupabaseClient<Database>;
const num = numericColumn;

const pupilPageSchema = z.object({
  pupil: z.tuple([z.guid(), z.string(), z.string(), z.array(z.guid()), nullableNumeric, z.string().nullable(), nullableNumeric, nullableNumeric]),
  groups: z.array(z.tuple([z.guid(), z.string(), z.string(), num])),
  bands: bandTuples,
  units: unitTuples,
  rows: z.array(z.tuple([arrayIndex, z.array(z.guid()), num, num, num, z.string(), z.string(), num])),
  criteria: z.array(z.tuple([z.guid(), arrayIndex, num, z.string(), z.guid(), num, num, z.string()])),
});
type PupilPageDocument = z.output<typeof pupilPageSchema>;

export type PupilPageSnapshot = { snapshot: ReportSnapshot; servedFrom: ServedFrom };

function toSnapshot(page: PupilPageDocument): ReportSnapshot {
  const [pupilId, firstName, lastName, groupIds, overallAverage, workingLevel, cachedVersion, feedbackVersion] = page.pupil;
  const units = toUnits(page.units);
  return {
    bands: toBands(page.bands),
    groups: page.groups.map(([id, name, subject, yearGroup]) => ({ id, name, subject, yearGroup })),
    units,
    assignments: [],
    criteria: page.criteria.map(([id, unit, position, description]) => ({ id, unitId: at(units, unit).id, position, description })),
    pupils: [{ pupilId, firstName, lastName, groupIds, overallAverage, workingLevel, cachedVersion, feedbackVersion }],
    unitRows: page.rows.map(([unit, rowGroupIds, assignmentsCounted, criteriaRated, averageRating, level, lastFeedbackAt, sourceVersion]) => ({
      pupilId,
      unitId: at(units, unit).id,
      groupIds: rowGroupIds,
      assignmentsCounted,
      criteriaRated,
      averageRating,
      workingLevel: level,
      lastFeedbackAt,
      sourceVersion,
    })),
    criterionRows: page.criteria.map(([successCriterionId, unit, , , groupId, rating, version, updatedAt]) => ({
      pupilId,
      successCriterionId,
      unitId: at(units, unit).id,
      groupId,
      rating,
      version,
      updatedAt,
    })),
    groupStats: [],
  };
}

async function fetchPupilPage(client: Client, pupilId: string, live: boolean): Promise<PupilPageDocument | null> {
  return pageDocument(pupilPageSchema, await client.rpc('reports_pupil_page', { p_pupil_id: pupilId, p_live: live }));
}

async function loadPupilPage(client: Client, pupilId: string, source: ReportsSource): Promise<PupilPageSnapshot | null> {
  const served = await servePage({
    source,
    fetchPage: (live) => fetchPupilPage(client, pupilId, live),
    rowCount: (page) => page.rows.length,
    requestRecalc: () => requestRecalc(client, [pupilId]),
  });
  return served && { snapshot: toSnapshot(served.document), servedFrom: served.servedFrom };
}

/** The pupil page's snapshot as the caller (RLS decides), or null when they cannot see the pupil. */
export function loadPupilPageSnapshot(client: Client, pupilId: string, source: ReportsSource): Promise<PupilPageSnapshot | null> {
  // Telemetry logs the pupil and source, not the client.
  const load = withTelemetry(
    'loader.pupilPage',
    (params: { pupilId: string; source: ReportsSource }) => loadPupilPage(client, params.pupilId, params.source),
    { rowCount: (page) => page?.snapshot.unitRows.length },
  );
  return load({ pupilId, source });
}
