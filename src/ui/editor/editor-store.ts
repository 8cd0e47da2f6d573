import { create } from 'zustand';
import type { ScenarioProblem } from '../../scenario/load';

export interface PlacedProblem extends ScenarioProblem {
  /** 1-based line of the YAML the field is on. */
  readonly line: number;
}

export interface EditorState {
  readonly open: boolean;
  readonly text: string;
  /** The saved scenario this text belongs to; undefined until saved. */
  readonly savedId?: string;
  readonly problems: readonly PlacedProblem[];
  readonly checking: boolean;
  /** What just happened (saved, draft kept, import refused), in words. */
  readonly status?: string;
  /** The editor's last run, offered in the picker. */
  readonly ranAs?: { readonly file: string; readonly title: string };
}

export const useEditor = create<EditorState>()(() => ({ open: false, text: '', problems: [], checking: false }));
