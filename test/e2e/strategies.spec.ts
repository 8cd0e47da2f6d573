import { expect, test, type Page } from '@playwright/test';
import { chooseScenario, chooseStrategy, counter, cursor, openLab, playToEnd, recordFigures, rowsOf, screenshot, scrubTimed, seek, tablesAtCursor, traceLength } from './lab';

/** One page for the whole story: Postgres boots once. */
test.describe.configure({ mode: 'serial' });
let page: Page;
const figures: Record<string, number | string> = {};

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  const { readyMs, bootPhases } = await openLab(page);
  Object.assign(figures, { pageReadyWithFirstRunMs: readyMs, bootPhases });
});

test.afterAll(async () => {
  recordFigures('strategies', figures);
  await page.close();
});

test('direct publish: the handler crashes after its commit → the checker shows lost events', async () => {
  await chooseScenario(page, 'direct-publish-crash-after-commit');
  await expect(page.getByTestId('strategy-picker')).toHaveValue('direct-publish');
  await screenshot(page, '01-ready-direct-publish');
  await playToEnd(page);
  await expect(counter(page, 'lost')).not.toHaveText('0');
  expect(Number(await counter(page, 'lost').textContent())).toBeGreaterThan(0);
  await tablesAtCursor(page);
  await screenshot(page, '02-direct-publish-lost');
  await screenshot(page, '03-direct-publish-lost-full-page', true);
});

test('switching to outbox on the same seed and fault: zero lost', async () => {
  await chooseStrategy(page, 'outbox');
  // The run had ended, so the new one is shown at its end too.
  await expect(page.getByTestId('playback-state')).toHaveText(/ended/);
  await expect(counter(page, 'lost')).toHaveText('0');
  await expect(page.getByTestId('checker-status').first()).toContainText('run ended');
  await tablesAtCursor(page);
  expect(await rowsOf(page, 'outbox.messages')).toBeGreaterThan(0);
  await screenshot(page, '04-outbox-zero-lost');
});

test('every strategy explains itself; two-phase commit says its broker is a teaching model', async () => {
  await expect(page.getByTestId('strategy-summary')).toContainText('Transactional outbox');
  await chooseStrategy(page, 'two-phase-commit');
  await expect(page.getByTestId('strategy-summary')).toContainText(/XA/);
  await expect(page.getByTestId('strategy-summary')).toContainText(/teaching model/);
  await chooseStrategy(page, 'outbox');
});

test('stepping back shows the tables as they were: fewer outbox rows earlier', async () => {
  const length = await traceLength(page);
  await seek(page, Math.round(length / 2));
  await tablesAtCursor(page);
  const rowsInTheMiddle = await rowsOf(page, 'outbox.messages');
  expect(rowsInTheMiddle).toBeGreaterThan(0);
  // Step back one entry at a time until a row disappears: the table shows each step's state.
  let rows = rowsInTheMiddle;
  for (let step = 0; step < 200 && rows === rowsInTheMiddle; step++) {
    const before = await cursor(page);
    await page.getByRole('button', { name: 'Step back', exact: true }).click();
    await expect.poll(() => cursor(page)).toBe(before - 1);
    await tablesAtCursor(page);
    rows = await rowsOf(page, 'outbox.messages');
  }
  expect(rows).toBeLessThan(rowsInTheMiddle);
  await screenshot(page, '05-stepped-back');
});

test('scrubbing far back answers quickly (counters at once, tables from the history)', async () => {
  await chooseScenario(page, 'outbox-relays-leader-lease');
  const length = await traceLength(page);
  const target = Math.max(0, length - 1000);
  // Three tries, judged by the middle one: a single frame can lose to the other browser of the suite.
  const painted: number[] = [];
  const tables: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    await seek(page, length);
    await tablesAtCursor(page);
    painted.push((await scrubTimed(page, target)).frameMs);
    await tablesAtCursor(page);
    tables.push(Number(/· (\d+) ms/.exec((await page.getByTestId('tables-status').textContent()) ?? '')?.[1]));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
  Object.assign(figures, { scrubFrom: length, scrubTo: target, scrubPaintedMs: painted.join('/'), scrubTablesMs: tables.join('/') });
  expect(median(painted)).toBeLessThan(300);
  expect(median(tables)).toBeLessThan(300);
});
