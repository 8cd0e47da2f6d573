import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { runScenario } from '../../src/engine/run';
import { bootPostgres } from '../../src/infra/database';
import { loadScenarioOrThrow } from '../../src/scenario/load';
import { chooseScenario, openLab } from './lab';

/** The engine in the page's worker and the engine in Node give the same trace for the same scenario. */
test('the browser run has the trace hash of the same scenario run in Node', async ({ page }) => {
  test.setTimeout(120_000);
  const names = ['direct-publish-crash-after-commit', 'two-phase-commit-coordinator-in-doubt'];
  const inNode = (async () => {
    const pg = await bootPostgres();
    const hashes: string[] = [];
    for (const name of names) {
      const scenario = loadScenarioOrThrow(readFileSync(`scenarios/${name}.yaml`, 'utf8'), name);
      hashes.push((await runScenario(pg, scenario)).traceHash);
    }
    await pg.close();
    return hashes;
  })();

  await openLab(page);
  const inBrowser: string[] = [];
  for (const name of names) {
    await chooseScenario(page, name);
    inBrowser.push((await page.getByTestId('trace-hash').textContent()) ?? '');
  }
  expect(inBrowser).toEqual(await inNode);
});
