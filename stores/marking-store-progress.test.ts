/** The assignments list store: progress replaces rows by id; sections are stable between updates. */
import { describe, expect, it } from 'vitest';
import type { ProgressRow } from '@/lib/marking/schemas';
import { createProgressStore, selectProgress, selectProgressSections } from './marking-store-progress';

const base = { setOn: '2026-09-07', dueOn: null, groupId: 'g', unitId: 'u', unitPosition: 1, pupils: 25, criteria: 4 };
const rows: ProgressRow[] = [
  { ...base, assignmentId: 'a1', title: 'Task 1', groupName: '10Sc1', unitName: 'Cells', cellsRated: 0 },
  { ...base, assignmentId: 'a2', title: 'Task 2', groupName: '10Sc1', unitName: 'Cells', cellsRated: 10 },
  { ...base, assignmentId: 'a3', title: 'Task 3', groupName: '11Sc1', unitName: 'Forces', cellsRated: 100 },
];

describe('progress store', () => {
  it('groups by group and unit, and returns the same sections until the names change', () => {
    const store = createProgressStore(rows);
    const sections = selectProgressSections(store.getState());
    expect(sections.map((s) => s.ids)).toEqual([['a1', 'a2'], ['a3']]);
    store.getState().progressReceived([{ ...rows[0]!, cellsRated: 5 }]);
    expect(selectProgressSections(store.getState())).toBe(sections);
  });

  it('progress is cells rated of pupils x criteria', () => {
    const store = createProgressStore(rows);
    expect(selectProgress('a2')(store.getState())).toEqual({ marked: 10, total: 100, percent: 10 });
    store.getState().progressReceived([{ ...rows[1]!, cellsRated: 11 }]);
    expect(selectProgress('a2')(store.getState())).toEqual({ marked: 11, total: 100, percent: 11 });
    expect(selectProgress('missing')(store.getState())).toEqual({ marked: 0, total: 0, percent: 0 });
  });
});
