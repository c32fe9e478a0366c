/** Another group's assignment, or one that does not exist, gets a clear page — never an empty grid. */
import { expect, test } from '../fixtures/people';
import { SEED, seededAssignmentId } from '../fixtures/marking-records';
import { MarkingGridPage } from '../pages/marking-grid-page';

test('teacher C opening a 10Sc1 assignment is told it belongs to a group they do not teach', async ({ teacherC }) => {
  const grid = new MarkingGridPage(teacherC.page);
  await teacherC.page.goto(`/results/assignments/${seededAssignmentId(SEED.group10Sc1, SEED.unitChemicalReactions)}`);
  await expect(grid.accessProblem).toHaveAttribute('data-kind', 'not_authorized');
  await expect(teacherC.page.getByRole('heading', { level: 1 })).toHaveText('You cannot open this assignment');
  await expect(grid.grid).toHaveCount(0);
});

test('an assignment that does not exist (or a malformed id) is reported as not found', async ({ teacherA }) => {
  const grid = new MarkingGridPage(teacherA.page);
  for (const id of ['00000000-0000-4000-8000-00000000dead', 'not-a-uuid']) {
    await teacherA.page.goto(`/results/assignments/${id}`);
    await expect(grid.accessProblem).toHaveAttribute('data-kind', 'not_found');
    await expect(teacherA.page.getByRole('heading', { level: 1 })).toHaveText('Assignment not found');
  }
});
