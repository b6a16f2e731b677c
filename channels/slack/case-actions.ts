/**
 * What an agent can do to a case from Slack, whether by a card button or by `/case`: parsed into one
 * shape and turned into the desk's patch. Pure.
 */
import type { DeskPatch } from '../agent-desk.types.ts';
import { ACTION } from './case-card.ts';

export type CaseAction =
  | { type: 'show' }
  | { type: 'claim' }
  | { type: 'resolve' }
  | { type: 'reopen' }
  | { type: 'priority'; priority: number }
  | { type: 'move'; queue: string }
  /** another Slack user; the desk decides whether the actor may assign to others */
  | { type: 'assign'; slackUserId: string };

export type ParsedCommand = { ok: true; number: string; action: CaseAction } | { ok: false; message: string };

export const COMMAND_HELP = [
  'Usage: `/case CS0001001 <action>`, where action is one of:',
  '• `claim` — take the case',
  '• `resolve` / `reopen`',
  '• `priority 1`…`4` (1 critical, 4 low)',
  '• `move <queue name>`',
  '• `assign @someone` (supervisors)',
  'Without an action, `/case CS0001001` shows the case.',
].join('\n');

const NUMBER = /^CS\d{7,}$/i;

/** `/case` text: `CS0001001 resolve`, `CS0001001 priority 2`, `CS0001001 move Billing`, `CS0001001 assign <@U123|ann>`. */
export function parseCaseCommand(text: string): ParsedCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || /^help$/i.test(words[0]!)) return { ok: false, message: COMMAND_HELP };
  const number = words[0]!.toUpperCase();
  if (!NUMBER.test(number)) return { ok: false, message: `"${words[0]}" is not a case number.\n${COMMAND_HELP}` };
  const verb = (words[1] ?? '').toLowerCase();
  const rest = words.slice(2).join(' ').trim();
  switch (verb) {
    case '':
    case 'show':
      return { ok: true, number, action: { type: 'show' } };
    case 'claim':
    case 'take':
      return { ok: true, number, action: { type: 'claim' } };
    case 'resolve':
      return { ok: true, number, action: { type: 'resolve' } };
    case 'reopen':
      return { ok: true, number, action: { type: 'reopen' } };
    case 'priority':
    case 'prio': {
      const p = Number(rest.replace(/^p/i, ''));
      if (!Number.isInteger(p) || p < 1 || p > 4) return { ok: false, message: 'Priority must be 1 (critical) to 4 (low).' };
      return { ok: true, number, action: { type: 'priority', priority: p } };
    }
    case 'move':
      if (!rest) return { ok: false, message: 'Name the queue: `/case CS0001001 move Billing`.' };
      return { ok: true, number, action: { type: 'move', queue: rest } };
    case 'assign': {
      // Slack escapes mentions in commands as <@U123|name> (or <@U123>); a bare id is accepted too
      const m = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(rest) ?? /^([UW][A-Z0-9]{2,})$/.exec(rest);
      if (!m) return { ok: false, message: 'Mention the agent: `/case CS0001001 assign @ann`.' };
      return { ok: true, number, action: { type: 'assign', slackUserId: m[1]! } };
    }
    default:
      return { ok: false, message: `Unknown action "${words[1]}".\n${COMMAND_HELP}` };
  }
}

/** A card button or menu choice: the case number travels in the value. Null for anything not ours. */
export function actionFromBlock(a: { action_id?: unknown; value?: unknown; selected_option?: { value?: unknown } | null }): { number: string; action: CaseAction } | null {
  const value = typeof a.value === 'string' ? a.value : typeof a.selected_option?.value === 'string' ? a.selected_option.value : null;
  if (value === null) return null;
  const sep = value.indexOf(':');
  const number = (sep === -1 ? value : value.slice(0, sep)).toUpperCase();
  const arg = sep === -1 ? '' : value.slice(sep + 1);
  if (!NUMBER.test(number)) return null;
  switch (a.action_id) {
    case ACTION.claim:
      return { number, action: { type: 'claim' } };
    case ACTION.resolve:
      return { number, action: { type: 'resolve' } };
    case ACTION.reopen:
      return { number, action: { type: 'reopen' } };
    case ACTION.priority: {
      const p = Number(arg);
      return Number.isInteger(p) && p >= 1 && p <= 4 ? { number, action: { type: 'priority', priority: p } } : null;
    }
    case ACTION.move:
      return arg ? { number, action: { type: 'move', queue: arg } } : null;
    default:
      return null;
  }
}

/** The desk patch for an action (a claim is not a patch: the desk claims); `assign` needs the target agent's id. */
export function patchFor(action: Exclude<CaseAction, { type: 'show' | 'claim' }>, assigneeId?: string): DeskPatch {
  switch (action.type) {
    case 'resolve':
      return { state: 'resolved' };
    case 'reopen':
      return { state: 'open' };
    case 'priority':
      return { priority: action.priority };
    case 'move':
      return { queue: action.queue };
    case 'assign':
      return { assignee: assigneeId ?? null };
  }
}

/** The confirmation shown to the agent after the desk accepted the action. */
export function describeDone(number: string, action: CaseAction): string {
  switch (action.type) {
    case 'claim':
      return `${number} is yours.`;
    case 'resolve':
      return `${number} resolved.`;
    case 'reopen':
      return `${number} reopened.`;
    case 'priority':
      return `${number} priority set to ${action.priority}.`;
    case 'move':
      return `${number} moved to ${action.queue}.`;
    case 'assign':
      return `${number} assigned to <@${action.slackUserId}>.`;
    case 'show':
      return number;
  }
}
