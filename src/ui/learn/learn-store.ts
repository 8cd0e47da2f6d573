import { create } from 'zustand';
import { loadProgress, saveProgress, withCompleted, type LearnProgress } from './progress';

/** The learner's guess for the scenario on screen, and whether its answer is shown. */
export interface Prediction {
  /** The scenario file the guess belongs to: choosing another scenario starts a fresh guess. */
  readonly scenarioFile: string;
  readonly guess: string;
  readonly committed: boolean;
  readonly revealed: boolean;
}

export interface LearnState {
  readonly open: boolean;
  readonly progress: LearnProgress;
  readonly prediction: Prediction;
  /** The outcome of the last progress import, in words. */
  readonly importMessage?: { readonly ok: boolean; readonly text: string };
}

export const useLearn = create<LearnState>()(() => ({
  open: false,
  progress: loadProgress(),
  prediction: { scenarioFile: '', guess: '', committed: false, revealed: false },
}));

export function predictionFor(scenarioFile: string): Prediction {
  const current = useLearn.getState().prediction;
  return current.scenarioFile === scenarioFile ? current : { scenarioFile, guess: '', committed: false, revealed: false };
}

export function updatePrediction(scenarioFile: string, change: Partial<Omit<Prediction, 'scenarioFile'>>): void {
  useLearn.setState({ prediction: { ...predictionFor(scenarioFile), ...change } });
}

export function setProgress(progress: LearnProgress): void {
  saveProgress(progress);
  useLearn.setState({ progress });
}

export function markCompleted(name: string): void {
  const { progress } = useLearn.getState();
  const next = withCompleted(progress, name);
  if (next !== progress) setProgress(next);
}
