/** Signing in through /login and seeing your own groups — and only yours. */
import { DEMO_PASSWORD, PEOPLE, expect, test } from './fixtures/people';
import { taughtGroupNames } from './fixtures/school-records';
import { HomePage } from './pages/home-page';

test('teacher A signs in through /login and sees exactly the groups they teach', async ({ teacherA }) => {
  const expected = await taughtGroupNames(PEOPLE.teacherA, DEMO_PASSWORD);
  expect(expected.length).toBeGreaterThan(0);

  await expect(teacherA.home.signedInAs).toHaveText(PEOPLE.teacherA);
  await expect(teacherA.home.groupNames).toHaveText(expected);
});

test('a wrong password shows the error and keeps the typed email', async ({ loginPage, page }) => {
  await loginPage.goto();
  await loginPage.submitCredentials(PEOPLE.teacherA, 'not-the-password');

  await expect(loginPage.error).toHaveText('Wrong email or password.');
  await expect(loginPage.email).toHaveValue(PEOPLE.teacherA);
  await expect(page).toHaveURL(/\/login$/);
});

test('teacher C sees their own groups and none of teacher A\'s', async ({ teacherC }) => {
  const [groupsOfA, groupsOfC] = await Promise.all([
    taughtGroupNames(PEOPLE.teacherA, DEMO_PASSWORD),
    taughtGroupNames(PEOPLE.teacherC, DEMO_PASSWORD),
  ]);
  const onlyA = groupsOfA.filter((name) => !groupsOfC.includes(name));
  expect(onlyA.length).toBeGreaterThan(0);

  await expect(teacherC.home.groupNames).toHaveText(groupsOfC);
  for (const name of onlyA) await expect(teacherC.home.groupList).not.toContainText(name);
});

test('signed out, the home page sends you to /login; signing out ends the session', async ({ page, teacherB }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);

  await teacherB.home.signOut();
  await expect(teacherB.page).toHaveURL(/\/login$/);
  await new HomePage(teacherB.page).goto();
  await expect(teacherB.page).toHaveURL(/\/login$/);
});
