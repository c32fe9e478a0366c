/** Marking without a mouse, filling a whole column in one go, and undoing your own last edit. */
import { expect, test } from '../fixtures/people';
import { makeMarkingAssignment, storedRating } from '../fixtures/marking-records';
import { MarkingGridPage } from '../pages/marking-grid-page';

test('keyboard only: a whole pupil row is marked with digits and Tab; Enter moves down; Delete clears', async ({ teacherA }) => {
  const assignment = await makeMarkingAssignment();
  const grid = new MarkingGridPage(teacherA.page);
  await grid.open(assignment.id);
  const firstRow = await grid.grid.locator('[role="row"][data-pupil-id]').first().getAttribute('data-pupil-id');
  const secondRow = await grid.grid.locator('[role="row"][data-pupil-id]').nth(1).getAttribute('data-pupil-id');
  const [c1, c2, c3, c4] = assignment.criterionIds;

  await grid.cell(firstRow!, c1!).focus(); // the grid's one tab stop
  await grid.press('2', 'Tab', '3', 'Tab', '1', 'Tab', '0');
  for (const [criterion, rating] of [[c1, 2], [c2, 3], [c3, 1], [c4, 0]] as const) {
    await grid.expectSaved(firstRow!, criterion!, rating);
    expect(await storedRating(assignment.id, firstRow!, criterion!)).toBe(rating);
  }
  await grid.press('Tab'); // wraps to the next pupil's first criterion
  await expect(grid.cell(secondRow!, c1!)).toBeFocused();
  await grid.press('3', 'ArrowUp', 'Delete', 'Enter');
  await grid.expectSaved(firstRow!, c1!, null);
  await grid.expectSaved(secondRow!, c1!, 3);
  await expect(grid.cell(secondRow!, c1!)).toBeFocused();
  await grid.press('ArrowRight', 'ArrowRight', 'ArrowLeft');
  await expect(grid.cell(secondRow!, c2!)).toBeFocused();
});

test('bulk fill sets a whole criterion column in one transaction; Ctrl+Z undoes it', async ({ teacherA }) => {
  const assignment = await makeMarkingAssignment();
  const grid = new MarkingGridPage(teacherA.page);
  await grid.open(assignment.id);
  const [c1, c2] = assignment.criterionIds;
  const firstPupil = assignment.pupilIds[0]!;
  await grid.rate(firstPupil, c2!, 1); // one mark already there, which the fill overwrites

  await grid.fillColumn(firstPupil, c2!, 3);
  await expect(grid.saveState).toHaveText('All marks saved');
  for (const pupil of assignment.pupilIds) expect(await storedRating(assignment.id, pupil, c2!)).toBe(3);
  await grid.expectSaved(firstPupil, c2!, 3);
  await grid.expectSaved(firstPupil, c1!, null); // other columns untouched

  await grid.cell(firstPupil, c2!).focus();
  await grid.undo();
  await grid.expectSaved(firstPupil, c2!, 1);
  for (const pupil of assignment.pupilIds.slice(1)) expect(await storedRating(assignment.id, pupil, c2!)).toBeNull();
  expect(await storedRating(assignment.id, firstPupil, c2!)).toBe(1);
});

test('undo restores the previous mark of your last single edit', async ({ teacherA }) => {
  const assignment = await makeMarkingAssignment();
  const grid = new MarkingGridPage(teacherA.page);
  await grid.open(assignment.id);
  const pupil = assignment.pupilIds[1]!;
  const criterion = assignment.criterionIds[0]!;
  await grid.rate(pupil, criterion, 1);
  await grid.expectSaved(pupil, criterion, 1);
  await grid.select(pupil, criterion);
  await grid.press('3');
  await grid.expectSaved(pupil, criterion, 3);
  await grid.undo();
  await grid.expectSaved(pupil, criterion, 1);
  expect(await storedRating(assignment.id, pupil, criterion)).toBe(1);
});
