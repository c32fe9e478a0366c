/**
 * Heads of department watch reports while teachers mark: the cohort view and the pupil page
 * update without a reload (teacher's write → report worker → Realtime) and flash what changed.
 */
import { FIRST_PAINT_ROWS } from '../../../components/reports/heatmap-first-paint';
import { makeLargeAssignment, removeLargeAssignment } from '../fixtures/marking-records';
import { DEMO_PASSWORD, PEOPLE, expect, test } from '../fixtures/people';
import { SEED, signInMarker } from '../fixtures/report-marking';
import { GroupReportPage } from '../pages/group-report-page';
import { PupilReportPage } from '../pages/pupil-report-page';

test('the head of department sees a heatmap cell, the distribution and the pupil page update while teacher A marks', async ({ headOfScience }) => {
  const pupil = SEED.pupil(3);
  const unit = SEED.units.reactions; // unit 3: nothing marked in the seed
  const cohort = new GroupReportPage(headOfScience.page);
  const pupilTab = new PupilReportPage(await headOfScience.context.newPage());

  await cohort.open(SEED.groups.sc10a);
  await pupilTab.open(pupil);
  const cell = await cohort.cell(pupil, unit);
  await expect(cell).toHaveAttribute('data-level', 'none');
  await expect(pupilTab.unit(unit)).toHaveCount(0);

  const teacherA = await signInMarker(PEOPLE.teacherA, DEMO_PASSWORD);
  for (const criterion of [1, 2, 3, 4]) {
    await teacherA.rate({ groupId: SEED.groups.sc10a, unitId: unit, pupilId: pupil, criterion, rating: 3 });
  }
  // The report worker (started by the e2e setup) recalculates the pupil; Realtime brings the rows.
  // (While feedback is newer than the cache the row says "recalculating"; that transient state
  // is covered by stores/report-store.test.ts, here it may already be over.)
  await expect(cell).toHaveAttribute('data-level', 'exceeding');
  // The level's own colour (LEVEL_STYLE.exceeding, #2e6f95), not the unknown-level grey.
  await expect(cell).toHaveCSS('border-left-color', 'rgb(46, 111, 149)');
  await expect(cell).toContainText('3.00');
  await expect(cell).toHaveAttribute('data-changed', 'true');
  await expect(cohort.distributionCount(unit, 'exceeding')).toHaveText('1');
  await expect(cohort.recalculating(pupil)).toHaveCount(0);

  await expect(pupilTab.unitAverage(unit)).toHaveText('3.00');
  await expect(pupilTab.unit(unit)).toHaveAttribute('data-changed', 'true');
  await expect(pupilTab.page.getByTestId('recalculating')).toHaveCount(0);

  // A second change to the same cell moves the numbers again, still without a reload.
  await teacherA.rate({ groupId: SEED.groups.sc10a, unitId: unit, pupilId: pupil, criterion: 1, rating: 0 });
  await expect(cell).toContainText('2.25');
  await expect(cell).toHaveAttribute('data-level', 'secure');
  await expect(cohort.distributionCount(unit, 'exceeding')).toHaveText('0');
  await expect(cohort.distributionCount(unit, 'secure')).toHaveText('1');
  await expect(pupilTab.unitAverage(unit)).toHaveText('2.25');
  await teacherA.signOut();
});

test('a group with no marks in a unit shows the empty state under that filter', async ({ headOfScience }) => {
  const cohort = new GroupReportPage(headOfScience.page);
  await cohort.open(SEED.groups.sc10b);
  await expect(cohort.heatmap).toBeVisible();
  await cohort.filterToUnit('Chemical reactions');
  await expect(cohort.emptyState).toContainText('No marks yet');
});

test('the /reports overview moves a group\'s level counts and average while its teacher marks', async ({ headOfScience }) => {
  const page = headOfScience.page;
  await page.goto('/reports');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  const group = page.locator(`[data-testid="overview-group"][data-group="${SEED.groups.sc10b}"]`);
  const exceeding = group.locator('td[data-level="exceeding"]');
  const exceedingBefore = Number(await exceeding.textContent());
  const averageBefore = (await group.getByTestId('group-average').textContent()) ?? '';

  // A unit nobody has marked in 10Sc2 (see the empty-state test above): one new pupil × unit summary.
  const teacherB = await signInMarker(PEOPLE.teacherB, DEMO_PASSWORD);
  for (const criterion of [1, 2, 3, 4]) {
    await teacherB.rate({ groupId: SEED.groups.sc10b, unitId: SEED.units.reactions, pupilId: SEED.pupil(30), criterion, rating: 3 });
  }
  // Worker → cached row → Realtime → the overview refreshes that group's aggregates; no reload.
  await expect(exceeding).toHaveText(String(exceedingBefore + 1));
  await expect(group.getByTestId('group-average')).not.toHaveText(averageBefore);
  await teacherB.signOut();
});

test('a group bigger than a class: the server sends the first 30 heatmap rows, the browser adds the rest, and its pupil links do not prefetch', async ({ headOfScience }) => {
  const large = await makeLargeAssignment(45, 2);
  try {
    // The server's HTML as it arrives (the context's session cookie, no JavaScript run).
    const html = await (await headOfScience.page.request.get(`/reports/groups/${large.groupId}`)).text();
    expect(html.match(/data-testid="heatmap-row"/g)).toHaveLength(FIRST_PAINT_ROWS);
    expect(html).toContain(`Showing ${45 - FIRST_PAINT_ROWS} more pupils`);

    // Pupil links do not prefetch: a big group in view made one request per row.
    const pupilPageRequests: string[] = [];
    headOfScience.page.on('request', (request) => {
      if (/^\/reports\/[0-9a-f-]{36}$/.test(new URL(request.url()).pathname)) pupilPageRequests.push(request.url());
    });
    const cohort = new GroupReportPage(headOfScience.page);
    await cohort.open(large.groupId);
    await expect(cohort.heatmap.getByTestId('heatmap-row')).toHaveCount(45);
    await expect(cohort.heatmap.getByTestId('heatmap-more')).toHaveCount(0);
    const last = large.pupilIds.at(-1)!;
    await cohort.pupilRow(last).scrollIntoViewIfNeeded();
    await expect(cohort.pupilRow(last)).toBeVisible();
    expect(pupilPageRequests).toEqual([]);

    // A pupil's name still opens their report.
    await cohort.pupilRow(last).getByRole('link').click();
    await expect(headOfScience.page).toHaveURL(new RegExp(`/reports/${last}$`));
    await expect(new PupilReportPage(headOfScience.page).connection).toHaveAttribute('data-state', 'live');
  } finally {
    await removeLargeAssignment(large);
  }
});
