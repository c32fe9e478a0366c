/** The signed-in home page: who is signed in, their groups, sign-out. */
import type { Locator, Page } from '@playwright/test';

export class HomePage {
  readonly signedInAs: Locator;
  readonly groupList: Locator;
  readonly groupNames: Locator;
  readonly signOutButton: Locator;

  constructor(readonly page: Page) {
    this.signedInAs = page.getByTestId('signed-in-as');
    this.groupList = page.getByRole('list', { name: 'Your groups' });
    this.groupNames = this.groupList.getByTestId('group-name');
    this.signOutButton = page.getByRole('button', { name: 'Sign out' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
  }
}
