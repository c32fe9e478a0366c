/** /login, by intent: open it, sign in, read the error. */
import { expect, type Locator, type Page } from '@playwright/test';

export class LoginPage {
  readonly form: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: 'Sign in' });
    this.email = this.form.getByLabel('Email');
    this.password = this.form.getByLabel('Password');
    this.submit = this.form.getByRole('button', { name: 'Sign in' });
    this.error = this.form.getByRole('alert');
  }

  async goto(): Promise<void> {
    await this.page.goto('/login');
    await expect(this.submit).toBeEnabled();
  }

  /** Fills the form and submits; does not wait for where it leads. */
  async submitCredentials(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }

  /** Signs in and waits for the signed-in home page. */
  async signIn(email: string, password: string): Promise<void> {
    await this.goto();
    await this.submitCredentials(email, password);
    await expect(this.page).toHaveURL(/\/$/);
  }
}
