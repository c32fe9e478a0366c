/** Teachers see only their own groups' reports, on screen and in the CSV export. */
import { parse } from 'csv-parse/sync';
import { DEMO_PASSWORD, PEOPLE, expect, test } from '../fixtures/people';
import { SEED } from '../fixtures/report-marking';
import { taughtGroupNames } from '../fixtures/school-records';
import { GroupReportPage } from '../pages/group-report-page';
import { PupilReportPage } from '../pages/pupil-report-page';

type CsvRow = Record<string, string>;

test('a teacher cannot open another department\'s group or pupil report', async ({ teacherC }) => {
  const group = new GroupReportPage(teacherC.page);
  await group.goto(SEED.groups.sc10a);
  await expect(group.notFound).toHaveText('Report not available');

  const pupil = new PupilReportPage(teacherC.page);
  await pupil.goto(SEED.pupil(30)); // 10Sc2 only
  await expect(pupil.notFound).toBeVisible();

  const response = await teacherC.page.request.get(`/reports/groups/${SEED.groups.sc10a}/export`);
  expect(response.status()).toBe(404);
});

test('a teacher\'s export contains only their groups; the head of department\'s the whole department', async ({ teacherC, headOfScience }) => {
  const response = await teacherC.page.request.get('/reports/export');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/csv');
  expect(response.headers()['content-disposition']).toMatch(/^attachment; filename="markbook-my-groups-\d{4}-\d{2}-\d{2}\.csv"/);
  const rows: CsvRow[] = parse(await response.text(), { columns: true });
  expect(rows.length).toBeGreaterThan(0);
  expect(new Set(rows.map((row) => row.group))).toEqual(new Set(await taughtGroupNames(PEOPLE.teacherC, DEMO_PASSWORD)));

  const department = await headOfScience.page.request.get('/reports/export');
  const departmentRows: CsvRow[] = parse(await department.text(), { columns: true });
  expect(new Set(departmentRows.map((row) => row.group))).toEqual(new Set(['10Sc1', '10Sc2', '11Sc1']));

  const oneGroup = await headOfScience.page.request.get(`/reports/groups/${SEED.groups.sc10b}/export`);
  expect(oneGroup.headers()['content-disposition']).toContain('markbook-10Sc2-');
  const groupRows: CsvRow[] = parse(await oneGroup.text(), { columns: true });
  expect(groupRows.length).toBeGreaterThan(0);
  expect(new Set(groupRows.map((row) => row.group))).toEqual(new Set(['10Sc2']));
});

test('/reports lists the head of department\'s groups with live averages and finds a pupil by name', async ({ headOfScience }) => {
  const page = headOfScience.page;
  await page.goto('/reports');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('overview-group')).toHaveCount(3);
  await expect(page.getByTestId('overview-group').first().getByTestId('group-average')).toHaveText(/\d\.\d\d/);
  await page.getByTestId('pupil-search').fill('amira');
  await expect(page.getByTestId('overview-pupil').first()).toContainText('Amira');
});
