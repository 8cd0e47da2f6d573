import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { splitDescription } from '../../../src/ui/learn/description';

describe('description split for predict first', () => {
  it('stops before the line that starts "What the checker sees"', () => {
    const split = splitDescription('Setup.\n\nWhat the checker sees:\n\n- **lost > 0**');
    expect(split.beforeReveal).toBe('Setup.');
    expect(split.afterReveal).toBe('What the checker sees:\n\n- **lost > 0**');
  });

  it('accepts the heading in Markdown emphasis or as a heading, and leaves other descriptions whole', () => {
    expect(splitDescription('A\n\n## What the checker sees\nB').beforeReveal).toBe('A');
    expect(splitDescription('A\n**What the checker sees**: B').beforeReveal).toBe('A');
    expect(splitDescription('Nothing to hide.')).toEqual({ beforeReveal: 'Nothing to hide.', afterReveal: '' });
  });

  it('hides the checker section of every curated scenario that asks first', () => {
    for (const file of readdirSync('scenarios').filter((f) => f.endsWith('.yaml'))) {
      const data = parse(readFileSync(`scenarios/${file}`, 'utf8')) as { description?: string; predict?: unknown };
      if (!data.predict || !data.description) continue;
      expect(splitDescription(data.description).beforeReveal, file).not.toMatch(/What the checker sees/);
    }
  });
});
