/** Reply drafts per case, kept in sessionStorage so a reload does not lose them (they never leave the tab). */
const key = (caseNumber: string) => `switchboard.draft.${caseNumber}`;

export interface Draft {
  text: string;
  internal: boolean;
  /** the newest message's time when the draft began: answers by others after it are news to its writer */
  since?: string;
}

export function loadDraft(caseNumber: string): Draft {
  try {
    const raw = sessionStorage.getItem(key(caseNumber));
    if (!raw) return { text: '', internal: false };
    const d = JSON.parse(raw) as Partial<Draft>;
    return { text: typeof d.text === 'string' ? d.text : '', internal: d.internal === true, ...(typeof d.since === 'string' ? { since: d.since } : {}) };
  } catch {
    return { text: '', internal: false };
  }
}

export function saveDraft(caseNumber: string, draft: Draft): void {
  try {
    if (!draft.text && !draft.internal) sessionStorage.removeItem(key(caseNumber));
    else sessionStorage.setItem(key(caseNumber), JSON.stringify(draft));
  } catch {
    // storage full or disabled: the draft lives only in the page
  }
}

export function clearDraft(caseNumber: string): void {
  try { sessionStorage.removeItem(key(caseNumber)); } catch { /* ignore */ }
}

/** Forgets every draft of this tab: the next person to sign in here must not read the last one's notes. */
export function clearAllDrafts(): void {
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const k = sessionStorage.key(i);
      if (k?.startsWith('switchboard.draft.')) sessionStorage.removeItem(k);
    }
  } catch {
    // storage disabled: there are no drafts to forget
  }
}
