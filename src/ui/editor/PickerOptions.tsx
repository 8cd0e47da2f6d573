import type { ReactElement } from 'react';
import { useShare } from '../share/share-store';
import { useEditor } from './editor-store';
import { savedFileKey, useSaved } from './saved-store';

/** The picker's entries that are not files in scenarios/: the scenario a link opened and those saved in this browser. */
export function PickerOptions(): ReactElement {
  const linked = useShare((s) => s.linked);
  const saved = useSaved((s) => s.scenarios);
  const ranAs = useEditor((s) => s.ranAs);
  return (
    <>
      {linked && <option value={linked.file}>{linked.title}</option>}
      {ranAs && <option value={ranAs.file}>{ranAs.title}</option>}
      {saved.length > 0 && (
        <optgroup label="Saved in this browser" data-testid="saved-group">
          {saved.map((s) => (
            <option key={s.id} value={savedFileKey(s.id)}>
              {s.title} (saved)
            </option>
          ))}
        </optgroup>
      )}
    </>
  );
}
