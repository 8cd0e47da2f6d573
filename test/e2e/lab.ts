import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';

/** Helpers that read like what a person does on the page; the specs tell the stories. */

export const SCREENSHOTS = 'test-results/screenshots';

/** Loads the page and waits for Postgres and the first run; says how long that took and what the boot reported. */
export async function openLab(page: Page): Promise<{ readyMs: number; bootPhases: string }> {
  const started = Date.now();
  await page.goto('./');
  await expect(page.getByTestId('db-status')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('trace-hash')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.app')).toHaveAttribute('data-running', 'false');
  const readyMs = Date.now() - started;
  const bootPhases = ((await page.getByTestId('db-status').getAttribute('title')) ?? '').replace(/^[^:]*: /, '');
  return { readyMs, bootPhases };
}

export const runId = async (page: Page): Promise<number> => Number(await page.locator('.app').getAttribute('data-run-id'));

/** Does something that re-runs the scenario and waits for the new run to be on screen. */
export async function afterRerun(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await runId(page);
  await action();
  await expect.poll(() => runId(page), { timeout: 30_000 }).toBeGreaterThan(before);
  await expect(page.locator('.app')).toHaveAttribute('data-running', 'false');
}

export async function chooseScenario(page: Page, name: string): Promise<void> {
  await afterRerun(page, () => page.getByTestId('scenario-picker').selectOption(`${name}.yaml`));
}

export async function chooseStrategy(page: Page, strategy: string): Promise<void> {
  await afterRerun(page, () => page.getByTestId('strategy-picker').selectOption(strategy));
}

export const cursor = async (page: Page): Promise<number> => Number(await page.getByTestId('cursor').textContent());
export const traceLength = async (page: Page): Promise<number> => Number(await page.getByTestId('scrubber').getAttribute('max'));

export async function playToEnd(page: Page): Promise<void> {
  await page.getByTestId('speed').selectOption('16');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(page.getByTestId('playback-state')).toHaveText(/ended/, { timeout: 60_000 });
}

export async function seek(page: Page, to: number): Promise<void> {
  await page.getByTestId('scrubber').fill(String(to));
  await expect.poll(() => cursor(page)).toBe(to);
}

/**
 * Moves the scrubber as a drag would and times it inside the page: until the page shows the
 * new step (counters, diagram, log re-rendered) and until the next frame is painted.
 */
export async function scrubTimed(page: Page, to: number): Promise<{ renderMs: number; frameMs: number }> {
  return page.evaluate(async (target) => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="scrubber"]')!;
    const shown = () => document.querySelector('[data-testid="cursor"]')?.textContent === String(target);
    const started = performance.now();
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, String(target));
    input.dispatchEvent(new Event('input', { bubbles: true }));
    while (!shown()) await new Promise((resolve) => setTimeout(resolve, 0));
    const renderMs = performance.now() - started;
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return { renderMs: Math.round(renderMs), frameMs: Math.round(performance.now() - started) };
  }, to);
}

/** The tables as of the cursor on screen (not a stale snapshot of an earlier one). */
export async function tablesAtCursor(page: Page): Promise<void> {
  const at = await cursor(page);
  await expect(page.getByTestId('tables-status')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('tables-status')).toContainText(`at step ${at}`);
}

export const rowsOf = async (page: Page, table: string): Promise<number> =>
  Number(await page.getByTestId(`table-${table}`).first().getAttribute('data-rows'));

export const counter = (scope: Page | Locator, name: string): Locator => scope.getByTestId(`checker-${name}`).first();

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage });
}

/** Figures the final report quotes (boot, scrub, ...), one JSON file per spec. */
export function recordFigures(spec: string, figures: Record<string, number | string>): void {
  mkdirSync('test-results/figures', { recursive: true });
  writeFileSync(`test-results/figures/${spec}.json`, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`${spec}: ${JSON.stringify(figures)}`);
}
