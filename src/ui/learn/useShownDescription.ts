import { useLab } from '../store';
import { splitDescription } from './description';
import { useLearn } from './learn-store';

/** The description as far as it may be read now: a scenario that asks first hides its "What the checker sees" until the reveal. */
export function useShownDescription(description: string): string {
  const scenarioFile = useLab((s) => s.scenarioFile);
  const asks = useLab((s) => s.run?.result.scenario.predict !== undefined);
  const revealed = useLearn((s) => s.prediction.scenarioFile === scenarioFile && s.prediction.revealed);
  return asks && !revealed ? splitDescription(description).beforeReveal : description;
}
