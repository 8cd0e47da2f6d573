import { create } from 'zustand';

/** Sharing and ADR export: what their dialogs show. */
export interface ShareState {
  /** Why the link the page was opened with could not be used. */
  readonly linkError?: string;
  readonly share?: { readonly url?: string; readonly copied: boolean; readonly error?: string };
  readonly adrOpen: boolean;
  /** The scenario a link opened, offered in the picker. */
  readonly linked?: { readonly file: string; readonly title: string };
}

export const useShare = create<ShareState>()(() => ({ adrOpen: false }));
