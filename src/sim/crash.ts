/**
 * Thrown from inside a step when a crash point sits in the middle of it (e.g. between
 * publishing and committing, with the transaction still open). The database wrapper rolls
 * the open transaction back on the way out, as Postgres does when a client's connection dies,
 * and the kernel turns it into an ordinary crash of the actor.
 */
export class CrashSignal extends Error {
  constructor(readonly point: string) {
    super(`crashed at ${point}`);
    this.name = 'CrashSignal';
  }
}
