/** /reports/groups/[groupId], by intent: open it, read a heatmap cell, a unit's distribution, the live status. */
import { expect, type Locator, type Page } from '@playwright/test';

export class GroupReportPage {
  readonly connection: Locator;
  readonly heatmap: Locator;
  readonly notFound: Locator;
  readonly emptyState: Locator;
  readonly unitFilter: Locator;

  constructor(readonly page: Page) {
    this.connection = page.getByTestId('connection-status');
    this.heatmap = page.getByTestId('heatmap');
    this.notFound = page.getByTestId('report-not-found');
    this.emptyState = page.getByTestId('empty-state');
    this.unitFilter = page.getByTestId('unit-filter');
  }

  async goto(groupId: string): Promise<void> {
    await this.page.goto(`/reports/groups/${groupId}`);
  }

  /** Opens the report and waits until it is live (subscribed and snapshot loaded). */
  async open(groupId: string): Promise<void> {
    await this.goto(groupId);
    await expect(this.connection).toHaveAttribute('data-state', 'live');
  }

  pupilRow(pupilId: string): Locator {
    return this.heatmap.locator(`[data-testid="heatmap-row"][data-pupil="${pupilId}"]`);
  }

  /** A pupil's cell in a unit's column: cells do not repeat the unit id; the column header names it. */
  async cell(pupilId: string, unitId: string): Promise<Locator> {
    const header = this.heatmap.locator(`thead th[data-unit="${unitId}"]`);
    await expect(header).toHaveCount(1);
    const column = await header.evaluate((th) => (th as HTMLTableCellElement).cellIndex);
    // The row starts with the pupil's <th>, so the unit's cell has the header's index among the row's cells.
    return this.pupilRow(pupilId).locator('th, td').nth(column);
  }

  recalculating(pupilId: string): Locator {
    return this.pupilRow(pupilId).getByTestId('recalculating');
  }

  /** The count of pupils at a working level in one unit's distribution (the chart's numbers table). */
  distributionCount(unitId: string, workingLevel: string): Locator {
    return this.page
      .getByTestId('unit-distribution')
      .locator(`[data-testid="distribution-row"][data-key="${unitId}"] [data-level="${workingLevel}"]`);
  }

  async filterToUnit(unitName: string): Promise<void> {
    await this.unitFilter.selectOption({ label: unitName });
  }
}
