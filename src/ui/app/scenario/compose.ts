import { faultMismatch as faultMismatchIn } from '../../../engine/compare';
import { CONSUMER_IDS } from '../../../infra/consumers';
import type { Fault } from '../../../scenario/schema';
import { actorsOf, findStrategy } from '../../../strategies';

/** What the header and the fault toolbar change about the chosen scenario file. */
export interface ScenarioChoices {
  readonly strategy: string;
  readonly seed: number;
  readonly idempotent: boolean;
  /** The scenario's faults: the file's, as edited, then those added while watching. */
  readonly faults: readonly Fault[];
}

export interface ComposedScenario {
  /** Plain scenario data for the worker to validate and run. */
  readonly input: Record<string, unknown>;
  readonly faults: readonly Fault[];
  /** What had to be left out for this strategy, in words. */
  readonly notes: readonly string[];
}

/** The actors a kill fault may name for a strategy with its default options (the loader's rule). */
export function killableActors(strategy: string): string[] {
  const found = findStrategy(strategy);
  return found ? actorsOf(found, found.options.parse({}), CONSUMER_IDS) : [];
}

/** Why a fault cannot apply to a strategy, or undefined when it can. */
export function faultMismatch(fault: Fault, strategy: string): string | undefined {
  const found = findStrategy(strategy);
  if (!found) return `there is no strategy '${strategy}'`;
  return faultMismatchIn(fault, found, found.options.parse({}), CONSUMER_IDS);
}

/** The faults a scenario file lists (validated later, with everything else, by the worker). */
export const faultsOfFile = (data: Record<string, unknown> | undefined): Fault[] => (Array.isArray(data?.faults) ? (data.faults as Fault[]) : []);

/**
 * The scenario to run: the file's data with the chosen strategy, seed, consumer mode and
 * fault list. A file written for another strategy keeps what still makes sense and
 * says what it dropped (its options, crash points the strategy lacks).
 */
export function composeScenario(base: Record<string, unknown>, choices: ScenarioChoices): ComposedScenario {
  const notes: string[] = [];
  const sameStrategy = base.strategy === choices.strategy;
  const faults: Fault[] = [];
  for (const fault of choices.faults) {
    const mismatch = faultMismatch(fault, choices.strategy);
    if (mismatch) notes.push(`Left out for ${choices.strategy}: ${mismatch}.`);
    else faults.push(fault);
  }
  const options = sameStrategy ? base.options : undefined;
  if (!sameStrategy && base.options && typeof base.options === 'object' && Object.keys(base.options).length > 0) {
    notes.push(`Left out for ${choices.strategy}: the file's options (${Object.keys(base.options).join(', ')}) belong to ${String(base.strategy)}.`);
  }
  const consumers = typeof base.consumers === 'object' && base.consumers ? (base.consumers as Record<string, unknown>) : {};
  const input: Record<string, unknown> = {
    ...base,
    strategy: choices.strategy,
    seed: choices.seed,
    consumers: { ...consumers, idempotent: choices.idempotent },
    faults,
  };
  if (options === undefined) delete input.options;
  // The file's expectations describe its own strategy's outcome, not another's.
  if (!sameStrategy) delete input.expect;
  return { input, faults, notes };
}
