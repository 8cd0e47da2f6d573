import { expect, test, type Page } from '@playwright/test';
import { afterRerun, openLab, playToEnd, screenshot } from './lab';

async function reload(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('trace-hash')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.app')).toHaveAttribute('data-running', 'false');
}

test.describe('editor and Learn progress in the browser', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await openLab(page);
  });
  test.afterAll(async () => page.close());

  test('a bad field is named beside its line, and the typed text survives a reload', async () => {
    await page.getByTestId('editor-toggle').click();
    const text = page.getByTestId('editor-text');
    await expect(text).toHaveValue(/name: direct-publish-crash-after-commit-copy/);
    const yaml = (await text.inputValue()).replace('point: after-commit', 'point: nowhere');
    await text.fill(yaml);
    const problem = page.getByTestId('editor-problem');
    await expect(problem).toContainText("'nowhere' is not a crash point");
    await expect(problem).toHaveAttribute('data-field', 'faults[0].point');
    const line = yaml.split('\n').findIndex((l) => l.includes('point: nowhere')) + 1;
    await expect(problem).toHaveAttribute('data-line', String(line));
    await screenshot(page, '26-editor-problem');

    await reload(page);
    await page.getByTestId('editor-toggle').click();
    await expect(page.getByTestId('editor-text')).toHaveValue(/point: nowhere/);
    await expect(page.getByTestId('editor-problem')).toHaveAttribute('data-field', 'faults[0].point');
  });

  test('a saved scenario is listed in the picker after a reload and runs from there', async () => {
    const text = page.getByTestId('editor-text');
    const yaml = (await text.inputValue()).replace('point: nowhere', 'point: after-commit').replace(/^title: .*$/m, 'title: "OfferRejected gets lost"');
    await text.fill(yaml);
    await expect(page.getByTestId('editor-problem')).toHaveCount(0);
    await page.getByTestId('editor-save').click();
    await expect(page.getByTestId('editor-status')).toContainText('Saved');
    await afterRerun(page, () => page.getByTestId('editor-run').click());
    await expect(page.getByTestId('scenario-picker').locator('option:checked')).toHaveText('OfferRejected gets lost (saved)');

    await reload(page);
    const option = page.getByTestId('scenario-picker').locator('option', { hasText: 'OfferRejected gets lost (saved)' });
    await expect(option).toHaveCount(1);
    await afterRerun(page, async () => page.getByTestId('scenario-picker').selectOption((await option.getAttribute('value'))!));
    await expect(page.getByTestId('predict-question')).toBeVisible();
  });

  test('Learn: played to the end and revealed counts as done, and stays done after a reload', async () => {
    await afterRerun(page, () => page.getByTestId('scenario-picker').selectOption('direct-publish-crash-after-commit.yaml'));
    await playToEnd(page);
    await page.getByTestId('predict-reveal').click();
    await page.getByTestId('learn-toggle').click();
    await expect(page.getByTestId('learn-path')).toBeVisible();
    await expect(page.getByTestId('learn-item-direct-publish-crash-after-commit')).toHaveAttribute('data-done', 'true');
    await screenshot(page, '27-learn-path');

    await reload(page);
    await page.getByTestId('learn-toggle').click();
    await expect(page.getByTestId('learn-item-direct-publish-crash-after-commit')).toHaveAttribute('data-done', 'true');
    await expect(page.getByTestId('learn-progress')).toContainText('1 of');

    await page.getByTestId('learn-import').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"kind":"nope"}') });
    await expect(page.getByTestId('learn-import-message')).toContainText('not a progress file');
    await expect(page.getByTestId('learn-progress')).toContainText('1 of');

    const exported = page.waitForEvent('download');
    await page.getByTestId('learn-export').click();
    expect((await exported).suggestedFilename()).toBe('outbox-lab-progress.json');

    await afterRerun(page, () => page.getByTestId('learn-continue').click());
    await expect(page.getByTestId('scenario-picker')).toHaveValue('direct-publish-phantom.yaml');
  });
});
