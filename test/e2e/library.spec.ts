import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { loadScenarioOrThrow } from '../../src/scenario/load';
import { encodePermalink } from '../../src/scenario/permalink';
import { afterRerun, cursor, openLab, playToEnd, screenshot, seek } from './lab';

/** Opens a page at a lab URL (a permalink, embed mode) and waits for its run. */
async function openAt(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('trace-hash')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.app')).toHaveAttribute('data-running', 'false');
}

const traceHash = async (page: Page) => (await page.getByTestId('trace-hash').textContent()) ?? '';

test.describe('predict first, share and export', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await openLab(page);
  });
  test.afterAll(async () => page.close());

  test('the question comes first; the description stops before what the checker sees', async () => {
    await expect(page.getByTestId('predict-question')).toContainText('Will the reviewer get the invitation email');
    await expect(page.locator('.nr-markdown')).not.toContainText('What the checker sees');
    await expect(page.getByTestId('predict-answer')).toHaveCount(0);
    await page.getByTestId('predict-quick-yes').click();
    await expect(page.getByTestId('predict-committed')).toContainText('Yes');
    await screenshot(page, '20-predict-question');
  });

  test('Share puts the run, a hand-injected fault and the step in a link that reopens them', async ({ browser }) => {
    await seek(page, 30);
    await afterRerun(page, () => page.getByTestId('broker-down').click());
    await seek(page, 42);
    const hash = await traceHash(page);
    await page.getByTestId('share-button').click();
    const url = await page.getByTestId('share-url').inputValue();
    expect(url).toMatch(/\?s=v1\./);
    expect(page.url()).toBe(url);
    await screenshot(page, '21-share');
    await page.getByTestId('share-dialog').getByRole('button', { name: 'Close' }).click();

    const other = await browser.newPage();
    await openAt(other, url);
    expect(await traceHash(other)).toBe(hash);
    await expect.poll(() => cursor(other)).toBe(42);
    await expect(other.getByTestId('fault-list').locator('li[data-fault-type="broker-down"]')).toHaveCount(1);
    await other.close();
  });

  test('played to the end, the reveal shows the answer beside the checker and the whole description', async () => {
    await playToEnd(page);
    await page.getByTestId('predict-reveal').click();
    await expect(page.getByTestId('predict-answer')).toContainText('lost effects');
    await expect(page.getByTestId('predict-figures')).toContainText('lost');
    await expect(page.locator('.nr-markdown')).toContainText('What the checker sees');
    await screenshot(page, '22-predict-revealed');
  });

  test('Export for ADR: checker table, Mermaid block and a link that opens the same run', async ({ browser }) => {
    await page.getByTestId('adr-button').click();
    const markdown = page.getByTestId('adr-markdown');
    await expect(markdown).toBeVisible({ timeout: 30_000 });
    const text = await markdown.inputValue();
    expect(text).toContain('| lost effects |');
    expect(text).toContain('```mermaid\nsequenceDiagram');
    const link = /\[Reproduce this run\]\(([^)]+)\)/.exec(text)?.[1];
    expect(link).toMatch(/\?s=v1\./);
    await screenshot(page, '23-adr-dialog');
    const download = page.waitForEvent('download');
    await page.getByTestId('adr-download').click();
    expect((await download).suggestedFilename()).toMatch(/\.md$/);
    const svg = page.waitForEvent('download');
    await page.getByTestId('adr-diagram-svg').click();
    expect((await svg).suggestedFilename()).toMatch(/\.svg$/);
    await page.getByTestId('adr-dialog').getByRole('button', { name: 'Close' }).click();

    const other = await browser.newPage();
    await openAt(other, link!);
    expect(await traceHash(other)).toBe(await traceHash(page));
    await other.close();
  });
});

test('a tampered or broken link says so and the normal app runs', async ({ page }) => {
  await openAt(page, './?s=v1.bm90LWRlZmxhdGVk');
  await expect(page.getByTestId('link-error')).toContainText('damaged');
  await expect(page.getByTestId('scenario-picker')).toBeVisible();
  await screenshot(page, '24-link-error');
});

test('embed mode shows the diagram, controls and checker only, and opens links', async ({ page }) => {
  const scenario = loadScenarioOrThrow(readFileSync('scenarios/outbox-broker-outage.yaml', 'utf8'));
  const payload = await encodePermalink({ scenario, step: 25 });
  await openAt(page, `./?embed=1&s=${payload}`);
  await expect(page.getByTestId('embed')).toBeVisible();
  await expect(page.getByTestId('scenario-picker')).toHaveCount(0);
  await expect(page.getByTestId('strategy-picker')).toHaveCount(0);
  await expect(page.locator('[data-testid^="table-"]')).toHaveCount(0);
  await expect(page.locator('.dg-root')).toBeVisible();
  await expect(page.getByTestId('checker-lost')).toBeVisible();
  await expect.poll(() => cursor(page)).toBe(25);
  await page.setViewportSize({ width: 800, height: 450 });
  await screenshot(page, '25-embed');
});

test('a scenario cannot inject script: HTML in its description and question renders as text', async ({ page }) => {
  const scenario = loadScenarioOrThrow(readFileSync('scenarios/direct-publish-crash-after-commit.yaml', 'utf8'));
  const hostile = {
    ...scenario,
    title: 'Hostile <img src=x onerror="window.__pwned=1">',
    description: 'Look: <img src=x onerror="window.__pwned=2"> and <script>window.__pwned=3</script> [x](javascript:window.__pwned=4)',
    predict: { question: 'Safe? <img src=x onerror="window.__pwned=5">', answer: '<script>window.__pwned=6</script>' },
  };
  const payload = await encodePermalink({ scenario: hostile, step: 0 });
  await openAt(page, `./?s=${payload}`);
  await expect(page.locator('.nr-markdown')).toContainText('<img src=x onerror=');
  await expect(page.getByTestId('predict-question')).toContainText('<img src=x');
  await page.getByTestId('predict-reveal-now').click();
  await expect(page.getByTestId('predict-answer')).toContainText('<script>');
  expect(await page.locator('.app img, .app script').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
