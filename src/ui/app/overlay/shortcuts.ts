import { SPEEDS } from '../../playback';
import type { PlaybackEvent, Speed } from '../../playback';

export interface Shortcut {
  readonly keys: readonly string[];
  readonly label: string;
}

/** Shown in the help overlay; presenters' remotes send PageUp/PageDown. */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['Space'], label: 'Play / pause' },
  { keys: ['→', 'PageDown'], label: 'Step forward' },
  { keys: ['←', 'PageUp'], label: 'Step back' },
  { keys: ['Home'], label: 'Restart from the first step' },
  { keys: ['End'], label: 'Jump to the end of the run' },
  { keys: ['+', '−'], label: 'Faster / slower' },
  { keys: ['?'], label: 'Show this help' },
  { keys: ['Esc'], label: 'Close this help' },
];

export type KeyAction =
  | { readonly kind: 'playback'; readonly event: PlaybackEvent }
  | { readonly kind: 'speed'; readonly speed: Speed }
  | { readonly kind: 'help'; readonly open: boolean }
  | { readonly kind: 'end' };

/** Where the key already means something (typing, choosing, sliding), shortcuts stay out of the way. */
export type FocusKind = 'text' | 'select' | 'range' | 'button' | 'other';

export function focusKindOf(target: EventTarget | null): FocusKind {
  if (!target || !(target instanceof HTMLElement)) return 'other';
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return 'text';
  if (target instanceof HTMLSelectElement) return 'select';
  if (target instanceof HTMLInputElement) {
    if (target.type === 'range') return 'range';
    return target.type === 'checkbox' || target.type === 'radio' || target.type === 'button' ? 'button' : 'text';
  }
  if (target instanceof HTMLButtonElement || target.getAttribute('role') === 'button') return 'button';
  return 'other';
}

export function keyAction(key: string, focus: FocusKind, state: { helpOpen: boolean; speed: Speed }): KeyAction | undefined {
  if (state.helpOpen) return key === 'Escape' || key === '?' ? { kind: 'help', open: false } : undefined;
  if (focus === 'text') return undefined;
  switch (key) {
    case '?':
      return { kind: 'help', open: true };
    case ' ':
      // A focused button or checkbox answers space itself.
      return focus === 'button' || focus === 'select' ? undefined : { kind: 'playback', event: { type: 'TOGGLE' } };
    case 'ArrowRight':
    case 'ArrowLeft':
      if (focus === 'select' || focus === 'range') return undefined;
      return { kind: 'playback', event: { type: key === 'ArrowRight' ? 'STEP_FORWARD' : 'STEP_BACK' } };
    case 'PageDown':
      return { kind: 'playback', event: { type: 'STEP_FORWARD' } };
    case 'PageUp':
      return { kind: 'playback', event: { type: 'STEP_BACK' } };
    case 'Home':
      return focus === 'range' ? undefined : { kind: 'playback', event: { type: 'RESTART' } };
    case 'End':
      return focus === 'range' ? undefined : { kind: 'end' };
    case '+':
    case '=':
    case '-':
      return { kind: 'speed', speed: nextSpeed(state.speed, key === '-' ? -1 : 1) };
    default:
      return undefined;
  }
}

function nextSpeed(speed: Speed, direction: 1 | -1): Speed {
  const index = SPEEDS.indexOf(speed);
  return SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, index + direction))]!;
}
