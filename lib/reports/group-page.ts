/**
 * /reports/groups/[groupId]'s snapshot in one call: reports_group_page (migrations
 * 20261122090000, 20261123090000) returns the group, bands, units, assignments and pupils as
 * compact arrays and the cells as column arrays pointing into the pupils and units by index.
 * Parsed with zod (each long list checked in one loop, indexes checked against their arrays),
 * turned into the report store's wire form (snapshot-wire.ts) directly, and REPORTS_SOURCE
 * honoured: `live` computes the cells now; `cache` reads them, and when a group with rated
 * feedback has no cached rows at all it serves the computed ones once and enqueues those
 * pupils' recalculation (as loadGroupReport does). Null: no such group, or not readable.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { Database } from '@/lib/supabase/database.types';
import { withTelemetry } from '@/lib/telemetry/with-telemetry';
import type { GroupInfo } from '@/stores/report-store';
import {
  columnOf,
  indexesBelow,
  isGuid,
  isGuidList,
  isIndex,
  isNullableNumber,
  isNullableText,
  isNumber,
  isText,
  sameLength,
  tuplesOf,
} from './document-checks';
import { arrayIndex, at, bandTuples, pageDocument, servePage, toBands, toUnits, unitTuples } from './page-document-parts';
import { requestRecalc, type ReportsSource, type ServedFrom } from './report-source';
import { groupSetTable, IdTable, levelTable, type PupilTuple, type SnapshotWire } from './snapshot-wire';
import { numericColumn } from './unit-summary-columns';

type Client = SupabaseClient<Database>;

const cellColumns = z.object({
  pupil: columnOf('pupil indexes', isIndex),
  unit: columnOf('unit indexes', isIndex),
  assignments_counted: columnOf('numbers', isNumber),
  criteria_rated: columnOf('numbers', isNumber),
  average_rating: columnOf('numbers', isNumber),
  working_level: columnOf('strings', isText),
  source_version: columnOf('numbers', isNumber),
});

const groupPageSchema = z
  .object({
    group: z.object({ id: z.guid(), name: z.string(), subject: z.string(), year_group: numericColumn }),
    bands: bandTuples,
    units: unitTuples,
    assignments: z.array(z.tuple([z.guid(), arrayIndex, z.string(), z.string(), z.string().nullable()])),
    pupils: tuplesOf('pupils', [isGuid, isText, isText, isGuidList, isNullableNumber, isNullableText, isNullableNumber, isNullableNumber]),
    cells: cellColumns,
  })
  // Cells point into the document's own pupils and units: a reference past the end is a broken
  // document, not a silently missing row.
  .refine(
    ({ cells, pupils, units }) =>
      sameLength(Object.values(cells), cells.pupil.length) && indexesBelow(cells.pupil, pupils.length) && indexesBelow(cells.unit, units.length),
    { message: 'cells do not fit the pupils and units' },
  );
type GroupPageDocument = z.output<typeof groupPageSchema>;

export type GroupPageWire = { wire: SnapshotWire; servedFrom: ServedFrom };

/**
 * The document as the report store's wire form, without building a row object per cell: the
 * cells' value columns are handed on as they are, and only the two index columns are renumbered
 * into the wire's id table.
 */
function toWire(page: GroupPageDocument): SnapshotWire {
  const group: GroupInfo = { id: page.group.id, name: page.group.name, subject: page.group.subject, yearGroup: page.group.year_group };
  const units = toUnits(page.units);
  const ids = new IdTable();
  ids.ref(group.id);
  const unitRefs = units.map((unit) => ids.ref(unit.id));
  const pupils = page.pupils.map(
    ([pupilId, firstName, lastName, groupIds, overallAverage, workingLevel, cachedVersion, feedbackVersion]): PupilTuple => [
      ids.ref(pupilId),
      firstName,
      lastName,
      ids.refs(groupIds),
      overallAverage,
      workingLevel,
      cachedVersion,
      feedbackVersion,
    ],
  );
  const { cells } = page;
  const levels = levelTable();
  const groupSets = groupSetTable();
  // The page's cells are exactly the rows this group fed.
  const thisGroup = groupSets.ref([ids.ref(group.id)]);
  return {
    ids: ids.ids,
    bands: toBands(page.bands),
    groups: [group],
    units,
    assignments: page.assignments.map(([id, unit, title, setOn, dueOn]) => ({ id, unitId: at(units, unit).id, title, setOn, dueOn })),
    criteria: [],
    groupStats: [],
    pupils,
    unitRows: {
      pupil: cells.pupil.map((p) => pupils[p]![0]),
      unit: cells.unit.map((u) => unitRefs[u]!),
      groupSet: cells.pupil.map(() => thisGroup),
      groupSets: groupSets.values,
      assignmentsCounted: cells.assignments_counted,
      criteriaRated: cells.criteria_rated,
      averageRating: cells.average_rating,
      level: cells.working_level.map((level) => levels.ref(level)),
      levels: levels.values,
      // Not shown on this page, so not read (migration 20261123090000).
      lastFeedbackAt: null,
      sourceVersion: cells.source_version,
    },
    criterionRows: [],
  };
}

async function fetchGroupPage(client: Client, groupId: string, live: boolean): Promise<GroupPageDocument | null> {
  return pageDocument(groupPageSchema, await client.rpc('reports_group_page', { p_group_id: groupId, p_live: live }));
}

async function loadGroupPage(client: Client, groupId: string, source: ReportsSource): Promise<GroupPageWire | null> {
  const served = await servePage({
    source,
    fetchPage: (live) => fetchGroupPage(client, groupId, live),
    rowCount: (page) => page.cells.pupil.length,
    requestRecalc: (page) => requestRecalc(client, new Set(page.cells.pupil.map((pupil) => at(page.pupils, pupil)[0]))),
  });
  return served && { wire: toWire(served.document), servedFrom: served.servedFrom };
}

/** The group page's snapshot (wire form) as the caller (RLS decides), or null when they cannot see the group. */
export function loadGroupPageWire(client: Client, groupId: string, source: ReportsSource): Promise<GroupPageWire | null> {
  // Telemetry logs the group and source, not the client.
  const load = withTelemetry(
    'loader.groupPage',
    (params: { groupId: string; source: ReportsSource }) => loadGroupPage(client, params.groupId, params.source),
    { rowCount: (page) => page?.wire.unitRows.pupil.length },
  );
  return load({ groupId, source });
}
