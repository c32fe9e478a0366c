/** Co-markers: simultaneous edits converge on what the database holds; presence shows who is where. */
import { expect, test } from '../fixtures/people';
import { makeMarkingAssignment, storedRating } from '../fixtures/marking-records';
import { MarkingGridPage } from '../pages/marking-grid-page';

test('A and B rate the same cell nearly at once: both grids converge to the database value', async ({ teacherA, teacherB }) => {
  const assignment = await makeMarkingAssignment();
  const pupil = assignment.pupilIds[2]!;
  const criterion = assignment.criterionIds[1]!;
  const gridA = new MarkingGridPage(teacherA.page);
  const gridB = new MarkingGridPage(teacherB.page);
  await gridA.open(assignment.id);
  await gridB.open(assignment.id);

  for (const [ratingA, ratingB] of [[1, 3], [0, 2], [3, 1]] as const) {
    await Promise.all([gridA.select(pupil, criterion), gridB.select(pupil, criterion)]);
    await Promise.all([gridA.press(String(ratingA)), gridB.press(String(ratingB))]);
    // Settled: both cells saved and showing the same value (no pending edit on top).
    const shown = async () => {
      const [a, b] = [gridA.cell(pupil, criterion), gridB.cell(pupil, criterion)];
      const [ra, sa, rb, sb] = await Promise.all([a.getAttribute('data-rating'), a.getAttribute('data-status'), b.getAttribute('data-rating'), b.getAttribute('data-status')]);
      return sa === 'synced' && sb === 'synced' && ra === rb && ra !== '' ? Number(ra) : null;
    };
    await expect.poll(shown).not.toBeNull();
    const converged = (await shown())!;
    expect([ratingA, ratingB]).toContain(converged);
    expect(await storedRating(assignment.id, pupil, criterion)).toBe(converged);
  }
});

test('presence: each sees the other and the row they are on; the marker goes when the other leaves', async ({ teacherA, teacherB }) => {
  const assignment = await makeMarkingAssignment();
  const gridA = new MarkingGridPage(teacherA.page);
  const gridB = new MarkingGridPage(teacherB.page);
  await gridA.open(assignment.id);
  await gridB.open(assignment.id);
  const [pupilOfA, pupilOfB] = [assignment.pupilIds[3]!, assignment.pupilIds[5]!];

  await gridA.select(pupilOfA, assignment.criterionIds[0]!);
  await gridB.select(pupilOfB, assignment.criterionIds[2]!);

  await expect(gridA.markers).toHaveCount(1);
  await expect(gridA.markers).toContainText('Bea Brown');
  await expect(gridA.rowMarkers(pupilOfB)).toHaveText('BB');
  await expect(gridB.markers).toContainText('Alex Adams');
  await expect(gridB.rowMarkers(pupilOfA)).toHaveText('AA');

  // B moves down a row with the keyboard; A sees the marker follow.
  await gridB.press('ArrowDown');
  const nextOfB = await teacherB.page.locator('[role="gridcell"][data-row][tabindex="0"]').evaluate((cell) =>
    cell.closest('[role="row"]')!.getAttribute('data-pupil-id'),
  );
  await expect(gridA.rowMarkers(nextOfB!)).toHaveText('BB');
  await expect(gridA.rowMarkers(pupilOfB)).toHaveCount(0);

  await teacherB.page.close();
  await expect(gridA.markers).toHaveCount(0);
  await expect(gridA.presence).toHaveText('Nobody else is marking this assignment');
  await expect(gridA.grid.getByTestId('row-markers')).toHaveCount(0);
});
