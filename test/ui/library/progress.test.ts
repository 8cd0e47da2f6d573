import { describe, expect, it } from 'vitest';
import { emptyProgress, loadProgress, parseProgress, progressFile, saveProgress, withCompleted } from '../../../src/ui/learn/progress';
import { learnOrder } from '../../../src/scenario/learn-path';

const [first, second] = learnOrder();

describe('Learn progress files', () => {
  it('round-trips through its file, in path order', () => {
    const progress = withCompleted(withCompleted(emptyProgress(), second!), first!);
    const parsed = parseProgress(progressFile(progress));
    expect(parsed).toEqual({ ok: true, progress: { version: 1, completed: [first, second] } });
  });

  it.each([
    ['not JSON', 'hello'],
    ['a list', '[]'],
    ['another kind', JSON.stringify({ kind: 'x', version: 1, completed: [] })],
    ['a future version', JSON.stringify({ kind: 'outbox-lab learn progress', version: 2, completed: [] })],
    ['names that are not strings', JSON.stringify({ kind: 'outbox-lab learn progress', version: 1, completed: [1] })],
    ['unknown scenarios', JSON.stringify({ kind: 'outbox-lab learn progress', version: 1, completed: ['no-such-scenario'] })],
  ])('refuses %s with a clear message that says nothing changed', (_, text) => {
    const parsed = parseProgress(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^This is not a progress file: .+ Your progress is unchanged\.$/);
  });

  it('survives storage as the browser keeps it, and ignores a damaged entry', () => {
    const memory = new Map<string, string>();
    const storage = { getItem: (k: string) => memory.get(k) ?? null, setItem: (k: string, v: string) => void memory.set(k, v) };
    saveProgress(withCompleted(emptyProgress(), first!), storage);
    expect(loadProgress(storage).completed).toEqual([first]);
    memory.set([...memory.keys()][0]!, '{broken');
    expect(loadProgress(storage)).toEqual(emptyProgress());
  });
});
