/** /results/assignments/[id], by intent: rate, clear, move with keys, fill, undo, read state. */
import { expect, type Locator, type Page } from '@playwright/test';

export class MarkingGridPage {
  readonly grid: Locator;
  readonly connection: Locator;
  readonly saveState: Locator;
  readonly presence: Locator;
  readonly markers: Locator;
  readonly failedEdits: Locator;
  readonly accessProblem: Locator;

  constructor(readonly page: Page) {
    this.grid = page.getByRole('grid', { name: 'Marking grid' });
    this.connection = page.getByTestId('connection');
    this.saveState = page.getByTestId('save-state');
    this.presence = page.getByTestId('presence');
    this.markers = this.presence.getByTestId('marker');
    this.failedEdits = page.getByTestId('failed-edits');
    this.accessProblem = page.getByTestId('access-problem');
  }

  /** Opens the grid and waits until it is live (subscribed, snapshot reconciled). */
  async open(assignmentId: string): Promise<void> {
    await this.page.goto(`/results/assignments/${assignmentId}`);
    await expect(this.connection).toHaveAttribute('data-state', 'live');
  }

  row(pupilId: string): Locator {
    return this.grid.locator(`[role="row"][data-pupil-id="${pupilId}"]`);
  }

  cell(pupilId: string, criterionId: string): Locator {
    return this.row(pupilId).locator(`[role="gridcell"][data-criterion-id="${criterionId}"]`);
  }

  async select(pupilId: string, criterionId: string): Promise<void> {
    await this.cell(pupilId, criterionId).click();
    await expect(this.cell(pupilId, criterionId)).toBeFocused();
  }

  /** Click the cell, then the rating in the palette. */
  async rate(pupilId: string, criterionId: string, rating: number): Promise<void> {
    await this.select(pupilId, criterionId);
    await this.page.getByRole('button', { name: new RegExp(`^Rate ${rating} `) }).click();
  }

  async press(...keys: string[]): Promise<void> {
    for (const key of keys) await this.page.keyboard.press(key);
  }

  async fillColumn(pupilId: string, criterionId: string, rating: number): Promise<void> {
    await this.select(pupilId, criterionId);
    await this.page.getByLabel('Fill rating').selectOption(String(rating));
    await this.page.getByRole('button', { name: 'Fill column' }).click();
  }

  async undo(): Promise<void> {
    await this.page.keyboard.press('Control+z');
  }

  /** The cell shows this rating and is saved. */
  async expectSaved(pupilId: string, criterionId: string, rating: number | null): Promise<void> {
    const cell = this.cell(pupilId, criterionId);
    await expect(cell).toHaveAttribute('data-rating', rating === null ? '' : String(rating));
    await expect(cell).toHaveAttribute('data-status', 'synced');
  }

  average(pupilId: string): Locator {
    return this.row(pupilId).getByTestId('unit-average');
  }

  rowMarkers(pupilId: string): Locator {
    return this.row(pupilId).getByTestId('row-markers');
  }
}
