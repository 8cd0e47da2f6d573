import { describeFault } from '../../../engine/faults';
import type { Fault } from '../../../scenario/schema';

const ms = (value: number): string => `${value.toLocaleString('en')} ms`;

/** When a fault acts, in words: "at 420 ms", "from 300 ms to 1,300 ms", "from 300 ms, until brought back". */
export function faultTiming(fault: Fault): string {
  if (fault.type === 'kill') return `at ${ms(fault.at)}`;
  if (fault.type === 'poison-message') return 'every delivery';
  const from = fault.from ?? 0;
  if (fault.to !== undefined) return `from ${ms(from)} to ${ms(fault.to)}`;
  if (fault.type === 'broker-down') return `from ${ms(from)}, not back yet`;
  return from > 0 ? `from ${ms(from)}` : 'from the start';
}

export function faultSummary(fault: Fault): string {
  return `${describeFault(fault)} · ${faultTiming(fault)}`;
}
