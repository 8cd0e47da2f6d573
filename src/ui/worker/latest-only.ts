export type Latest<R> = { readonly superseded: true } | { readonly superseded: false; readonly value: R };

/**
 * Wraps an async call so at most one runs at a time and only the newest waiting request runs
 * next: while playback moves the cursor faster than the database can follow, the tables skip
 * the cursors nobody will look at. Superseded callers are told so instead of left hanging.
 */
export function latestOnly<A extends unknown[], R>(call: (...args: A) => Promise<R>): (...args: A) => Promise<Latest<R>> {
  let running = false;
  let waiting: { args: A; settle: (outcome: Promise<Latest<R>>) => void } | undefined;

  const start = (args: A): Promise<Latest<R>> => {
    running = true;
    const outcome = call(...args).then((value): Latest<R> => ({ superseded: false, value }));
    void outcome.finally(() => {
      running = false;
      const next = waiting;
      waiting = undefined;
      if (next) next.settle(start(next.args));
    }).catch(() => undefined);
    return outcome;
  };

  return (...args: A) => {
    if (!running) return start(args);
    waiting?.settle(Promise.resolve({ superseded: true }));
    return new Promise<Latest<R>>((resolve, reject) => {
      waiting = { args, settle: (outcome) => void outcome.then(resolve, reject) };
    });
  };
}
