import './editor.css';
import { useEffect, useRef, type ReactElement } from 'react';
import { downloadText } from '../share/clipboard';
import { useEditor } from './editor-store';
import { useEditorActions } from './useEditorActions';

const LINE_HEIGHT_PX = 20;

export function EditorButton(): ReactElement {
  const actions = useEditorActions();
  return (
    <button type="button" className="btn" data-testid="editor-toggle" title="Write, duplicate, save and run scenarios" onClick={() => actions.open()}>
      Editor
    </button>
  );
}

/**
 * The scenario editor: YAML with line numbers, each problem shown beside the line of its field,
 * every keystroke kept as a draft in this browser; Run, Save, import and export files.
 */
export function EditorPanel(): ReactElement | null {
  const actions = useEditorActions();
  const { open, text, problems, checking, status, savedId } = useEditor();
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => void actions.restore(), [actions]);
  if (!open) return null;
  const lines = text.split('\n');
  const badLines = new Set(problems.map((p) => p.line));
  const name = /^name:\s*["']?([a-z0-9-]+)/m.exec(text)?.[1] ?? 'scenario';
  return (
    <div className="ln-backdrop" onClick={() => actions.close()}>
      <aside className="ed-drawer" role="dialog" aria-modal="true" aria-labelledby="editor-title" data-testid="editor" onClick={(e) => e.stopPropagation()}>
        <div className="ed-head">
          <h2 id="editor-title">Scenario editor</h2>
          <span className="ed-status" role="status" data-testid="editor-status">
            {checking ? 'Checking…' : status ?? (problems.length === 0 ? 'Valid.' : `${problems.length} problem${problems.length > 1 ? 's' : ''}`)}
            {savedId ? ' · saved in this browser' : ''}
          </span>
        </div>
        <div className="ed-actions">
          <button type="button" className="btn btn-on" data-testid="editor-run" onClick={() => void actions.run()}>
            Run
          </button>
          <button type="button" className="btn" data-testid="editor-save" onClick={() => void actions.save()}>
            Save
          </button>
          <button type="button" className="btn btn-small" data-testid="editor-new" onClick={() => actions.createNew()}>
            New
          </button>
          <button type="button" className="btn btn-small" data-testid="editor-duplicate" onClick={() => actions.duplicateCurrent()}>
            Duplicate current
          </button>
          <button type="button" className="btn btn-small" onClick={() => fileInput.current?.click()}>
            Import .yaml…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".yaml,.yml,.json,text/yaml,application/json"
            hidden
            data-testid="editor-import"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void file.text().then((content) => actions.importText(content, file.name));
            }}
          />
          <button type="button" className="btn btn-small" data-testid="editor-export" onClick={() => downloadText(`${name}.yaml`, text, 'text/yaml')}>
            Export .yaml
          </button>
          <button type="button" className="btn btn-small" onClick={() => actions.close()}>
            Close
          </button>
        </div>
        <div className="ed-code">
          <pre className="ed-gutter" aria-hidden="true">
            {lines.map((_, i) => (
              <span key={i} className={badLines.has(i + 1) ? 'ed-line-bad' : undefined}>
                {i + 1}
                {'\n'}
              </span>
            ))}
          </pre>
          <textarea
            className="ed-text"
            data-testid="editor-text"
            aria-label="Scenario YAML"
            spellCheck={false}
            wrap="off"
            value={text}
            rows={lines.length + 1}
            style={{ lineHeight: `${LINE_HEIGHT_PX}px` }}
            aria-invalid={problems.length > 0 ? true : undefined}
            onChange={(e) => actions.type(e.target.value)}
          />
          {problems.map((p, i) => (
            <p
              key={`${p.field}-${i}`}
              className="ed-problem"
              role="alert"
              data-testid="editor-problem"
              data-line={p.line}
              data-field={p.field}
              style={{ top: `${(p.line - 1) * LINE_HEIGHT_PX + 8}px` }}
              title={`${p.field}: ${p.message}`}
            >
              ← <code>{p.field}</code>: {p.message}
            </p>
          ))}
        </div>
      </aside>
    </div>
  );
}
