import { useEffect } from 'react';
import { useLab } from '../../store';
import type { Controller } from '../controller';
import { focusKindOf, keyAction } from './shortcuts';

/** Space, arrows, ? and friends, for presenters and their remotes; never while typing. */
export function useKeyboard(controller: Controller): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const state = useLab.getState();
      const action = keyAction(event.key, focusKindOf(event.target), { helpOpen: state.helpOpen, speed: state.playback.speed });
      if (!action) return;
      event.preventDefault();
      switch (action.kind) {
        case 'playback':
          return controller.send(action.event);
        case 'speed':
          return controller.setSpeed(action.speed);
        case 'help':
          return controller.setHelpOpen(action.open);
        case 'end':
          return controller.send({ type: 'SEEK', cursor: state.playback.length });
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [controller]);
}
