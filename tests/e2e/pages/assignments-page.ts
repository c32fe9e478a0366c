/** /results/assignments: the assignments to mark with their live progress. */
import { expect, type Locator, type Page } from '@playwright/test';

export class AssignmentsPage {
  readonly connection: Locator;

  constructor(readonly page: Page) {
    this.connection = page.getByTestId('connection');
  }

  async open(): Promise<void> {
    await this.page.goto('/results/assignments');
    await expect(this.connection).toHaveAttribute('data-state', 'live');
  }

  assignment(assignmentId: string): Locator {
    return this.page.locator(`[data-testid="assignment"][data-assignment-id="${assignmentId}"]`);
  }

  progress(assignmentId: string): Locator {
    return this.assignment(assignmentId).getByTestId('progress');
  }
}
