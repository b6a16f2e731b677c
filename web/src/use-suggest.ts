/**
 * What the composer suggests while the agent types: canned responses after `/` or `::`, and, in a note, the
 * agents to mention after `@`. Arrow keys choose, Enter or Tab inserts, Escape closes; the box keeps the focus.
 */
import { useState } from 'preact/hooks';
import { findTrigger, matchCanned } from './canned-trigger.ts';
import { findMention, matchAgents, mentionOf } from './mention-trigger.ts';
import { optionId, type SuggestOption } from './suggest-list.tsx';
import type { Agent, CannedResponse } from './types.ts';

interface Sources {
  /** null or empty: no canned suggestions */
  canned: CannedResponse[] | null;
  /** who may be mentioned (empty: no mention suggestions) */
  agents: Agent[];
  /** the text a canned response inserts */
  fill(c: CannedResponse): string;
}

interface Trigger {
  kind: 'canned' | 'mention';
  start: number;
  query: string;
}

interface Choice extends SuggestOption {
  text: string;
}

export function useSuggest(listId: string, { canned, agents, fill }: Sources, insert: (start: number, text: string) => void) {
  const [trigger, setTrigger] = useState<Trigger | null>(null);
  const [active, setActive] = useState(0);

  const choices: Choice[] = !trigger
    ? []
    : trigger.kind === 'canned'
      ? matchCanned(canned ?? [], trigger.query).map((c) => ({ key: c.id, label: c.title, detail: `/${c.shortcut}`, text: fill(c) }))
      : matchAgents(agents, trigger.query).map((a) => ({ key: a.id, label: a.name, detail: a.email ?? undefined, text: mentionOf(a.name) }));
  const at = Math.min(active, Math.max(0, choices.length - 1));

  /** reads the text before the caret again */
  function update(el: HTMLTextAreaElement) {
    const collapsed = el.selectionStart === el.selectionEnd;
    const c = collapsed && canned?.length ? findTrigger(el.value, el.selectionStart) : null;
    const m = !c && collapsed && agents.length ? findMention(el.value, el.selectionStart, agents) : null;
    const t: Trigger | null = c ? { kind: 'canned', ...c } : m ? { kind: 'mention', ...m } : null;
    setTrigger((old) => {
      if (!old || !t || old.kind !== t.kind || old.start !== t.start || old.query !== t.query) setActive(0);
      return t;
    });
  }

  function pick(i: number) {
    const choice = choices[i];
    if (!trigger || !choice) return;
    insert(trigger.start, choice.text);
    setTrigger(null);
  }

  /** true when the key was for the suggestions */
  function onKeyDown(e: KeyboardEvent): boolean {
    if (!trigger) return false;
    const n = choices.length;
    if (e.key === 'ArrowDown' && n) { e.preventDefault(); setActive((at + 1) % n); return true; }
    if (e.key === 'ArrowUp' && n) { e.preventDefault(); setActive((at - 1 + n) % n); return true; }
    if ((e.key === 'Enter' || e.key === 'Tab') && !e.ctrlKey && !e.metaKey && !e.shiftKey && n) {
      e.preventDefault();
      pick(at);
      return true;
    }
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); setTrigger(null); return true; }
    return false;
  }

  const open = !!trigger;
  return {
    open,
    update,
    close: () => setTrigger(null),
    onKeyDown,
    /** for the reply box */
    boxProps: {
      'aria-controls': open ? listId : undefined,
      'aria-activedescendant': open && choices.length ? optionId(listId, at) : undefined,
    },
    /** for the SuggestList, when open */
    listProps: {
      id: listId,
      label: trigger?.kind === 'mention' ? 'Agents to mention' : 'Canned responses',
      empty: 'No canned response matches',
      items: choices,
      active: at,
      onPick: pick,
      onHover: setActive,
    },
  };
}
