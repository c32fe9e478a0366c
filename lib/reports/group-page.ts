/**
 * /reports/groups/[groupId]'s snapshot in one call: reports_group_page (migration
 * 20261122090000) returns the group, bands, units, assignments, pupils and cells as compact
 * arrays, the cells pointing into the pupils and units by index. Parsed with zod (indexes
 * checked against their arrays), turned into the report store's snapshot, and REPORTS_SOURCE
 * honoured: `live` computes the cells now; `cache` reads them, and when a group with rated
 * feedback has no cached rows at all it serves the computed ones once and enqueues those
 * pupils' recalculation (as loadGroupReport does). Null: no such group, or not readable.
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
const index = arrayIndex;

const groupPageSchema = z.object({
  group: z.object({ id: z.guid(), name: z.string(), subject: z.string(), year_group: num }),
  bands: bandTuples,
  units: unitTuples,
  assignments: z.array(z.tuple([z.guid(), index, z.string(), z.string(), z.string().nullable()])),
  pupils: z.array(
    z.tuple([z.guid(), z.string(), z.string(), z.array(z.guid()), nullableNumeric, z.string().nullable(), nullableNumeric, nullableNumeric]),
  ),
  cells: z.array(z.tuple([index, index, num, num, num, z.string(), z.string(), num])),
});
type GroupPageDocument = z.output<typeof groupPageSchema>;

export type GroupPageSnapshot = { snapshot: ReportSnapshot; servedFrom: ServedFrom };

function toSnapshot(page: GroupPageDocument): ReportSnapshot {
  const groupId = page.group.id;
  const units = toUnits(page.units);
  const pupilIds = page.pupils.map(([pupilId]) => pupilId);
  return {
    bands: toBands(page.bands),
    groups: [{ id: groupId, name: page.group.name, subject: page.group.subject, yearGroup: page.group.year_group }],
    units,
    assignments: page.assignments.map(([id, unit, title, setOn, dueOn]) => ({ id, unitId: at(units, unit).id, title, setOn, dueOn })),
    criteria: [],
    pupils: page.pupils.map(([pupilId, firstName, lastName, groupIds, overallAverage, workingLevel, cachedVersion, feedbackVersion]) => ({
      pupilId,
      firstName,
      lastName,
      groupIds,
      overallAverage,
      workingLevel,
      cachedVersion,
      feedbackVersion,
    })),
    unitRows: page.cells.map(([pupil, unit, assignmentsCounted, criteriaRated, averageRating, workingLevel, lastFeedbackAt, sourceVersion]) => ({
      pupilId: at(pupilIds, pupil),
      unitId: at(units, unit).id,
      // The page's cells are exactly the rows this group fed.
      groupIds: [groupId],
      assignmentsCounted,
      criteriaRated,
      averageRating,
      workingLevel,
      lastFeedbackAt,
      sourceVersion,
    })),
    criterionRows: [],
    groupStats: [],
  };
}

async function fetchGroupPage(client: Client, groupId: string, live: boolean): Promise<GroupPageDocument | null> {
  return pageDocument(groupPageSchema, await client.rpc('reports_group_page', { p_group_id: groupId, p_live: live }));
}

async function loadGroupPage(client: Client, groupId: string, source: ReportsSource): Promise<GroupPageSnapshot | null> {
  const served = await servePage({
    source,
    fetchPage: (live) => fetchGroupPage(client, groupId, live),
    rowCount: (page) => page.cells.length,
    requestRecalc: (page) => requestRecalc(client, new Set(page.cells.map(([pupil]) => at(page.pupils, pupil)[0]))),
  });
  return served && { snapshot: toSnapshot(served.document), servedFrom: served.servedFrom };
}

/** The group page's snapshot as the caller (RLS decides), or null when they cannot see the group. */
export function loadGroupPageSnapshot(client: Client, groupId: string, source: ReportsSource): Promise<GroupPageSnapshot | null> {
  // Telemetry logs the group and source, not the client.
  const load = withTelemetry(
    'loader.groupPage',
    (params: { groupId: string; source: ReportsSource }) => loadGroupPage(client, params.groupId, params.source),
    { rowCount: (page) => page?.snapshot.unitRows.length },
  );
  return load({ groupId, source });
}
