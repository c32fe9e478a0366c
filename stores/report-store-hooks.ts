'use client';
/** Memoising hooks over the report selectors: select normalised inputs shallowly, derive once per change. */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useReportStore } from './report-store-provider';
import {
  selectGroupCohort,
  selectOverviewGroups,
  selectOverviewPupils,
  selectPupilReport,
  selectUnitOptions,
  type GroupCohort,
  type OverviewGroup,
  type OverviewPupil,
  type PupilReportView,
} from './report-store-selectors';


export function useGroupCohort(groupId: string): GroupCohort {
  const inputs = useReportStore(
    useShallow((s) => ({ bands: s.bands, units: s.units, assignments: s.assignments, pupils: s.pupils, unitRows: s.unitRows, changed: s.changed, filters: s.filters })),
  );
  return useMemo(() => selectGroupCohort(inputs, groupId), [inputs, groupId]);
}

export function useOverview(query: string): { groups: OverviewGroup[]; pupils: OverviewPupil[] } {
  const inputs = useReportStore(
    useShallow((s) => ({ bands: s.bands, groups: s.groups, pupils: s.pupils, groupStats: s.groupStats, changed: s.changed })),
  );
  const groups = useMemo(() => selectOverviewGroups(inputs), [inputs]);
  const pupils = useMemo(() => selectOverviewPupils(inputs, query), [inputs, query]);
  return { groups, pupils };
}

export function usePupilReport(pupilId: string): PupilReportView | null {
  const inputs = useReportStore(
    useShallow((s) => ({
      bands: s.bands,
      units: s.units,
      criteria: s.criteria,
      pupils: s.pupils,
      unitRows: s.unitRows,
      criterionRows: s.criterionRows,
      changed: s.changed,
    })),
  );
  return useMemo(() => selectPupilReport(inputs, pupilId), [inputs, pupilId]);
}

export function useUnitOptions(): { id: string; name: string }[] {
  const units = useReportStore((s) => s.units);
  return useMemo(() => selectUnitOptions({ units }), [units]);
}
