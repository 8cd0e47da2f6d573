import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The simulation core runs the same in Node and in a Web Worker, and replays byte for byte:
 * it may not reach for the UI, the DOM, wall-clock time or unseeded randomness.
 */
const CORE = ['src/sim', 'src/world', 'src/infra', 'src/strategies', 'src/checker', 'src/engine', 'src/scenario', 'src/report'];

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

/**
 * One module per strategy, two worlds: a strategy (and the consumer services) may reach the
 * database, the broker and time only through the ports in src/world, never an implementation.
 * Followed through every relative import, type-only ones included, so a detour through a
 * helper module is caught too.
 */
const WORLD_IMPLEMENTATIONS: Array<[RegExp, string]> = [
  [/^(pg|pg-[\w-]+|amqplib|@electric-sql\/pglite)(\/.*)?$/, 'a database or broker client library'],
  [/^src\/infra\/database\.ts$/, 'the simulated database (PGlite)'],
  [/^src\/infra\/broker\.ts$/, 'the simulated broker'],
  [/^src\/sim\/kernel\.ts$/, 'the simulator kernel'],
  [/^src\/real\//, 'the real world'],
];

const importSpecifiers = (code: string): string[] =>
  [...code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);

/** The project file a relative specifier names (`./shared` → src/strategies/shared.ts), or undefined for a package. */
function resolveRelative(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  const candidate = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((path) => existsSync(path) && statSync(path).isFile());
  return candidate ? relative('.', candidate) : relative('.', base);
}

/** Every module `file` depends on, directly or through other project files, with the chain that leads there. */
const readSource = (path: string): string => (existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : '');

function reachableImports(file: string, source: (path: string) => string = readSource): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const visit = (path: string, chain: string[]) => {
    for (const specifier of importSpecifiers(strip(source(path)))) {
      const target = resolveRelative(path, specifier) ?? specifier;
      if (reached.has(target)) continue;
      reached.set(target, [...chain, target]);
      if (target.startsWith('src/')) visit(target, [...chain, target]);
    }
  };
  visit(file, [file]);
  return reached;
}

function implementationsReached(file: string, source?: (path: string) => string): string[] {
  return [...reachableImports(file, source)].flatMap(([target, chain]) =>
    WORLD_IMPLEMENTATIONS.filter(([pattern]) => pattern.test(target)).map(([, what]) => `${what}: ${chain.join(' → ')}`),
  );
}

describe('strategies depend on the ports only', () => {
  const dependents = [...sourceFiles('src/strategies'), 'src/infra/consumers.ts', 'src/infra/domain.ts'];

  it('finds every strategy module', () => {
    expect(dependents.length).toBeGreaterThanOrEqual(8);
  });

  it('the rule catches a direct, a type-only and an indirect import of an implementation', () => {
    const fake: Record<string, string> = {
      'src/strategies/fake.ts': "import { helper } from './fake-helper';\nimport type { Kernel } from '../sim/kernel';",
      'src/strategies/fake-helper': "import pg from 'pg';\nexport * from '../real/world';",
    };
    const problems = implementationsReached('src/strategies/fake.ts', (path) => fake[path] ?? '');
    expect(problems).toEqual([
      'a database or broker client library: src/strategies/fake.ts → src/strategies/fake-helper → pg',
      'the real world: src/strategies/fake.ts → src/strategies/fake-helper → src/real/world',
      'the simulator kernel: src/strategies/fake.ts → src/sim/kernel.ts',
    ]);
    for (const bad of ["import { PGlite } from '@electric-sql/pglite';", "import amqp from 'amqplib';", "import type { Row } from '../infra/database';"]) {
      expect(implementationsReached('src/strategies/fake.ts', () => bad), bad).not.toEqual([]);
    }
  });

  for (const file of dependents) {
    it(`${relative('.', file)} reaches no database, broker or clock implementation`, () => {
      expect(implementationsReached(relative('.', file))).toEqual([]);
    });
  }
});
