/**
 * The Block Kit card a case gets in its queue's Slack channel: who, what, how urgent, how the customer
 * feels, the first lines, and the buttons agents act with. Pure: data in, message out.
 */
import type { DeskCase } from '../agent-desk.types.ts';
import { escapeMrkdwn, firstLines, quote, truncate } from './slack-text.ts';

export const ACTION = {
  claim: 'case_claim',
  resolve: 'case_resolve',
  reopen: 'case_reopen',
  priority: 'case_priority',
  move: 'case_move',
} as const;

export const PRIORITY_LABELS: Record<number, string> = { 1: 'P1 Critical', 2: 'P2 High', 3: 'P3 Normal', 4: 'P4 Low' };
const PRIORITY_ICON: Record<number, string> = { 1: ':red_circle:', 2: ':large_orange_circle:', 3: ':large_blue_circle:', 4: ':white_circle:' };
export const STATE_LABELS: Record<string, string> = {
  new: 'New',
  open: 'Open',
  awaiting_customer: 'Awaiting customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** How the card names an agent: a mention when the agent is linked to a Slack user, else the name. */
export interface CardAgent {
  name: string;
  slackUserId: string | null;
}

export interface CardInput {
  kase: DeskCase;
  /** the customer's first message (already plain text) */
  firstMessage: string | null;
  assignee: CardAgent | null;
  offeredTo: CardAgent | null;
  /** queue names for the "move" menu */
  queues: string[];
}

/** characters of the first message shown on the card */
export const PREVIEW_CHARS = 600;
const PREVIEW_LINES = 6;

export function agentLabel(a: CardAgent): string {
  return a.slackUserId ? `<@${a.slackUserId}>` : escapeMrkdwn(a.name);
}

export function priorityLabel(p: number): string {
  return `${PRIORITY_ICON[p] ?? ''} ${PRIORITY_LABELS[p] ?? `P${p}`}`.trim();
}

export function sentimentLabel(score: number, frustrated: boolean): string {
  const icon = frustrated ? ':rage:' : score <= -0.3 ? ':slightly_frowning_face:' : score >= 0.3 ? ':slightly_smiling_face:' : ':neutral_face:';
  return `${icon} ${score.toFixed(2)}${frustrated ? ' frustrated' : ''}`;
}

function customerLabel(c: DeskCase['contact']): string {
  const parts = [c.name, c.email, c.phone].filter((v): v is string => Boolean(v));
  return parts.length ? escapeMrkdwn(parts.join(' · ')) : '_unknown_';
}

function plainText(text: string, max: number) {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

/** The first message as the card shows it: a few lines, cut at PREVIEW_CHARS. */
export function previewOf(text: string): { text: string; cut: boolean } {
  const lines = firstLines(text, PREVIEW_LINES);
  const shown = truncate(lines, PREVIEW_CHARS);
  return { text: shown, cut: shown !== text.trim() };
}

export function buildCaseCard(input: CardInput): { text: string; blocks: unknown[] } {
  const k = input.kase;
  const closedOrResolved = k.state === 'resolved' || k.state === 'closed';
  const assignee = input.assignee
    ? agentLabel(input.assignee)
    : input.offeredTo
      ? `_unassigned_ (offered to ${agentLabel(input.offeredTo)})`
      : '_unassigned_';
  const fields = [
    `*Customer*\n${customerLabel(k.contact)}`,
    `*Channel*\n${escapeMrkdwn(k.channel)}`,
    `*Priority*\n${priorityLabel(k.priority)}`,
    `*State*\n${STATE_LABELS[k.state] ?? escapeMrkdwn(k.state)}`,
    `*Queue*\n${k.queue ? escapeMrkdwn(k.queue) : '_none_'}`,
    `*Assignee*\n${assignee}`,
    `*Sentiment*\n${sentimentLabel(k.sentiment, k.frustrated)}`,
    `*Category*\n${k.category ? escapeMrkdwn(k.category) : '_none_'}`,
    ...(k.sla ? [`*SLA* (${escapeMrkdwn(k.sla.policy)})\n${slaLine(k.sla)}`] : []),
  ].map((text) => ({ type: 'mrkdwn', text: truncate(text, 1900) }));

  const blocks: unknown[] = [
    { type: 'header', text: plainText(`${k.number} · ${k.subject || '(no subject)'}`, 150) },
    { type: 'section', fields },
  ];
  if (input.firstMessage) {
    // cut after escaping: an escaped `&` is five characters, and a section's text must stay within 3,000
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(quote(escapeMrkdwn(previewOf(input.firstMessage).text)), 2900) } });
  }
  if (k.state !== 'closed') blocks.push({ type: 'actions', block_id: 'case_actions', elements: actionElements(input, closedOrResolved) });
  const tags = k.tags.length ? ` · tags: ${escapeMrkdwn(k.tags.join(', '))}` : '';
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Reply in this thread to answer the customer; start with \`note:\` for an internal note${tags}` }] });

  // the fallback text is read as markup (notifications): escaped like every customer-written field
  const text = `${k.number} · ${STATE_LABELS[k.state] ?? k.state} · ${PRIORITY_LABELS[k.priority] ?? `P${k.priority}`} · ${escapeMrkdwn(truncate(k.subject || '(no subject)', 120))}`;
  return { text, blocks };
}

export const SLA_TARGET_LABELS: Record<string, string> = { firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution' };

/** An instant as Slack shows it in each reader's own time zone, with the ISO text where that fails. */
export function slackTime(iso: string): string {
  return `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${iso}>`;
}

/** The promise that matters most now: a broken one, else the nearest running, else a paused or kept one. */
function slaLine(sla: NonNullable<DeskCase['sla']>): string {
  const targets = (['firstResponse', 'nextResponse', 'resolution'] as const).flatMap((t) => (sla[t] ? [{ name: SLA_TARGET_LABELS[t]!, ...sla[t]! }] : []));
  const rank = { breached: 0, running: 1, paused: 2, met: 3 } as const;
  const top = targets.sort((a, b) => rank[a.state] - rank[b.state] || (a.dueAt ?? '').localeCompare(b.dueAt ?? ''))[0];
  if (!top) return '_no target_';
  switch (top.state) {
    case 'breached':
      return `:rotating_light: ${top.name} breached${top.dueAt ? ` (due ${slackTime(top.dueAt)})` : ''}`;
    case 'running':
      return `:hourglass_flowing_sand: ${top.name} due ${top.dueAt ? slackTime(top.dueAt) : ''}`;
    case 'paused':
      return `:double_vertical_bar: ${top.name} paused (waiting for the customer)`;
    case 'met':
      return `:white_check_mark: ${top.name} met`;
  }
}

function actionElements(input: CardInput, closedOrResolved: boolean): unknown[] {
  const k = input.kase;
  const elements: unknown[] = [];
  if (!closedOrResolved && !input.assignee) elements.push(button(ACTION.claim, 'Claim', k.number, 'primary'));
  if (!closedOrResolved) elements.push(button(ACTION.resolve, 'Resolve', k.number));
  if (k.state === 'resolved') elements.push(button(ACTION.reopen, 'Reopen', k.number));
  const priorities = [1, 2, 3, 4].map((p) => option(PRIORITY_LABELS[p]!, `${k.number}:${p}`));
  elements.push({
    type: 'static_select',
    action_id: ACTION.priority,
    placeholder: plainText('Priority', 75),
    options: priorities,
    ...(PRIORITY_LABELS[k.priority] ? { initial_option: priorities[k.priority - 1] } : {}),
  });
  // option values carry the case number too: a menu's value is all an action payload gives back
  const queues = input.queues.filter((q) => `${k.number}:${q}`.length <= 150).slice(0, 100);
  if (queues.length) {
    const options = queues.map((q) => option(q, `${k.number}:${q}`));
    const current = options[queues.indexOf(k.queue ?? '')];
    elements.push({ type: 'static_select', action_id: ACTION.move, placeholder: plainText('Move to queue', 75), options, ...(current ? { initial_option: current } : {}) });
  }
  return elements;
}

function button(actionId: string, label: string, value: string, style?: 'primary' | 'danger') {
  return { type: 'button', action_id: actionId, text: plainText(label, 75), value, ...(style ? { style } : {}) };
}

function option(label: string, value: string) {
  return { text: plainText(label, 75), value };
}
