/**
 * Keeps each case's Slack card and thread in step with the case: the card is posted in the queue's
 * channel (or SLACK_DEFAULT_CHANNEL) when the case appears, updated when its state, priority, assignee
 * or queue changes, and moved when the new queue lives in another channel. Customer messages, answers
 * and notes written elsewhere, assignments and failed deliveries are written into the thread. What was
 * done from Slack itself (origin "slack") is not written back: it is already there.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { AgentDesk, DeskCase, DeskEvent, DeskInteraction } from '../agent-desk.types.ts';
import { buildCaseCard, previewOf, priorityLabel, SLA_TARGET_LABELS, slackTime, STATE_LABELS, type CardAgent } from './case-card.ts';
import { describeSlackError, type SlackApi } from './slack-api.ts';
import { escapeMrkdwn, quote, truncate } from './slack-text.ts';

export const SLACK_ORIGIN = 'slack';

/** Case fields the card shows: a change to any of them redraws it. */
const CARD_FIELDS = new Set(['state', 'priority', 'assignee', 'queue', 'offeredTo', 'sentiment', 'frustrated', 'category', 'subject', 'tags', 'sla']);
/** characters of a message written into a thread */
const THREAD_TEXT_CHARS = 3_000;

export interface CaseMirrorOptions {
  desk: AgentDesk;
  api: Pick<SlackApi, 'postMessage' | 'update'>;
  log: FastifyBaseLogger;
  defaultChannel?: string;
}

interface Card {
  channel: string;
  ts: string;
  /** posted by this very event: it already shows the case as it is, and its first message */
  fresh?: { previewOf: string | null; previewCut: boolean };
}

type FullCase = DeskCase & { interactions: DeskInteraction[] };

export class CaseMirror {
  private readonly chains = new Map<string, Promise<void>>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly o: CaseMirrorOptions) {}

  start(): void {
    this.unsubscribe ??= this.o.desk.onEvent((e) => this.enqueue(e));
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await Promise.race([Promise.allSettled([...this.chains.values()]), new Promise((r) => setTimeout(r, 5_000).unref())]);
  }

  /** resolves once everything queued so far for every case is done (tests, shutdown) */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.allSettled([...this.chains.values()]);
  }

  /** One chain per case keeps its card ahead of its thread and its posts in order; cases do not wait for each other. */
  private enqueue(e: DeskEvent): void {
    const key = e.caseNumber;
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(() => this.handle(e))
      .catch((err: unknown) => this.o.log.warn({ caseNumber: key, event: e.type, reason: describeSlackError(err) }, 'slack: mirroring failed'))
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    this.chains.set(key, next);
  }

  private async handle(e: DeskEvent): Promise<void> {
    switch (e.type) {
      case 'case.created':
        await this.ensureCard(e.caseNumber);
        return;
      case 'case.updated':
        return this.onUpdate(e.caseNumber, e.changes, e.origin);
      case 'interaction.added':
        return this.onInteraction(e.caseNumber, e.interaction, e.origin, e.case);
      case 'interaction.status':
        if (e.status !== 'failed') return;
        return this.post(e.caseNumber, `:warning: A message to the customer was not delivered${e.error ? `: ${escapeMrkdwn(truncate(e.error, 500))}` : '.'}`);
      case 'sla.alert':
        return this.onSlaAlert(e);
    }
  }

  /** A warning or a breach: said in the case's thread (with the queue's channel alerted) or to the channel or person named. */
  private async onSlaAlert(e: Extract<DeskEvent, { type: 'sla.alert' }>): Promise<void> {
    const what = `${SLA_TARGET_LABELS[e.target] ?? escapeMrkdwn(e.target)} ${e.when === 'breach' ? 'breached' : 'due soon'}`;
    const line = `${e.when === 'breach' ? ':rotating_light:' : ':hourglass_flowing_sand:'} *SLA ${what}* (${escapeMrkdwn(e.policy)}, due ${slackTime(e.dueAt)})`;
    for (const to of e.to) {
      if (to) {
        await this.o.api.postMessage({ channel: to, text: `${e.caseNumber}: ${line}` });
        continue;
      }
      const card = await this.ensureCard(e.caseNumber);
      if (!card) continue;
      await this.o.api.postMessage({ channel: card.channel, threadTs: card.ts, text: line, ...(e.when === 'breach' ? { replyBroadcast: true } : {}) });
    }
  }

  private async onUpdate(number: string, changes: string[], origin: string | undefined): Promise<void> {
    const card = await this.ensureCard(number);
    if (!card || card.fresh) return;
    // a change the card does not show (a customer's follow-up moving lastInboundAt) needs no case read
    if (!changes.some((c) => CARD_FIELDS.has(c))) return;
    const kase = await this.o.desk.getCase(number);
    if (!kase) return;
    let current = card;
    if (changes.includes('queue')) current = await this.relocate(kase, card);
    if (!current.fresh) await this.redraw(kase, current);
    if (origin === SLACK_ORIGIN) return;
    const line = await this.changeLine(kase, changes, origin);
    if (line) await this.o.api.postMessage({ channel: current.channel, threadTs: current.ts, text: line });
  }

  private async onInteraction(number: string, i: DeskInteraction, origin: string | undefined, known: DeskCase | undefined): Promise<void> {
    if (origin === SLACK_ORIGIN) return;
    const card = await this.ensureCard(number);
    if (!card) return;
    if (card.fresh && card.fresh.previewOf === i.id && !card.fresh.previewCut) return;
    const line = await this.interactionLine(number, i, known);
    if (line) await this.o.api.postMessage({ channel: card.channel, threadTs: card.ts, text: line });
  }

  private async post(number: string, text: string): Promise<void> {
    const card = await this.ensureCard(number);
    if (card) await this.o.api.postMessage({ channel: card.channel, threadTs: card.ts, text });
  }

  /** The case's card, posting it first when the case has none yet and its queue has a channel. */
  private async ensureCard(number: string): Promise<Card | null> {
    const existing = await this.o.desk.threadOf(number);
    if (existing) return existing;
    const kase = await this.o.desk.getCase(number);
    if (!kase) return null;
    const queues = await this.o.desk.queues();
    const channel = this.channelFor(kase.queue, queues);
    if (!channel) {
      this.o.log.debug({ caseNumber: number, queue: kase.queue }, 'slack: no channel for this queue and no SLACK_DEFAULT_CHANNEL; no card');
      return null;
    }
    const first = firstCustomerMessage(kase);
    const message = buildCaseCard(await this.cardInput(kase, queues));
    const posted = await this.o.api.postMessage({ channel, text: message.text, blocks: message.blocks });
    await this.o.desk.linkThread(number, posted.channel, posted.ts);
    return { channel: posted.channel, ts: posted.ts, fresh: { previewOf: first?.id ?? null, previewCut: first ? previewOf(first.text).cut : false } };
  }

  private async redraw(kase: FullCase, card: Card): Promise<void> {
    const message = buildCaseCard(await this.cardInput(kase));
    await this.o.api.update({ channel: card.channel, ts: card.ts, text: message.text, blocks: message.blocks });
  }

  /** A move to a queue in another channel: the old card says where the case went, a new card takes over. */
  private async relocate(kase: FullCase, card: Card): Promise<Card> {
    const queues = await this.o.desk.queues();
    const target = this.channelFor(kase.queue, queues);
    if (!target || target === card.channel) return card;
    const message = buildCaseCard(await this.cardInput(kase, queues));
    const posted = await this.o.api.postMessage({ channel: target, text: message.text, blocks: message.blocks });
    await this.o.desk.linkThread(kase.number, posted.channel, posted.ts);
    const moved = `${kase.number} moved to ${escapeMrkdwn(kase.queue ?? 'another queue')}: <#${posted.channel}>`;
    await this.o.api.update({ channel: card.channel, ts: card.ts, text: moved, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:arrow_right: ${moved}` } }] });
    await this.o.api.postMessage({ channel: posted.channel, threadTs: posted.ts, text: `:arrow_right: Moved here from <#${card.channel}>; its earlier thread stays there.` });
    return { channel: posted.channel, ts: posted.ts, fresh: { previewOf: null, previewCut: false } };
  }

  private channelFor(queue: string | null, queues: QueueList): string | undefined {
    return (queue ? queues.find((x) => x.name === queue)?.cardsTo : undefined) ?? this.o.defaultChannel;
  }

  private async cardInput(kase: FullCase, known?: QueueList) {
    const [assignee, offeredTo, queues] = await Promise.all([this.agent(kase.assignee), this.agent(kase.offeredTo), known ?? this.o.desk.queues()]);
    return { kase, firstMessage: firstCustomerMessage(kase)?.text ?? null, assignee, offeredTo, queues: queues.map((q) => q.name) };
  }

  private async agent(id: string | null): Promise<CardAgent | null> {
    if (!id) return null;
    const a = await this.o.desk.agentById(id);
    return a ? { name: a.name, slackUserId: a.externalUserId } : { name: id, slackUserId: null };
  }

  private async changeLine(kase: FullCase, changes: string[], origin: string | undefined): Promise<string | null> {
    const via = origin ? ` (via ${escapeMrkdwn(origin)})` : '';
    const parts: string[] = [];
    // the pipeline's own changes (a customer wrote again) follow from a message that is mirrored anyway
    if (origin) {
      if (changes.includes('state')) parts.push(`state → *${STATE_LABELS[kase.state] ?? escapeMrkdwn(kase.state)}*`);
      if (changes.includes('priority')) parts.push(`priority → *${priorityLabel(kase.priority)}*`);
      if (changes.includes('queue')) parts.push(`queue → *${escapeMrkdwn(kase.queue ?? 'none')}*`);
    }
    if (changes.includes('assignee')) {
      const a = await this.agent(kase.assignee);
      parts.push(a ? `assigned to ${a.slackUserId ? `<@${a.slackUserId}>` : `*${escapeMrkdwn(a.name)}*`}` : 'unassigned');
    }
    return parts.length ? `:arrows_counterclockwise: ${parts.join(' · ')}${via}` : null;
  }

  private async interactionLine(number: string, i: DeskInteraction, known: DeskCase | undefined): Promise<string | null> {
    const body = quote(escapeMrkdwn(truncate(i.text, THREAD_TEXT_CHARS, '… (cut; the whole message is on the case)')));
    const via = escapeMrkdwn(i.channel);
    if (i.direction === 'inbound') {
      if (i.kind !== 'message') return `:information_source: Automatic message from the customer's side (${escapeMrkdwn(i.kind)}) via ${via}, not answered:\n${body}`;
      const kase = known ?? (await this.o.desk.getCase(number));
      const who = kase?.contact.name ?? kase?.contact.email ?? kase?.contact.phone ?? 'Customer';
      return `:speech_balloon: *${escapeMrkdwn(who)}* via ${via}:\n${body}`;
    }
    const agent = i.agentId ? await this.agent(i.agentId) : null;
    const name = agent ? `*${escapeMrkdwn(agent.name)}*` : 'Someone';
    if (i.direction === 'outbound') {
      if (i.kind === 'auto_reply') return `:robot_face: Automatic reply sent via ${via}:\n${body}`;
      // an internal notice is told on the thread by the SLA alert itself
      if (i.kind === 'notice') return null;
      return `:outbox_tray: ${name} answered via ${via}:\n${body}`;
    }
    if (i.direction === 'note') return `:memo: Note by ${name}:\n${body}`;
    return null;
  }
}

type QueueList = Awaited<ReturnType<AgentDesk['queues']>>;

function firstCustomerMessage(kase: FullCase): DeskInteraction | undefined {
  return kase.interactions.find((i) => i.direction === 'inbound' && i.kind === 'message');
}
