import { expect, test, type Page } from '@playwright/test';
import { afterRerun, chooseScenario, counter, cursor, openLab, playToEnd, screenshot, seek } from './lab';

test.describe.configure({ mode: 'serial' });
let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  await openLab(page);
  await chooseScenario(page, 'direct-publish-crash-after-commit');
});

test.afterAll(async () => {
  await page.close();
});

test('keyboard: space plays and pauses, arrows step, ? opens the help and Escape closes it', async () => {
  await seek(page, 10);
  await page.locator('h1').click();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => cursor(page)).toBe(11);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => cursor(page)).toBe(9);
  await page.keyboard.press(' ');
  await expect(page.getByTestId('playback-state')).toHaveText(/playing/);
  await page.keyboard.press(' ');
  await expect(page.getByTestId('playback-state')).toHaveText(/paused/);
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-overlay')).toBeVisible();
  await expect(page.getByTestId('help-overlay')).toContainText('Step forward');
  await screenshot(page, '08-help-overlay');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help-overlay')).toHaveCount(0);
});

test('keyboard: typing in a field is not a shortcut', async () => {
  const at = await cursor(page);
  await page.getByTestId('sql-input').click();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.type(' ?');
  await expect(page.getByTestId('help-overlay')).toHaveCount(0);
  expect(await cursor(page)).toBe(at);
  await expect(page.getByTestId('playback-state')).toHaveText(/paused/);
});

test('compare: direct publish and outbox side by side on the same seed and fault, two checkers', async () => {
  await afterRerun(page, () => page.getByTestId('compare-toggle').click());
  const view = page.getByTestId('compare-view');
  await expect(view).toBeVisible();
  await expect(view.getByTestId('compare-left').getByTestId('checker-lost')).toBeVisible();
  await expect(view.getByTestId('compare-right').getByTestId('checker-lost')).toBeVisible();
  await playToEnd(page);
  expect(Number(await counter(view.getByTestId('compare-left'), 'lost').textContent())).toBeGreaterThan(0);
  await expect(counter(view.getByTestId('compare-right'), 'lost')).toHaveText('0');
  await screenshot(page, '09-compare');
});

test('compare: a crash point the other strategy lacks is left out for it, with a note', async () => {
  await afterRerun(page, () => page.getByTestId('compare-strategy-picker').selectOption('two-phase-commit'));
  await expect(page.getByTestId('fault-note')).toContainText("Left out for two-phase-commit: crash point 'after-commit' does not exist");
  await expect(page.getByTestId('compare-right')).toContainText('Two-phase commit');
  await page.getByTestId('compare-toggle').click();
  await expect(page.getByTestId('compare-view')).toHaveCount(0);
});

test('dark theme', async () => {
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, '10-dark-theme');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});
