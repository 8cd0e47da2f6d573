import { useController } from '../app/controller-context';
import type { Controller } from '../app/controller';
import { editorActions, type EditorActions } from './editor-actions';

const actionsOf = new WeakMap<Controller, EditorActions>();

export function useEditorActions(): EditorActions {
  const controller = useController();
  let actions = actionsOf.get(controller);
  if (!actions) {
    actions = editorActions(controller);
    actionsOf.set(controller, actions);
  }
  return actions;
}
