import { useRef, type ReactElement } from 'react';
import { LEARN_PATH, learnOrder } from '../../scenario/learn-path';
import { useController } from '../app/controller-context';
import { catalog } from '../app/scenario/catalog';
import { downloadText } from '../share/clipboard';
import { useLab } from '../store';
import { setProgress, useLearn } from './learn-store';
import { parseProgress, progressFile } from './progress';

const fileOf = (name: string) => catalog.find((entry) => entry.name === name);

export function LearnButton(): ReactElement {
  return (
    <button type="button" className="btn" data-testid="learn-toggle" title="The Learn path: the scenarios from simplest to hardest" onClick={() => useLearn.setState({ open: true })}>
      Learn
    </button>
  );
}

/** The Learn path: chapters in order, what is done, where to go next; progress stays in this browser and travels as a file. */
export function LearnPanel(): ReactElement | null {
  const controller = useController();
  const open = useLearn((s) => s.open);
  const progress = useLearn((s) => s.progress);
  const message = useLearn((s) => s.importMessage);
  const scenarioFile = useLab((s) => s.scenarioFile);
  const fileInput = useRef<HTMLInputElement>(null);
  if (!open) return null;
  const order = learnOrder();
  const done = new Set(progress.completed);
  const next = order.find((name) => !done.has(name));
  const close = () => useLearn.setState({ open: false, importMessage: undefined });
  const play = (name: string) => {
    const entry = fileOf(name);
    if (!entry) return;
    close();
    controller.chooseScenario(entry.file);
  };
  const importFile = async (file: File) => {
    const parsed = parseProgress(await file.text());
    if (!parsed.ok) return useLearn.setState({ importMessage: { ok: false, text: parsed.message } });
    setProgress(parsed.progress);
    useLearn.setState({ importMessage: { ok: true, text: `Progress imported: ${parsed.progress.completed.length} of ${order.length} done.` } });
  };
  return (
    <div className="ln-backdrop" onClick={close}>
      <aside className="ln-drawer" role="dialog" aria-modal="true" aria-labelledby="learn-title" data-testid="learn-path" onClick={(e) => e.stopPropagation()}>
        <h2 id="learn-title">Learn</h2>
        <p className="ln-summary" data-testid="learn-progress">
          {done.size} of {order.length} scenarios done — a scenario is done when it has been played to the end and its answer revealed.
        </p>
        <div className="ln-actions">
          {next && (
            <button type="button" className="btn btn-on" data-testid="learn-continue" onClick={() => play(next)}>
              {done.size === 0 ? 'Start' : 'Continue'}: {fileOf(next)?.title ?? next}
            </button>
          )}
          <button type="button" className="btn btn-small" data-testid="learn-export" onClick={() => downloadText('outbox-lab-progress.json', progressFile(progress), 'application/json')}>
            Export progress
          </button>
          <button type="button" className="btn btn-small" onClick={() => fileInput.current?.click()}>
            Import progress…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            hidden
            data-testid="learn-import"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importFile(file);
            }}
          />
          <button type="button" className="btn btn-small" onClick={close}>
            Close
          </button>
        </div>
        {message && (
          <p className={message.ok ? 'ln-message' : 'ln-message ln-message-bad'} role="status" data-testid="learn-import-message">
            {message.text}
          </p>
        )}
        {LEARN_PATH.map((chapter, index) => (
          <section key={chapter.id} className="ln-chapter" data-testid={`learn-chapter-${chapter.id}`}>
            <h3>
              {index + 1}. {chapter.title}
            </h3>
            <p className="ln-intro">{chapter.intro}</p>
            <ol className="ln-list">
              {chapter.scenarios.map((name) => {
                const entry = fileOf(name);
                const classes = ['ln-item', done.has(name) ? 'ln-done' : '', entry?.file === scenarioFile ? 'ln-current' : ''].filter(Boolean).join(' ');
                return (
                  <li key={name} className={classes} data-testid={`learn-item-${name}`} data-done={done.has(name)}>
                    <span className="ln-mark" aria-label={done.has(name) ? 'done' : 'not done yet'}>
                      {done.has(name) ? '✓' : '○'}
                    </span>
                    <button type="button" onClick={() => play(name)}>
                      {entry?.title ?? name}
                    </button>
                  </li>
                );
              })}
            </ol>
          </section>
        ))}
      </aside>
    </div>
  );
}
