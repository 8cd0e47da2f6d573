import { useId, type ReactElement } from 'react';
import { strategies } from '../../../strategies';
import { useLab } from '../../store';
import { useController } from '../controller-context';
import { catalog } from '../scenario/catalog';
import { PickerOptions } from '../../editor/PickerOptions';
import { useEditorActions } from '../../editor/useEditorActions';

/** Scenario file, strategy, seed and consumer mode: what the run is made of. */
export function ScenarioControls(): ReactElement {
  const controller = useController();
  const scenarioFile = useLab((s) => s.scenarioFile);
  const strategy = useLab((s) => s.strategy);
  const seedText = useLab((s) => s.seedText);
  const seedError = useLab((s) => s.seedError);
  const idempotent = useLab((s) => s.idempotent);
  const seedErrorId = useId();
  const editorActions = useEditorActions();
  return (
    <div className="hd-controls">
      <label className="hd-field hd-field-wide">
        <span>Scenario</span>
        <select data-testid="scenario-picker" value={scenarioFile} onChange={(e) => editorActions.choose(e.target.value)}>
          <PickerOptions />
          {catalog.map((entry) => (
            <option key={entry.file} value={entry.file}>
              {entry.title}
            </option>
          ))}
        </select>
      </label>
      <label className="hd-field hd-field-strategy">
        <span>Strategy</span>
        <select data-testid="strategy-picker" value={strategy} onChange={(e) => controller.chooseStrategy(e.target.value)}>
          {strategies.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </select>
      </label>
      <label className="hd-field hd-field-seed">
        <span>Seed</span>
        <input
          data-testid="seed"
          inputMode="numeric"
          value={seedText}
          aria-invalid={seedError ? true : undefined}
          aria-describedby={seedError ? seedErrorId : undefined}
          onChange={(e) => controller.setSeedText(e.target.value)}
        />
        {seedError && (
          <span id={seedErrorId} role="alert" className="hd-field-error" data-testid="seed-error">
            {seedError}
          </span>
        )}
      </label>
      <label className="hd-toggle">
        <input type="checkbox" data-testid="idempotent-toggle" checked={idempotent} onChange={(e) => controller.setIdempotent(e.target.checked)} />
        <span>Idempotent consumers</span>
      </label>
    </div>
  );
}
