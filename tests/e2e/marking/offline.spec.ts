/** Offline marking: the edit is visibly not saved (with retry), then saved on reconnect; all views converge. */
import { expect, test } from '../fixtures/people';
import { makeMarkingAssignment, storedRating } from '../fixtures/marking-records';
import { MarkingGridPage } from '../pages/marking-grid-page';

test('an edit made offline shows as not saved with a retry, and is saved when back online', async ({ teacherA, teacherB }) => {
  const assignment = await makeMarkingAssignment();
  const pupil = assignment.pupilIds[4]!;
  const [first, second] = assignment.criterionIds;
  const gridA = new MarkingGridPage(teacherA.page);
  const gridB = new MarkingGridPage(teacherB.page);
  await gridA.open(assignment.id);
  await gridB.open(assignment.id);

  await teacherA.context.setOffline(true);
  await expect(gridA.connection).toHaveAttribute('data-state', 'offline');
  await gridA.rate(pupil, first!, 2);
  await expect(gridA.cell(pupil, first!)).toHaveAttribute('data-status', 'failed');
  await expect(gridA.failedEdits).toContainText('not saved');
  await expect(gridA.failedEdits.getByRole('button', { name: 'Retry', exact: true })).toBeVisible();
  // Meanwhile B marks another cell of the same pupil.
  await gridB.rate(pupil, second!, 1);
  await gridB.expectSaved(pupil, second!, 1);
  expect(await storedRating(assignment.id, pupil, first!)).toBeUndefined();

  await teacherA.context.setOffline(false);
  await expect(gridA.connection).toHaveAttribute('data-state', 'live');
  await gridA.expectSaved(pupil, first!, 2);
  await expect(gridA.failedEdits).toHaveCount(0);
  await gridA.expectSaved(pupil, second!, 1); // B's mark, missed while offline, reconciled
  await gridB.expectSaved(pupil, first!, 2);
  expect(await storedRating(assignment.id, pupil, first!)).toBe(2);
});

test('a failed edit can be retried by hand once the connection is back', async ({ teacherA }) => {
  const assignment = await makeMarkingAssignment();
  const pupil = assignment.pupilIds[6]!;
  const criterion = assignment.criterionIds[3]!;
  const grid = new MarkingGridPage(teacherA.page);
  await grid.open(assignment.id);
  // Only the save request fails (the page stays online): the server is unreachable for it.
  await teacherA.page.route('**/results/assignments/**', (route) =>
    route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue(),
  );
  await grid.rate(pupil, criterion, 3);
  await expect(grid.cell(pupil, criterion)).toHaveAttribute('data-status', 'failed');
  await expect(grid.cell(pupil, criterion)).toHaveAttribute('data-rating', ''); // rolled back
  await teacherA.page.unroute('**/results/assignments/**');
  await grid.failedEdits.getByRole('button', { name: 'Retry', exact: true }).click();
  await grid.expectSaved(pupil, criterion, 3);
  expect(await storedRating(assignment.id, pupil, criterion)).toBe(3);
});
