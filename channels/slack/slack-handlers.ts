/**
 * What Switchboard does with what Slack sends: thread messages from agents become replies or notes on
 * the case, customers' messages (DMs, Slack Connect channels) become inbound interactions, card buttons
 * and `/case` change the case through the agent desk (which checks the agent's role). Everything not
 * acted on is logged with its reason.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ChannelContext } from '../channel.types.ts';
import type { AgentDesk, DeskActor } from '../agent-desk.types.ts';
import type { SlackApi } from './slack-api.ts';
import { describeSlackError } from './slack-api.ts';
import type { SlackBody } from './slack-body.ts';
import type { SlackUsers } from './slack-users.ts';
import { triageMessage, type SlackMessage } from './message-triage.ts';
import { customerInbound } from './customer-message.ts';
import { actionFromBlock, describeDone, parseCaseCommand, patchFor, type CaseAction } from './case-actions.ts';
import { PRIORITY_LABELS, STATE_LABELS } from './case-card.ts';
import { SLACK_ORIGIN } from './case-mirror.ts';
import { escapeMrkdwn, slackToPlain } from './slack-text.ts';
import { isRefusal } from '../coded-errors.ts';

export interface SlackHandlerDeps {
  desk: AgentDesk;
  api: Pick<SlackApi, 'postEphemeral'>;
  users: SlackUsers;
  ctx: Pick<ChannelContext, 'ingest' | 'firstSeen'>;
  log: FastifyBaseLogger;
  customerChannels: ReadonlySet<string>;
  botUserId: () => string | undefined;
  now: () => Date;
}

export const NOT_LINKED =
  'You are not linked to a Switchboard agent, so nothing was sent or changed. An admin can set your Slack user id (or your Slack email) on your agent.';

export const STALE_CARD =
  'Nothing was sent: this card no longer holds its case (it was moved to another queue). Answer in the thread of its new card; `/case CS…` shows where it is.';

const NOTE_PREFIX = /^\s*note\s*:\s*/i;
// a supervisor answering a case someone else holds or is offered says so (the API's `takeover: true`)
const TAKEOVER_PREFIX = /^\s*takeover\s*:\s*/i;

type Outcome = { ok: true; text: string } | { ok: false; text: string };

export function createSlackHandlers(d: SlackHandlerDeps) {
  const log = d.log;

  async function ephemeral(channel: string | undefined, user: string, text: string, threadTs?: string): Promise<void> {
    if (!channel) return;
    await d.api.postEphemeral({ channel, user, text, threadTs }).catch((err: unknown) => log.warn({ reason: describeSlackError(err) }, 'slack: could not tell the user'));
  }

  /** Coded desk errors (4xx) are the agent's to read; anything else is ours to log. */
  function failure(err: unknown, what: string): Outcome {
    if (isRefusal(err)) return { ok: false, text: `Could not ${what}: ${err.message}` };
    log.error({ err }, `slack: could not ${what}`);
    return { ok: false, text: `Could not ${what} because of an internal error. Please try again.` };
  }

  async function agentReply(number: string, m: SlackMessage, threadTs: string, eventId: string | undefined): Promise<void> {
    const actor = await d.users.agentFor(m.user);
    if (!actor) {
      log.info({ caseNumber: number, user: m.user }, 'slack: thread message from a Slack user who is not an agent; not sent');
      return ephemeral(m.channel, m.user, NOT_LINKED, threadTs);
    }
    const plain = slackToPlain(m.text).trim();
    const internal = NOTE_PREFIX.test(plain);
    const takeover = !internal && TAKEOVER_PREFIX.test(plain);
    const text = internal ? plain.replace(NOTE_PREFIX, '').trim() : takeover ? plain.replace(TAKEOVER_PREFIX, '').trim() : plain;
    if (!text) {
      log.info({ caseNumber: number }, 'slack: thread message without text (files only); not sent');
      return ephemeral(m.channel, m.user, 'Files are not forwarded to customers; write the answer as text.', threadTs);
    }
    // a retried delivery of the same message must not answer the customer twice
    if (!(await d.ctx.firstSeen(`slack:${eventId ?? `${m.channel}:${m.ts}`}`))) {
      log.info({ caseNumber: number, eventId }, 'slack: thread message already handled (retry)');
      return;
    }
    try {
      const r = await d.desk.reply(number, actor, { text, internal, takeover }, SLACK_ORIGIN);
      log.info({ caseNumber: number, interactionId: r.interactionId, internal }, internal ? 'slack: note added' : 'slack: agent reply queued');
      if (m.files.length) await ephemeral(m.channel, m.user, 'Your text was sent; attached files are not forwarded to customers.', threadTs);
    } catch (err) {
      await ephemeral(m.channel, m.user, failure(err, internal ? 'add this note' : 'send this reply').text, threadTs);
    }
  }

  async function customerMessage(m: SlackMessage): Promise<void> {
    if (await d.users.agentFor(m.user)) {
      log.info({ channel: m.channel, user: m.user }, 'slack: an agent wrote in a customer conversation; not a customer message');
      return;
    }
    const profile = await d.users.profile(m.user);
    if (profile?.isBot) {
      log.info({ user: m.user }, 'slack: message from a bot user (no loops)');
      return;
    }
    try {
      const r = await d.ctx.ingest(customerInbound(m, profile, d.now()));
      log.info({ interactionId: r.interactionId, duplicate: r.duplicate }, 'slack: customer message stored');
    } catch (err) {
      // a message we will never accept (too long) is dropped; anything else fails the request so Slack retries
      if (isRefusal(err)) {
        log.warn({ reason: (err as Error).message, channel: m.channel, ts: m.ts }, 'slack: customer message refused');
        return;
      }
      throw err;
    }
  }

  async function perform(actor: DeskActor, number: string, action: CaseAction): Promise<Outcome> {
    if (action.type === 'show') {
      const k = await d.desk.getCase(number);
      if (!k) return { ok: false, text: `No case ${number}.` };
      return {
        ok: true,
        text: `*${k.number}* · ${STATE_LABELS[k.state] ?? k.state} · ${PRIORITY_LABELS[k.priority] ?? k.priority} · ${escapeMrkdwn(k.queue ?? 'no queue')}\n${escapeMrkdwn(k.subject)}`,
      };
    }
    let assigneeId: string | undefined;
    if (action.type === 'assign') {
      const target = await d.users.agentFor(action.slackUserId);
      if (!target) return { ok: false, text: `<@${action.slackUserId}> is not linked to an agent.` };
      assigneeId = target.agentId;
    }
    try {
      // a claim takes the same race-free path as the API's: one of two agents pressing at once wins
      if (action.type === 'claim') await d.desk.claim(number, actor, SLACK_ORIGIN);
      else await d.desk.update(number, actor, patchFor(action, assigneeId), SLACK_ORIGIN);
      log.info({ caseNumber: number, action: action.type, agentId: actor.agentId }, 'slack: case changed');
      return { ok: true, text: describeDone(number, action) };
    } catch (err) {
      return failure(err, `${action.type} ${number}`);
    }
  }

  return {
    /** Why a request is not for us, or null. Only what is listed here reaches bolt's listeners. */
    skipReason(body: SlackBody): string | null {
      if (body.kind === 'event' && body.eventType !== 'message') return `event type ${body.eventType}`;
      if (body.kind === 'interaction') {
        const actions = body.body.actions as Array<{ action_id?: unknown }>;
        if (!actions.some((a) => typeof a?.action_id === 'string' && a.action_id.startsWith('case_'))) return 'actions not from a case card';
      }
      return null;
    },

    /** A person's message in a customer conversation (a DM to the app, a Slack Connect channel). */
    mayStore(body: SlackBody): boolean {
      if (body.kind !== 'event' || body.eventType !== 'message') return false;
      const event = (body.body as { event?: unknown }).event;
      const t = triageMessage(event, { customerChannels: d.customerChannels, botUserId: d.botUserId() });
      return t.kind === 'message' && t.msg.conversation !== 'other';
    },

    async message(event: unknown, eventId: string | undefined): Promise<void> {
      const t = triageMessage(event, { customerChannels: d.customerChannels, botUserId: d.botUserId() });
      switch (t.kind) {
        case 'ignore':
          log.info({ eventId, reason: t.reason }, 'slack: message ignored');
          return;
        case 'delete':
          log.info({ eventId, channel: t.channel, ts: t.ts }, 'slack: deletion ignored; a message already sent cannot be recalled');
          return;
        case 'edit': {
          const number = t.threadTs ? await d.desk.caseByThread(t.channel, t.threadTs) : null;
          log.info({ eventId, caseNumber: number, ts: t.ts }, 'slack: edit ignored; the first version is the one the case keeps');
          if (number && t.user) await ephemeral(t.channel, t.user, 'Edits are not sent to the customer: the first version already went out. Post a new message to correct it.', t.threadTs);
          return;
        }
        case 'message': {
          const m = t.msg;
          if (m.threadTs) {
            const number = await d.desk.caseByThread(m.channel, m.threadTs);
            if (number) return agentReply(number, m, m.threadTs, eventId);
          }
          if (m.conversation !== 'other') return customerMessage(m);
          if (m.threadTs && m.parentUser !== undefined && m.parentUser === d.botUserId()) {
            // a thread under one of our messages that no longer leads to a case: an old card after a move
            log.info({ eventId, channel: m.channel, threadTs: m.threadTs }, 'slack: reply under a card that no longer holds its case; not sent');
            return ephemeral(m.channel, m.user, STALE_CARD, m.threadTs);
          }
          log.info({ eventId, channel: m.channel }, 'slack: message ignored; not in a case thread or a customer conversation');
          return;
        }
      }
    },

    /** A card button or menu, after it was acknowledged; the card itself redraws from the case event. */
    async action(user: string, channel: string | undefined, threadTs: string | undefined, a: Record<string, unknown>): Promise<void> {
      const parsed = actionFromBlock(a);
      if (!parsed) {
        log.info({ actionId: a.action_id }, 'slack: action ignored; not one of the card\'s');
        return;
      }
      const actor = await d.users.agentFor(user);
      if (!actor) {
        log.info({ user, caseNumber: parsed.number }, 'slack: card action by a Slack user who is not an agent; refused');
        return ephemeral(channel, user, NOT_LINKED);
      }
      const outcome = await perform(actor, parsed.number, parsed.action);
      if (!outcome.ok) await ephemeral(channel, user, outcome.text, threadTs);
    },

    /** `/case …`: the answer is shown only to the person who typed it. */
    async command(fields: Record<string, string>): Promise<{ response_type: 'ephemeral'; text: string }> {
      const reply = (text: string) => ({ response_type: 'ephemeral' as const, text });
      const parsed = parseCaseCommand(fields.text ?? '');
      if (!parsed.ok) return reply(parsed.message);
      const actor = await d.users.agentFor(fields.user_id!);
      if (!actor) {
        log.info({ user: fields.user_id, caseNumber: parsed.number }, 'slack: command by a Slack user who is not an agent; refused');
        return reply(NOT_LINKED);
      }
      return reply((await perform(actor, parsed.number, parsed.action)).text);
    },
  };
}

