import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The simulation core runs the same in Node and in a Web Worker, and replays byte for byte:
 * it may not reach for the UI, the DOM, wall-clock time or unseeded randomness.
 */
const CORE = ['src/sim', 'src/infra', 'src/strategies', 'src/checker', 'src/engine', 'src/scenario', 'src/report'];

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const strip = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

const forbidden: Array<[RegExp, string]> = [
  [/from\s+['"](react|react-dom|@xyflow\/react|zustand)(\/[^'"]*)?['"]/, 'imports UI code'],
  [/from\s+['"]node:/, 'imports a Node-only module'],
  [/\bMath\.random\s*\(/, 'uses Math.random (use the seeded Random)'],
  [/\bDate\.now\s*\(|\bnew Date\s*\(/, 'reads the wall clock (use virtual time)'],
  [/\bperformance\.now\s*\(/, 'reads the wall clock (use virtual time)'],
  [/\b(globalThis\.)?(window|document|localStorage|navigator)\.(addEventListener|querySelector|getElementById|body|location|setItem|getItem|userAgent)\b/, 'touches the DOM'],
];

/** SQL lives in string literals; Postgres's clock may not appear in any of them. */
const SQL_CLOCK = /\bnow\(\)|current_timestamp|clock_timestamp|statement_timestamp|transaction_timestamp|\brandom\(\)/i;
const stringLiterals = (code: string) => code.match(/`[^`]*`|'[^'\n]*'|"[^"\n]*"/g) ?? [];

describe('architecture', () => {
  const files = CORE.flatMap((dir) => sourceFiles(dir));

  it('finds the core', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('the rules catch what they are meant to catch', () => {
    const caught = (code: string) => forbidden.some(([pattern]) => pattern.test(strip(code))) || stringLiterals(strip(code)).some((l) => SQL_CLOCK.test(l));
    for (const bad of ["import { useState } from 'react';", 'const x = Math.random();', 'const t = Date.now();', 'document.querySelector("a")', "db.query('update t set at = now()')"]) {
      expect(caught(bad), bad).toBe(true);
    }
    expect(caught('// Math.random() in a comment is fine\nconst t = kernel.now;')).toBe(false);
  });

  for (const file of files) {
    it(`${relative('.', file)} stays portable and deterministic`, () => {
      const code = strip(readFileSync(file, 'utf8'));
      const problems = forbidden.filter(([pattern]) => pattern.test(code)).map(([, why]) => why);
      if (stringLiterals(code).some((literal) => SQL_CLOCK.test(literal))) problems.push('asks Postgres for the time or randomness (pass them as parameters)');
      expect(problems).toEqual([]);
    });
  }
});
