import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DERIVE_DIR = new URL('../../src/ui/derive/', import.meta.url);
const UI_PACKAGES = /from '(react|react-dom|@xyflow\/[\w-]+|zustand|xstate|uplot)(\/[^']*)?'/;
const DOM_GLOBALS = /\b(document|window|navigator|localStorage)\s*\.|\brequestAnimationFrame\s*\(|\bHTMLElement\b/;

describe('src/ui/derive is plain data in, data out', () => {
  const files = readdirSync(DERIVE_DIR).filter((name) => name.endsWith('.ts'));

  it('has modules to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  for (const file of files) {
    it(`${file} imports no UI package and touches no DOM`, () => {
      const code = readFileSync(new URL(file, DERIVE_DIR), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code).not.toMatch(UI_PACKAGES);
      expect(code).not.toMatch(DOM_GLOBALS);
    });
  }
});
