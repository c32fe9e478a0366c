/** /reports/[pupilId], by intent: open it, read a unit's average and the live status. */
import { expect, type Locator, type Page } from '@playwright/test';

export class PupilReportPage {
  readonly connection: Locator;
  readonly notFound: Locator;
  readonly overall: Locator;

  constructor(readonly page: Page) {
    this.connection = page.getByTestId('connection-status');
    this.notFound = page.getByTestId('report-not-found');
    this.overall = page.getByTestId('pupil-overall');
  }

  async goto(pupilId: string): Promise<void> {
    await this.page.goto(`/reports/${pupilId}`);
  }

  async open(pupilId: string): Promise<void> {
    await this.goto(pupilId);
    await expect(this.connection).toHaveAttribute('data-state', 'live');
  }

  unit(unitId: string): Locator {
    return this.page.locator(`[data-testid="pupil-unit"][data-unit="${unitId}"]`);
  }

  unitAverage(unitId: string): Locator {
    return this.unit(unitId).getByTestId('unit-average');
  }
}
