/**
 * Derived report maths, as exported pure selectors over the report store's state (the
 * memoising hooks in report-store-hooks.ts hand them to components, which never compute).
 *
 * Averages are means over rated cells: each (pupil, unit) average is weighted by the
 * criteria it rated, so a group's unit average equals the mean of every rating in it.
 * Aggregated averages are rounded to 2 dp and read through the same working-level bands as
 * the database (working_level_bands()).
 */
import {
  criterionRowKey,
  pupilKey,
  unitRowKey,
  type ReportState,
  type UnitRow,
  type WorkingLevelBand,
} from './report-store';

export type Distribution = { workingLevel: string; label: string; count: number }[];

export type CohortUnit = {
  unitId: string;
  unitName: string;
  position: number;
  average: number | null;
  workingLevel: string | null;
  pupilsCounted: number;
  distribution: Distribution;
};

export type CohortPupil = {
  pupilId: string;
  name: string;
  average: number | null;
  workingLevel: string | null;
  recalculating: boolean;
  /**
   * The pupil's row for each visible unit, in the units' order (null: none). The store's own
   * rows, not a new object per cell: the server renders only the first rows of a big group
   * (components/reports/heatmap.tsx), and 1,440 cell objects built for it were ~130 KB of what
   * each group page request left in the old generation.
   */
  cells: (UnitRow | null)[];
};

export type GroupCohort = {
  units: CohortUnit[];
  /** The store's live changes (key → version) when there are any: see cellChangedVersion. */
  changed: Record<string, number> | null;
  pupils: CohortPupil[];
  average: number | null;
  workingLevel: string | null;
  distribution: Distribution;
  rowsCounted: number;
};

export function workingLevelFor(bands: WorkingLevelBand[], average: number | null): string | null {
  if (average === null) return null;
  return bands.find((band) => average >= band.minAverage && average < band.maxAverage)?.workingLevel ?? null;
}

export function labelFor(bands: WorkingLevelBand[], workingLevel: string | null): string {
  if (workingLevel === null) return 'No marks yet';
  return bands.find((band) => band.workingLevel === workingLevel)?.label ?? workingLevel;
}

/**
 * The weighted mean from its exact parts: Σ average × 100 × weight (an integer, as the 2-dp
 * averages are) over Σ weight, to 2 dp; null when nothing is rated. The overview gets these
 * parts from the database (reports_overview_group_stats), the other pages sum their rows:
 * same integers, same rounding, so the two can never disagree in the last digit.
 */
export function averageFromHundredths(weightedHundredths: number, weight: number): number | null {
  return weight === 0 ? null : Math.round(weightedHundredths / weight) / 100;
}

/** Mean over rated cells of some (pupil, unit) rows, 2 dp; null when nothing is rated. */
export function weightedAverage(rows: Pick<UnitRow, 'averageRating' | 'criteriaRated'>[]): number | null {
  let hundredths = 0;
  let weight = 0;
  for (const row of rows) {
    hundredths += Math.round(row.averageRating * 100) * row.criteriaRated;
    weight += row.criteriaRated;
  }
  return averageFromHundredths(hundredths, weight);
}

export function distributionOf(bands: WorkingLevelBand[], rows: Pick<UnitRow, 'workingLevel'>[]): Distribution {
  return bands.map((band) => ({
    workingLevel: band.workingLevel,
    label: band.label,
    count: rows.filter((row) => row.workingLevel === band.workingLevel).length,
  }));
}

/** Whether the pupil has feedback newer than the cached summary (the worker has not caught up). */
export function selectIsRecalculating(state: Pick<ReportState, 'pupils'>, pupilId: string): boolean {
  const pupil = state.pupils[pupilId];
  if (!pupil || pupil.feedbackVersion === null) return false;
  return pupil.feedbackVersion > (pupil.cachedVersion ?? -1);
}

type CohortInputs = Pick<ReportState, 'bands' | 'units' | 'assignments' | 'pupils' | 'unitRows' | 'changed' | 'filters'>;

/** Units shown for a group under the filters: chosen units whose assignments were set in the date range. */
export function selectVisibleUnitIds(state: Pick<ReportState, 'units' | 'assignments' | 'filters'>): string[] {
  const { unitIds, from, to } = state.filters;
  const inRange = new Set<string>();
  for (const assignment of Object.values(state.assignments)) {
    if (from && assignment.setOn < from) continue;
    if (to && assignment.setOn > to) continue;
    inRange.add(assignment.unitId);
  }
  return Object.values(state.units)
    .filter((unit) => (unitIds === null || unitIds.includes(unit.id)) && (!(from || to) || inRange.has(unit.id)))
    .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
    .map((unit) => unit.id);
}

export function selectGroupCohort(state: CohortInputs, groupId: string): GroupCohort {
  const unitIds = selectVisibleUnitIds(state);
  const pupils = Object.values(state.pupils)
    .filter((pupil) => pupil.groupIds.includes(groupId))
    .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || a.pupilId.localeCompare(b.pupilId));
  const changed = Object.keys(state.changed).length > 0 ? state.changed : null;

  const allRows: UnitRow[] = [];
  const rowsByUnit: UnitRow[][] = unitIds.map(() => []);
  const cohortPupils: CohortPupil[] = pupils.map((pupil) => {
    const rows: UnitRow[] = [];
    const pupilRows = state.unitRows[pupil.pupilId];
    const cells = unitIds.map((unitId, unitIndex) => {
      const row = pupilRows?.[unitId];
      if (!row || !row.groupIds.includes(groupId)) return null;
      rows.push(row);
      rowsByUnit[unitIndex]!.push(row);
      return row;
    });
    allRows.push(...rows);
    const average = weightedAverage(rows);
    return {
      pupilId: pupil.pupilId,
      name: `${pupil.firstName} ${pupil.lastName}`,
      average,
      workingLevel: workingLevelFor(state.bands, average),
      recalculating: selectIsRecalculating(state, pupil.pupilId),
      cells,
    };
  });

  const units: CohortUnit[] = unitIds.map((unitId, unitIndex) => {
    const unit = state.units[unitId];
    const rows = rowsByUnit[unitIndex]!;
    const average = weightedAverage(rows);
    return {
      unitId,
      unitName: unit?.name ?? 'Unknown unit',
      position: unit?.position ?? 0,
      average,
      workingLevel: workingLevelFor(state.bands, average),
      pupilsCounted: rows.length,
      distribution: distributionOf(state.bands, rows),
    };
  });

  const average = weightedAverage(allRows);
  return {
    units,
    changed,
    pupils: cohortPupils,
    average,
    workingLevel: workingLevelFor(state.bands, average),
    distribution: distributionOf(state.bands, allRows),
    rowsCounted: allRows.length,
  };
}

/** The version that changed a heatmap cell live (its flash), if any. Live changes are few: only then is a key built. */
export function cellChangedVersion(cohort: Pick<GroupCohort, 'changed'>, pupilId: string, unitId: string): number | undefined {
  return cohort.changed ? cohort.changed[unitRowKey(pupilId, unitId)] : undefined;
}

export type OverviewGroup = {
  groupId: string;
  name: string;
  subject: string;
  yearGroup: number;
  pupilCount: number;
  average: number | null;
  workingLevel: string | null;
  distribution: Distribution;
  rowsCounted: number;
  recalculatingCount: number;
};

export type OverviewPupil = {
  pupilId: string;
  name: string;
  groupNames: string[];
  overallAverage: number | null;
  workingLevel: string | null;
  label: string;
  recalculating: boolean;
  changedVersion: number | undefined;
};

type OverviewInputs = Pick<ReportState, 'bands' | 'groups' | 'pupils' | 'groupStats' | 'changed'>;

/** Each readable group with its pupils and the database's aggregates of their unit summaries. */
export function selectOverviewGroups(state: OverviewInputs): OverviewGroup[] {
  const pupils = Object.values(state.pupils);
  return Object.values(state.groups)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((group) => {
      const stats = state.groupStats[group.id] ?? [];
      const members = pupils.filter((pupil) => pupil.groupIds.includes(group.id));
      let rowsCounted = 0;
      let weight = 0;
      let hundredths = 0;
      for (const level of stats) {
        rowsCounted += level.rowsCounted;
        weight += level.criteriaRated;
        hundredths += level.weightedHundredths;
      }
      const average = averageFromHundredths(hundredths, weight);
      return {
        groupId: group.id,
        name: group.name,
        subject: group.subject,
        yearGroup: group.yearGroup,
        pupilCount: members.length,
        average,
        workingLevel: workingLevelFor(state.bands, average),
        distribution: state.bands.map((band) => ({
          workingLevel: band.workingLevel,
          label: band.label,
          count: stats.find((level) => level.workingLevel === band.workingLevel)?.rowsCounted ?? 0,
        })),
        rowsCounted,
        recalculatingCount: members.filter((pupil) => selectIsRecalculating(state, pupil.pupilId)).length,
      };
    });
}

/** Pupils whose name contains every word of the query (case- and accent-insensitive). */
export function selectOverviewPupils(state: OverviewInputs, query: string): OverviewPupil[] {
  const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  return Object.values(state.pupils)
    .filter((pupil) => {
      const name = fold(`${pupil.firstName} ${pupil.lastName}`);
      return words.every((word) => name.includes(word));
    })
    .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || a.pupilId.localeCompare(b.pupilId))
    .map((pupil) => ({
      pupilId: pupil.pupilId,
      name: `${pupil.firstName} ${pupil.lastName}`,
      groupNames: pupil.groupIds.map((id) => state.groups[id]?.name).filter((name): name is string => Boolean(name)),
      overallAverage: pupil.overallAverage,
      workingLevel: pupil.workingLevel,
      label: labelFor(state.bands, pupil.workingLevel),
      recalculating: selectIsRecalculating(state, pupil.pupilId),
      changedVersion: state.changed[pupilKey(pupil.pupilId)],
    }));
}

export type PupilUnitView = {
  unitId: string;
  unitName: string;
  position: number;
  averageRating: number;
  workingLevel: string;
  label: string;
  assignmentsCounted: number;
  criteriaRated: number;
  lastFeedbackAt: string | null;
  changedVersion: number | undefined;
  criteria: { id: string; position: number; description: string; rating: number | null; ratingLabel: string; changedVersion: number | undefined }[];
};

export type PupilReportView = {
  name: string;
  overallAverage: number | null;
  workingLevel: string | null;
  label: string;
  recalculating: boolean;
  changedVersion: number | undefined;
  units: PupilUnitView[];
};

type PupilInputs = Pick<ReportState, 'bands' | 'units' | 'criteria' | 'pupils' | 'unitRows' | 'criterionRows' | 'changed'>;

export function ratingLabel(bands: WorkingLevelBand[], rating: number | null): string {
  // The rating scale's labels match the bands' (rating_scale() and working_level_bands()).
  if (rating === null) return 'Not rated';
  return bands[rating]?.label ?? String(rating);
}

export function selectPupilReport(state: PupilInputs, pupilId: string): PupilReportView | null {
  const pupil = state.pupils[pupilId];
  if (!pupil) return null;
  const units = Object.values(state.unitRows[pupilId] ?? {})
    .map((row): PupilUnitView => {
      const unit = state.units[row.unitId];
      const criteria = Object.values(state.criteria)
        .filter((criterion) => criterion.unitId === row.unitId)
        .sort((a, b) => a.position - b.position)
        .map((criterion) => {
          const rated = state.criterionRows[criterionRowKey(pupilId, criterion.id)];
          return {
            id: criterion.id,
            position: criterion.position,
            description: criterion.description,
            rating: rated?.rating ?? null,
            ratingLabel: ratingLabel(state.bands, rated?.rating ?? null),
            changedVersion: state.changed[criterionRowKey(pupilId, criterion.id)],
          };
        });
      return {
        unitId: row.unitId,
        unitName: unit?.name ?? 'Unknown unit',
        position: unit?.position ?? 0,
        averageRating: row.averageRating,
        workingLevel: row.workingLevel,
        label: labelFor(state.bands, row.workingLevel),
        assignmentsCounted: row.assignmentsCounted,
        criteriaRated: row.criteriaRated,
        lastFeedbackAt: row.lastFeedbackAt,
        changedVersion: state.changed[unitRowKey(pupilId, row.unitId)],
        criteria,
      };
    })
    .sort((a, b) => a.position - b.position || a.unitName.localeCompare(b.unitName));
  return {
    name: `${pupil.firstName} ${pupil.lastName}`,
    overallAverage: pupil.overallAverage,
    workingLevel: pupil.workingLevel,
    label: labelFor(state.bands, pupil.workingLevel),
    recalculating: selectIsRecalculating(state, pupilId),
    changedVersion: state.changed[pupilKey(pupilId)],
    units,
  };
}

export const selectConnection = (state: ReportState) => state.connection;
export const selectFilters = (state: ReportState) => state.filters;
export const selectBands = (state: ReportState) => state.bands;

/** The group's units for the unit filter, in curriculum order. */
export function selectUnitOptions(state: Pick<ReportState, 'units'>): { id: string; name: string }[] {
  return Object.values(state.units)
    .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
    .map((unit) => ({ id: unit.id, name: unit.name }));
}

