import { describe, expect, it } from 'vitest';
import { Kernel, point, sleep, type Process } from '../../src/sim/kernel';
import { createRandom } from '../../src/sim/random';
import { Scheduler } from '../../src/sim/scheduler';
import { traceHash } from '../../src/sim/trace';

const limits = { maxSteps: 10_000, maxVirtualMs: 1_000_000 };

describe('random', () => {
  it('same seed, same stream; forks are independent of how much the parent drew', () => {
    const a = createRandom(42), b = createRandom(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    const fresh = createRandom(42).fork('relay').next();
    const used = createRandom(42);
    used.next(); used.next();
    expect(used.fork('relay').next()).toBe(fresh);
    expect(createRandom(43).next()).not.toBe(createRandom(42).next());
  });

  it('int stays within bounds and covers them', () => {
    const r = createRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const v = r.int(2, 5);
      expect(v).toBeGreaterThanOrEqual(2);
      expect(v).toBeLessThanOrEqual(5);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });
});

describe('scheduler', () => {
  it('runs tasks by virtual time, then by insertion order, and skips cancelled ones', async () => {
    const s = new Scheduler();
    const order: string[] = [];
    s.at(10, () => { order.push('b@10'); });
    s.at(5, () => { order.push('a@5'); });
    s.at(10, () => { order.push('c@10'); });
    s.at(7, () => { order.push('cancelled'); }).cancel();
    while (await s.runNext());
    expect(order).toEqual(['a@5', 'b@10', 'c@10']);
    expect(s.now).toBe(10);
  });
});

describe('kernel', () => {
  function worker(log: string[], name: string): () => Process {
    return async function* () {
      for (let i = 1; i <= 3; i++) {
        log.push(`${name} step ${i}`);
        yield point(`after-step-${i}`);
      }
    };
  }

  it('a crash at a named point drops the process; the lifecycle restarts the actor after its delay', async () => {
    const k = new Kernel(1, limits);
    const log: string[] = [];
    k.decideCrashesWith((actor, p) => actor === 'relay' && p === 'after-step-2' && k.now < 100);
    k.addActor({ id: 'relay', restartDelayMs: 250, onStart: () => k.spawn('relay', worker(log, `run@${k.now}`)()) });
    k.start();
    expect(await k.run()).toBe('quiesced');
    expect(log).toEqual(['run@0 step 1', 'run@0 step 2', 'run@250 step 1', 'run@250 step 2', 'run@250 step 3']);
    const kinds = k.trace.entries.map((e) => `${e.kind}@${e.t}`);
    expect(kinds).toContain('crash@0');
    expect(kinds).toContain('restart@250');
  });

  it('a down actor cannot take new work', async () => {
    const k = new Kernel(1, limits);
    k.addActor({ id: 'api', restartDelayMs: 100 });
    k.crash('api', 'killed');
    expect(k.isUp('api')).toBe(false);
    expect(k.spawn('api', worker([], 'x')())).toBe(false);
    await k.run();
    expect(k.isUp('api')).toBe(true);
  });

  it('a crash may keep the actor down longer than its restart delay', async () => {
    const k = new Kernel(1, limits);
    k.addActor({ id: 'relay', restartDelayMs: 100 });
    k.at(10, () => k.crash('relay', 'killed', 5_000));
    await k.run();
    expect(k.trace.entries.find((e) => e.kind === 'restart')?.t).toBe(5_010);
  });

  it('step costs move virtual time; wake cuts a wakeable sleep short', async () => {
    const k = new Kernel(1, limits);
    const seen: number[] = [];
    k.addActor({
      id: 'relay',
      restartDelayMs: 10,
      onStart: () =>
        k.spawn('relay', (async function* () {
          k.spend(5);
          yield point('p');
          seen.push(k.now);
          yield sleep(1_000, 'idle', { wakeable: true });
          seen.push(k.now);
        })()),
    });
    k.at(20, () => k.wake('relay'));
    k.start();
    await k.run();
    expect(seen).toEqual([5, 20]);
  });

  it('ends with step-limit when the world never quiets down', async () => {
    const k = new Kernel(1, { maxSteps: 50, maxVirtualMs: 1_000_000 });
    k.addActor({
      id: 'busy',
      restartDelayMs: 10,
      onStart: () => k.spawn('busy', (async function* () { for (;;) yield sleep(1, 'working'); })()),
    });
    k.start();
    expect(await k.run()).toBe('step-limit');
    expect(k.trace.entries.at(-1)).toMatchObject({ kind: 'run-end', reason: 'step-limit', steps: 50 });
  });

  it('an idle poller does not keep the run alive; pending timers do', async () => {
    const k = new Kernel(1, limits);
    k.addActor({
      id: 'poller',
      restartDelayMs: 10,
      onStart: () => k.spawn('poller', (async function* () { for (;;) yield sleep(100, 'idle', { idle: true }); })()),
    });
    k.at(750, () => {});
    k.start();
    expect(await k.run()).toBe('quiesced');
    expect(k.now).toBeGreaterThanOrEqual(750);
    expect(k.now).toBeLessThan(900);
  });

  it('the trace hash changes with any entry and is stable for equal traces', () => {
    const k1 = new Kernel(1, limits), k2 = new Kernel(1, limits);
    for (const k of [k1, k2]) k.trace.append({ kind: 'crash', actor: 'relay', point: 'after-publish' });
    expect(traceHash(k1.trace.entries)).toBe(traceHash(k2.trace.entries));
    k2.trace.append({ kind: 'restart', actor: 'relay' });
    expect(traceHash(k1.trace.entries)).not.toBe(traceHash(k2.trace.entries));
  });
});
