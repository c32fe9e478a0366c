/**
 * Two teachers of 10Sc1 on one assignment, each in their own browser context: a mark shows
 * in the other grid without a reload, the list page's progress moves, and the pupil's unit
 * average lands in both grids when the report worker (started by the e2e global setup)
 * has recalculated.
 */
import { expect, test } from '../fixtures/people';
import { cachedUnitAverage, makeMarkingAssignment, storedRating } from '../fixtures/marking-records';
import { AssignmentsPage } from '../pages/assignments-page';
import { MarkingGridPage } from '../pages/marking-grid-page';

test('teacher A rates a cell; teacher B sees it live, and both see the unit average land', async ({ teacherA, teacherB }) => {
  const assignment = await makeMarkingAssignment();
  const [pupil] = assignment.pupilIds;
  const [first, second] = assignment.criterionIds;
  const gridA = new MarkingGridPage(teacherA.page);
  const gridB = new MarkingGridPage(teacherB.page);
  await gridA.open(assignment.id);
  await gridB.open(assignment.id);

  await gridA.rate(pupil!, first!, 3);
  await gridA.expectSaved(pupil!, first!, 3);
  await gridB.expectSaved(pupil!, first!, 3);
  expect(await storedRating(assignment.id, pupil!, first!)).toBe(3);

  await gridB.rate(pupil!, second!, 1);
  await gridA.expectSaved(pupil!, second!, 1);

  // The worker recalculates the pupil (a fresh unit: only these two marks, 3 and 1); the
  // cached row arrives over realtime in both grids.
  await expect.poll(() => cachedUnitAverage(pupil!, assignment.unitId), { timeout: 20_000 }).toBe(2);
  const average = 2;
  for (const grid of [gridA, gridB]) {
    await expect(grid.average(pupil!)).toContainText(average.toFixed(2), { timeout: 20_000 });
    await expect(grid.average(pupil!)).toHaveAttribute('data-updating', 'false');
  }
});

test('the assignments list shows marking progress that moves while a colleague marks', async ({ teacherA, teacherB }) => {
  const assignment = await makeMarkingAssignment();
  const list = new AssignmentsPage(teacherB.page);
  await list.open();
  const total = assignment.pupilIds.length * assignment.criterionIds.length;
  await expect(list.progress(assignment.id)).toHaveText(`0 / ${total} marked`);

  const grid = new MarkingGridPage(teacherA.page);
  await grid.open(assignment.id);
  await grid.rate(assignment.pupilIds[0]!, assignment.criterionIds[0]!, 2);
  await expect(list.progress(assignment.id)).toHaveText(`1 / ${total} marked`);
  await grid.rate(assignment.pupilIds[1]!, assignment.criterionIds[0]!, 0);
  await expect(list.progress(assignment.id)).toHaveText(`2 / ${total} marked`);
});
