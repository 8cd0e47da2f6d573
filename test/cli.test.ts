import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The CLI as a user runs it: a separate Node process. Runs that get past validation boot
 * PGlite (seconds each), so only two of these spawns simulate; the rest fail before booting.
 */
const ROOT = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'outbox-lab-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface CliOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sim(...args: string[]): Promise<CliOutcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function expectNoStackTrace(outcome: CliOutcome): void {
  expect(outcome.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('npm run sim', () => {
  it('--list prints every strategy with its crash points and their descriptions', async () => {
    const { code, stdout } = await sim('--list');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^outbox — Transactional outbox$/m);
    expect(stdout).toMatch(/^direct-publish — Direct publish$/m);
    expect(stdout).toMatch(/^\s+after-publish\s+relay\s+A row is published and not yet marked sent/m);
    expect(stdout).toMatch(/^\s+before-commit\s+api\s+publish-then-commit only/m);
    expect(stdout).toMatch(/^\s+email-after-effect\s+email-service\s+/m);
  });

  it('--json prints one report object and exits 0 when expect holds', async () => {
    const { code, stdout, stderr } = await sim('scenarios/outbox-crash-after-publish-inbox.yaml', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      scenario: 'outbox-crash-after-publish-inbox',
      strategy: 'outbox',
      seed: 7,
      commands: 20,
      lost: 0,
      phantom: 0,
      duplicateEffects: 0,
      endReason: 'quiesced',
      expectHolds: true,
      expectFailures: [],
    });
    for (const field of ['committed', 'expectedEffects', 'effects', 'duplicateDeliveries', 'outOfOrder', 'deadLettered', 'virtualMs', 'steps']) {
      expect(report[field], field).toBeTypeOf('number');
    }
    expect(report.duplicateDeliveries).toBeGreaterThan(0);
    expect(report.effects).toBe(report.expectedEffects);
    expect(Object.keys(report.latency)).toEqual(expect.arrayContaining(['p50', 'p99', 'max']));
    expect(report.traceHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('exits 1 and names the field when expect does not hold (--strategy overrides the file)', async () => {
    // The outbox loses nothing after the same crash, so "lost > 0" no longer holds.
    const outcome = await sim('scenarios/direct-publish-crash-after-commit.yaml', '--strategy', 'outbox', '--seed', '3');
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(/^strategy\s+outbox/m);
    expect(outcome.stdout).toMatch(/^seed\s+3$/m);
    expect(outcome.stdout).toMatch(/^lost\s+0\s+>0\s+FAILED$/m);
    expect(outcome.stdout).toContain('lost: expected >0, got 0');
    expectNoStackTrace(outcome);
  });

  it('exits 2 naming each bad field and the allowed values when an override makes the scenario invalid', async () => {
    const outcome = await sim('scenarios/direct-publish-phantom.yaml', '--strategy', 'outbox');
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/faults\[0\]\.point: 'before-commit' is not a crash point of outbox; allowed: after-commit, after-fetch, after-publish/);
    expect(outcome.stderr).toMatch(/options\.order: unknown field/);
    expect(outcome.stdout).toBe('');
    expectNoStackTrace(outcome);
  });

  it('exits 2 on a YAML syntax error, naming the line', async () => {
    const file = join(scratch, 'broken.yaml');
    writeFileSync(file, 'name: broken\ntitle: Broken\nfaults: [ { type: crash\nstrategy: outbox\n');
    const outcome = await sim(file);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/\(file\): not valid YAML or JSON at line \d+/);
    expectNoStackTrace(outcome);
  });

  it('exits 2 on an unknown flag, a bad --seed and a missing file', async () => {
    const [flag, seed, missing] = await Promise.all([
      sim('scenarios/outbox-broker-outage.yaml', '--fast'),
      sim('scenarios/outbox-broker-outage.yaml', '--seed', 'seven'),
      sim(join(scratch, 'no-such-scenario.yaml')),
    ]);
    expect([flag.code, seed.code, missing.code]).toEqual([2, 2, 2]);
    expect(flag.stderr).toContain("unknown option '--fast'");
    expect(seed.stderr).toContain("--seed needs a non-negative integer, got 'seven'");
    expect(missing.stderr).toMatch(/cannot read .*no-such-scenario\.yaml: no such file/);
    for (const outcome of [flag, seed, missing]) expectNoStackTrace(outcome);
  });

  it('--report md prints the ADR Markdown with every compared strategy and a permalink', async () => {
    const outcome = await sim('scenarios/choose-direct-publish-outbox-or-2pc.yaml', '--report', 'md', '--link-base', 'https://example.org/lab/');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('| | Direct publish | Transactional outbox | Two-phase commit |');
    expect(outcome.stdout).toContain('```mermaid\nsequenceDiagram');
    expect(outcome.stdout).toMatch(/\[Reproduce this run\]\(https:\/\/example\.org\/lab\/\?s=v1\.[A-Za-z0-9_-]+\)/);
  });

  it('exits 2 on a report format it does not know', async () => {
    const outcome = await sim('scenarios/outbox-broker-outage.yaml', '--report', 'pdf');
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("--report takes 'md', got 'pdf'");
  });
});
