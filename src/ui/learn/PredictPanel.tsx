import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type { Verdict } from '../../checker/checker';
import { nextInPath } from '../../scenario/learn-path';
import { useController } from '../app/controller-context';
import { catalog } from '../app/scenario/catalog';
import { markdownToSafeHtml } from '../derive/markdown';
import { useLab } from '../store';
import { markCompleted, predictionFor, updatePrediction, useLearn } from './learn-store';

const QUICK_GUESSES = ['Yes', 'No', 'Not sure'];

const FIGURES: ReadonlyArray<readonly [string, (v: Verdict) => number]> = [
  ['committed', (v) => v.counters.committed],
  ['lost', (v) => v.counters.lost],
  ['phantom', (v) => v.counters.phantom],
  ['duplicate effects', (v) => v.counters.duplicateEffects],
  ['duplicate deliveries', (v) => v.counters.duplicateDeliveries],
  ['out of order', (v) => v.counters.outOfOrder],
  ['dead-lettered', (v) => v.counters.deadLettered],
  ['in doubt (most)', (v) => v.counters.inDoubtMax],
];

/**
 * "Predict first": the scenario's question before the run, a guess to commit, and once the run
 * has been played to the end (or on demand) the answer beside the checker's final figures.
 */
export function PredictPanel(): ReactElement | null {
  const controller = useController();
  const scenarioFile = useLab((s) => s.scenarioFile);
  const run = useLab((s) => s.run);
  const ended = useLab((s) => s.playback.state === 'ended');
  const stored = useLearn((s) => s.prediction);
  const prediction = stored.scenarioFile === scenarioFile ? stored : predictionFor(scenarioFile);
  const [draft, setDraft] = useState('');
  const scenario = run?.result.scenario;
  const predict = scenario?.predict;
  const answerHtml = useMemo(() => (predict ? markdownToSafeHtml(predict.answer) : ''), [predict]);
  const questionHtml = useMemo(() => (predict ? markdownToSafeHtml(predict.question) : ''), [predict]);
  const name = scenario?.name;

  useEffect(() => setDraft(''), [scenarioFile]);
  useEffect(() => {
    if (name && prediction.revealed && ended) markCompleted(name);
  }, [name, prediction.revealed, ended]);

  if (!run || !predict || !name) return null;
  const next = nextInPath(name);
  const nextEntry = next ? catalog.find((entry) => entry.name === next) : undefined;
  const commit = (guess: string) => guess.trim() && updatePrediction(scenarioFile, { guess: guess.trim(), committed: true });

  return (
    <section className={prediction.revealed ? 'pr-root pr-revealed' : 'pr-root'} aria-label="Predict first" data-testid="predict">
      <div className="pr-question">
        <span className="pr-label">Predict first</span>
        <div className="pr-question-text md" data-testid="predict-question" dangerouslySetInnerHTML={{ __html: questionHtml }} />
      </div>
      {!prediction.committed && !prediction.revealed ? (
        <form
          className="pr-guess"
          onSubmit={(e) => {
            e.preventDefault();
            commit(draft);
          }}
        >
          {QUICK_GUESSES.map((guess) => (
            <button key={guess} type="button" className="btn" data-testid={`predict-quick-${guess.toLowerCase().replace(/\s+/g, '-')}`} onClick={() => commit(guess)}>
              {guess}
            </button>
          ))}
          <input className="pr-guess-text" data-testid="predict-guess" placeholder="or say what you expect…" value={draft} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit" className="btn" disabled={!draft.trim()}>
            Commit
          </button>
        </form>
      ) : (
        prediction.committed && (
          <p className="pr-committed" data-testid="predict-committed">
            Your guess: <strong>{prediction.guess}</strong>
          </p>
        )
      )}
      {!prediction.revealed ? (
        <div className="pr-actions">
          {ended ? (
            <button type="button" className="btn btn-on" data-testid="predict-reveal" onClick={() => updatePrediction(scenarioFile, { revealed: true })}>
              Reveal the answer
            </button>
          ) : (
            <>
              <span className="pr-hint">Play the run to the end to reveal the answer.</span>
              <button type="button" className="btn btn-small" data-testid="predict-reveal-now" onClick={() => updatePrediction(scenarioFile, { revealed: true })}>
                Reveal now
              </button>
            </>
          )}
        </div>
      ) : (
        <div className="pr-reveal">
          <div className="pr-answer md" data-testid="predict-answer" dangerouslySetInnerHTML={{ __html: answerHtml }} />
          <table className="pr-figures" data-testid="predict-figures">
            <caption>The checker, at the end of the run</caption>
            <tbody>
              {FIGURES.map(([label, value]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td>{value(run.result.verdict)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {nextEntry && (
            <button type="button" className="btn" data-testid="learn-next" onClick={() => controller.chooseScenario(nextEntry.file)}>
              Next: {nextEntry.title} →
            </button>
          )}
        </div>
      )}
    </section>
  );
}
