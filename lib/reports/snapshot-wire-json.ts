/**
 * A report page hands its first snapshot to the browser's store as one JSON string, not as an
 * object prop. React's RSC serialiser visits every value of an object prop (~11,000 on a
 * 120 × 12 group page), and the server's own render parses them all back into arrays that live
 * as long as the render; those were the largest thing each group page request left in V8's old
 * generation (sampling heap profiler, objects that outlived a young-generation collection). A
 * string crosses as one value and its parsed arrays die as soon as the store has decoded them.
 *
 * The string is parsed on both sides of that boundary, so it is checked here: each long list in
 * one loop (document-checks.ts), short lists with plain zod. References between lists (an index
 * into `ids`, `levels`, `groupSets`) are decodeSnapshot's to check (snapshot-wire.ts).
 */
import { z } from 'zod';
import { columnOf, isIndex, isNullableNumber, isNullableText, isNumber, isText, tuplesOf } from './document-checks';
import type { SnapshotWire } from './snapshot-wire';

const isIndexList = (value: unknown): value is number[] => Array.isArray(value) && value.every(isIndex);

const unitRowColumnsSchema = z.object({
  pupil: columnOf('id indexes', isIndex),
  unit: columnOf('id indexes', isIndex),
  groupSet: columnOf('group set indexes', isIndex),
  groupSets: columnOf('lists of id indexes', isIndexList),
  assignmentsCounted: columnOf('numbers', isNumber),
  criteriaRated: columnOf('numbers', isNumber),
  averageRating: columnOf('numbers', isNumber),
  level: columnOf('level indexes', isIndex),
  levels: columnOf('strings', isText),
  lastFeedbackAt: columnOf('timestamps or nulls', isNullableText).nullable(),
  sourceVersion: columnOf('numbers', isNumber),
});

const snapshotWireSchema = z.object({
  // Strings, not checked as uuids: the overview of a large school has one per readable pupil,
  // and every one is looked up by reference when decoded.
  ids: columnOf('ids', isText),
  bands: z.array(z.object({ workingLevel: z.string(), label: z.string(), minAverage: z.number(), maxAverage: z.number() })),
  groups: z.array(z.object({ id: z.string(), name: z.string(), subject: z.string(), yearGroup: z.number() })),
  units: z.array(z.object({ id: z.string(), name: z.string(), position: z.number() })),
  assignments: z.array(z.object({ id: z.string(), unitId: z.string(), title: z.string(), setOn: z.string(), dueOn: z.string().nullable() })),
  criteria: z.array(z.object({ id: z.string(), unitId: z.string(), position: z.number(), description: z.string() })),
  groupStats: z.array(
    z.object({ groupId: z.string(), workingLevel: z.string(), rowsCounted: z.number(), criteriaRated: z.number(), weightedHundredths: z.number() }),
  ),
  pupils: tuplesOf('pupils', [isIndex, isText, isText, isIndexList, isNullableNumber, isNullableText, isNullableNumber, isNullableNumber]),
  unitRows: unitRowColumnsSchema,
  criterionRows: tuplesOf('criterion rows', [isIndex, isIndex, isIndex, isIndex, isNumber, isNumber, isText]),
}) satisfies z.ZodType<SnapshotWire>;

export class SnapshotJsonError extends Error {
  constructor(message: string) {
    super(`report snapshot JSON: ${message}`);
    this.name = 'SnapshotJsonError';
  }
}

export function snapshotWireToJson(wire: SnapshotWire): string {
  return JSON.stringify(wire);
}

/** The wire form back from snapshotWireToJson's string; a string of any other shape throws SnapshotJsonError. */
export function snapshotWireFromJson(json: string): SnapshotWire {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new SnapshotJsonError(error instanceof Error ? error.message : 'not JSON');
  }
  const parsed = snapshotWireSchema.safeParse(value);
  if (!parsed.success) throw new SnapshotJsonError(z.prettifyError(parsed.error));
  return parsed.data;
}
