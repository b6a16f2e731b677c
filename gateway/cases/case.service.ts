import type { Db } from '../../store/db.ts';
import { ACTIVE_STATES, WAITING_STATES, type CaseState } from '../../routing/case-state.ts';
import {
  caseForAnswer, countCases, getCaseByNumber, HELD_RESET, markAnswered, listCases, parseJsonArray, QUEUE_MOVE_RESET, toCaseView, updateCase,
  type CaseChange, type CaseFilter, type CasePageKey, type CaseView,
} from '../../store/case.repository.ts';
import { addCaseEvent, caseInteraction, listCaseInteractions, toInteractionView, type InteractionView } from '../../store/interaction.repository.ts';
import { enqueueOutbound, latestInboundMessage, requeueFailedAnswer } from '../../store/outbound.repository.ts';
import { setContactPhone } from '../../store/contact.repository.ts';
import { agentById, listAgents, listQueues, queueByName } from '../../store/directory.repository.ts';
import { findMentions } from './mentions.ts';
import type { FileRef, FileService } from '../files/file.service.ts';
import { storedFileOf, type AttachmentRecord, type StoredFile } from '../files/stored-files.ts';
import { noteTaken, startWrapUp } from '../../store/assignment.repository.ts';
import type { Executor } from '../../store/executor.ts';
import type { EventBus, GatewayEvent } from '../events.ts';
import { attachViews, attachViewsIfWanted } from '../event-views.ts';
import type { Actor } from '../auth.ts';
import { actorName, roleAtLeast } from '../auth.ts';
import { GatewayError } from '../errors.ts';
import { agentName, asSeenBy, assertMayTake } from '../assignment/may-take.ts';


export interface CasePatch {
  state?: CaseState;
  priority?: number;
  queue?: string;
  assignee?: string | null;
  /** the case's tags, all of them (they replace the ones it has) */
  tags?: string[];
  /** the case contact's details an agent may correct; a phone (E.164) links SMS from it to this contact */
  contact?: { phone?: string };
}

export type { CasePageKey, CaseSort } from '../../store/case.repository.ts';

/** The number of cases in each view of the workspace's inbox. */
export interface CaseCounts {
  offeredToMe: number;
  mine: number;
  unassigned: number;
  open: number;
  breachingSoon: number;
  resolved: number;
}

/** "Breaching soon": an SLA promise broken, or due within this long (the workspace's badges turn amber then too). */
export const SOON_MS = 30 * 60_000;

export interface CaseServiceDeps {
  db: Db;
  events: EventBus;
  now: () => Date;
  /** DATA_DIR: attachments are stored under it */
  dataDir: string;
  /** uploads named in answers and notes */
  files: FileService;
}


/** What agents do to cases, whichever door they come through (REST API, console, Slack). */
export class CaseService {
  constructor(private readonly deps: CaseServiceDeps) {}

  /**
   * A page of cases. `queue` is a queue's name, or `mine`: the queues of `me` (every queue when they have
   * none); `me` is the caller's agent, for `mine`. `slaSoon`: only cases whose SLA promise is broken or due
   * within half an hour, the nearest first.
   */
  async list(
    filter: Omit<CaseFilter, 'queueId' | 'queueIds' | 'dueBefore'> & { queue?: string; me?: string | null; slaSoon?: boolean },
  ): Promise<{ items: CaseView[]; next: CasePageKey | null }> {
    const { db } = this.deps;
    const { queue, me, slaSoon, ...rest } = filter;
    const where = await this.queuesOf(queue, me ?? null);
    if (!where) return { items: [], next: null };
    const now = this.deps.now();
    // breaching soon is about cases still being worked, as its count is (a resolved case may keep a broken promise)
    const soon = slaSoon ? { dueBefore: new Date(now.getTime() + SOON_MS), sort: 'due' as const, state: rest.state ?? ACTIVE_STATES } : {};
    const { rows, next } = await listCases(db.read, { ...rest, ...where, ...soon });
    return { items: rows.map((r) => toCaseView(r, now)), next };
  }

  /** Sends a failed answer again (a fresh count of attempts), on the record; 409 NOT_FAILED when it did not fail. */
  async resend(number: string, interactionId: string, actor: Actor, origin = 'api'): Promise<{ interactionId: string }> {
    const now = this.deps.now();
    const events = await this.deps.db.transaction(async (tx) => {
      const kase = await requireCase(tx, number);
      const outcome = await requeueFailedAnswer(tx, kase.id, interactionId, now);
      if (outcome === 'not-found') throw new GatewayError('NOT_FOUND', `${number} has no answer ${interactionId}`);
      if (outcome === 'not-failed') throw new GatewayError('NOT_FAILED', `answer ${interactionId} did not fail: only a failed answer is sent again`);
      const who = actor.agentId ? await agentName(tx, actor.agentId) : actorName(actor);
      const entry = await addCaseEvent(tx, { caseId: kase.id, channel: kase.channel, agentId: actor.agentId, text: `a failed answer sent again by ${who}`, now });
      const out: GatewayEvent[] = [
        { type: 'interaction.status', caseId: kase.id, interactionId, status: 'queued', error: null },
        { type: 'interaction.added', caseId: kase.id, interactionId: entry.id, direction: 'event', channel: entry.channel, kind: 'event', origin },
      ];
      await attachViewsIfWanted(tx, out, this.deps.events);
      return out;
    });
    for (const e of events) this.deps.events.emit(e);
    return { interactionId };
  }

  /** The stored file of an interaction's attachment (by its place in the list), for an agent to open or download. */
  async attachment(number: string, interactionId: string, index: number): Promise<StoredFile> {
    const x = this.deps.db.read;
    const kase = await requireCase(x, number);
    const interaction = await caseInteraction(x, kase.id, interactionId);
    const file = storedFileOf(this.deps.dataDir, interaction?.attachments[index] as AttachmentRecord | undefined, index);
    if (!file) throw new GatewayError('NOT_FOUND', `${number} has no stored attachment ${index} on ${interactionId}`);
    return file;
  }

  /** The counts of the workspace's views for `me` (an agent; a token of no agent has no cases of its own). */
  async counts(me: string | null): Promise<CaseCounts> {
    const x = this.deps.db.read;
    const active = ACTIVE_STATES;
    const mine = await this.queuesOf('mine', me);
    const soon = new Date(this.deps.now().getTime() + SOON_MS);
    const [offeredToMe, assigned, unassigned, open, breachingSoon, resolved] = await Promise.all([
      me ? countCases(x, { offeredToId: me }) : 0,
      me ? countCases(x, { assigneeId: me, state: active }) : 0,
      countCases(x, { unassigned: true, state: active, ...mine }),
      countCases(x, { state: active }),
      countCases(x, { state: active, dueBefore: soon }),
      countCases(x, { state: 'resolved' }),
    ]);
    return { offeredToMe, mine: assigned, unassigned, open, breachingSoon, resolved };
  }

  /** Which queues a list names: one by name, the agent's own, or all; null when the named queue does not exist. */
  private async queuesOf(queue: string | undefined, me: string | null): Promise<{ queueId?: string; queueIds?: string[] } | null> {
    const x = this.deps.db.read;
    if (!queue) return {};
    if (queue === 'mine') {
      const names = me ? parseJsonArray((await agentById(x, me))?.queues ?? '[]') : [];
      if (names.length === 0) return {};
      const byName = new Map((await listQueues(x)).map((q) => [q.name.toLowerCase(), q.id]));
      return { queueIds: names.map((n) => byName.get(n.toLowerCase())).filter((id): id is string => id !== undefined) };
    }
    const q = await queueByName(x, queue);
    return q ? { queueId: q.id } : null;
  }

  async get(number: string): Promise<CaseView & { interactions: InteractionView[]; routing: unknown }> {
    const row = await requireCase(this.deps.db.read, number);
    const interactions = await listCaseInteractions(this.deps.db.read, row.id);
    return { ...toCaseView(row, this.deps.now()), routing: routingExplanation(row.routing, row.assignment), interactions: interactions.map(toInteractionView) };
  }

  /**
   * An answer to the customer, or (`internal`) a note. An agent answering a case nobody has takes it, when
   * they could claim it; a case someone else holds or is offered, or one the agent is not eligible for, is
   * refused, unless a supervisor takes it over (`takeover`), which is written on the timeline.
   */
  async reply(number: string, actor: Actor, body: { text: string; internal?: boolean; takeover?: boolean; attachments?: FileRef[] }, origin = 'api'): Promise<{ interactionId: string }> {
    const now = this.deps.now();
    const files = await this.deps.files.forAnswer(body.attachments ?? []);
    const events: GatewayEvent[] = [];
    const result = this.deps.db.transaction(async (tx) => {
      const kase = await caseForAnswer(tx, number);
      if (!kase) throw new GatewayError('CASE_NOT_FOUND', `no case ${number}`);
      if (body.internal) {
        const note = await addCaseEvent(tx, { caseId: kase.id, channel: kase.channel, agentId: actor.agentId, text: body.text, now, kind: 'note', attachments: files?.attachments });
        events.push({ type: 'interaction.added', caseId: kase.id, interactionId: note.id, direction: 'note', channel: kase.channel, kind: 'note', origin });
        // the agents it names hear of it (the writer aside)
        // the team is read only for a note that may name someone
        const mentioned = body.text.includes('@') ? findMentions(body.text, await listAgents(tx)).filter((id) => id !== actor.agentId) : [];
        if (mentioned.length) events.push({ type: 'note.mention', caseId: kase.id, interactionId: note.id, mentioned, by: actor.agentId });
        await attachViewsIfWanted(tx, events, this.deps.events);
        return { interactionId: note.id };
      }
      if (kase.state === 'closed') throw new GatewayError('CASE_CLOSED', `${number} is closed; the customer's next message opens a new case`);
      const replyTo = await latestInboundMessage(tx, kase.id);
      if (!replyTo) throw new GatewayError('NO_CUSTOMER_CHANNEL', `${number} has no customer message to answer`);
      const takenOver = actor.agentId && kase.assigneeId !== actor.agentId ? await this.takeToAnswer(tx, number, actor, actor.agentId, body.takeover === true, now, events, origin) : false;
      const out = await enqueueOutbound(tx, { caseId: kase.id, replyTo, text: body.text, kind: 'message', agentId: actor.agentId, now, files });
      const claim = !takenOver && !kase.assigneeId && actor.agentId;
      const state = kase.state === 'new' || kase.state === 'open' ? 'awaiting_customer' : kase.state;
      // answering an unassigned case takes it (and ends any offer of it)
      await markAnswered(tx, kase.id, { state, claimBy: claim ? actor.agentId : null, agentId: actor.agentId, now });
      if (claim) await noteTaken(tx, actor.agentId!, now);
      events.push({ type: 'interaction.added', caseId: kase.id, interactionId: out.id, direction: 'outbound', channel: replyTo.channel, kind: 'message', origin });
      const changes = [...(state !== kase.state ? ['state'] : []), ...(claim || takenOver ? ['assignee'] : [])];
      if (changes.length) events.push({ type: 'case.updated', caseId: kase.id, changes, actor: actor.agentId ?? actor.tokenId, origin });
      await attachViewsIfWanted(tx, events, this.deps.events);
      return { interactionId: out.id };
    });
    // the outbox hears of the answer through the interaction.added event
    const done = await result;
    for (const e of events) this.deps.events.emit(e);
    return done;
  }

  /**
   * Before an agent answers a case they do not hold: refuses when they may not take it; a supervisor's
   * `takeover` assigns it to them instead, on the record. Returns whether it was taken over.
   */
  private async takeToAnswer(tx: Executor, number: string, actor: Actor, agentId: string, takeover: boolean, now: Date, events: GatewayEvent[], origin: string): Promise<boolean> {
    const kase = await requireCase(tx, number);
    const supervisor = roleAtLeast(actor.role, 'supervisor');
    if (!takeover) {
      const hint = supervisor ? '; to answer it anyway, take it over (takeover: true in the API, or a Slack reply starting with takeover:)' : '';
      await assertMayTake(tx, (await asSeenBy(tx, kase, agentId)).kase, agentId, hint);
      return false;
    }
    if (!supervisor) throw new GatewayError('FORBIDDEN', 'only supervisors and admins may take over a case');
    const from = kase.assigneeId ? ` from ${await agentName(tx, kase.assigneeId)}` : kase.offeredToId ? ` from an offer to ${await agentName(tx, kase.offeredToId)}` : '';
    await updateCase(tx, kase.id, { assigneeId: agentId, assignedAt: now, ...HELD_RESET }, now);
    await noteTaken(tx, agentId, now);
    const entry = await addCaseEvent(tx, { caseId: kase.id, channel: kase.channel, agentId, text: `taken over by ${await agentName(tx, agentId)} (${actor.role})${from}`, now });
    events.push({ type: 'interaction.added', caseId: kase.id, interactionId: entry.id, direction: 'event', channel: entry.channel, kind: 'event', origin });
    return true;
  }

  async patch(number: string, actor: Actor, patch: CasePatch, origin = 'api'): Promise<CaseView> {
    const now = this.deps.now();
    const who = actor.agentId ?? `token:${actor.tokenId}`;
    // the timeline says who, by name (a token of no agent is named by its id)
    const { view, events } = await this.deps.db.transaction(async (tx): Promise<{ view: CaseView; events: GatewayEvent[] }> => {
      const kase = await requireCase(tx, number);
      const data: CaseChange = {};
      const changes: string[] = [];
      const log: string[] = [];
      if (patch.state && patch.state !== kase.state) {
        if (kase.state === 'closed') throw new GatewayError('CASE_CLOSED', `${number} is closed and cannot change state`);
        data.state = patch.state;
        if (patch.state === 'resolved') data.resolvedAt = now;
        if (patch.state === 'closed') data.closedAt = now;
        if (kase.state === 'resolved') data.resolvedAt = null;
        // a case that stops waiting for an agent is no longer offered
        if (!WAITING_STATES.includes(patch.state)) Object.assign(data, { offeredToId: null, offeredAt: null });
        changes.push('state');
        log.push(`state ${kase.state} → ${patch.state}`);
      }
      if (patch.priority !== undefined && patch.priority !== kase.priority) {
        data.priority = patch.priority;
        changes.push('priority');
        log.push(`priority ${kase.priority} → ${patch.priority}`);
      }
      if (patch.queue !== undefined) {
        const q = await queueByName(tx, patch.queue);
        if (!q) throw new GatewayError('QUEUE_NOT_FOUND', `no queue named "${patch.queue}"`);
        if (q.id !== kase.queueId) {
          // the new queue's overflow steps apply from its first
          Object.assign(data, { queueId: q.id, ...QUEUE_MOVE_RESET });
          changes.push('queue');
          log.push(`moved to ${q.name}`);
        }
      }
      if (patch.assignee !== undefined && patch.assignee !== kase.assigneeId) {
        const self = patch.assignee === actor.agentId || (patch.assignee === null && kase.assigneeId === actor.agentId);
        const supervisor = roleAtLeast(actor.role, 'supervisor');
        if (!self && !supervisor) throw new GatewayError('FORBIDDEN', 'agents may only assign cases to themselves or release their own');
        if (patch.assignee !== null && !(await agentById(tx, patch.assignee))) {
          throw new GatewayError('AGENT_NOT_FOUND', `no agent ${patch.assignee}`);
        }
        // an agent taking a case this way claims it: past no one's offer, queue, skills or capacity; a supervisor's assignment is a move
        if (patch.assignee !== null && !supervisor) await assertMayTake(tx, (await asSeenBy(tx, kase, patch.assignee)).kase, patch.assignee);
        // either way a new wait or none: a first round; a released case goes to someone else first, so the one who had it is skipped in it
        Object.assign(data, { ...HELD_RESET, assigneeId: patch.assignee, assignedAt: patch.assignee ? now : null, waitingSince: patch.assignee ? null : now });
        if (patch.assignee === null && kase.assigneeId) data.declinedBy = JSON.stringify([kase.assigneeId]);
        else if (patch.assignee) await noteTaken(tx, patch.assignee, now);
        changes.push('assignee');
        log.push(patch.assignee ? `assigned to ${await agentName(tx, patch.assignee)}` : `unassigned from ${await agentName(tx, kase.assigneeId!)}`);
      }
      if (patch.tags !== undefined) {
        const before = parseJsonArray(kase.tags);
        // as people type them: trimmed, each once (whatever its case), in the order given
        const seen = new Set<string>();
        const tags = patch.tags.map((t) => t.trim()).filter((t) => t && !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase()));
        if (JSON.stringify(tags) !== JSON.stringify(before)) {
          data.tags = JSON.stringify(tags);
          changes.push('tags');
          const added = tags.filter((t) => !before.includes(t));
          const removed = before.filter((t) => !tags.includes(t));
          log.push([added.length ? `tagged ${added.join(', ')}` : '', removed.length ? `untagged ${removed.join(', ')}` : ''].filter(Boolean).join('; ') || 'tags reordered');
        }
      }
      const phone = patch.contact?.phone;
      if (phone !== undefined && phone !== kase.contact.phone) {
        if (!(await setContactPhone(tx, kase.contactId, phone, now))) throw new GatewayError('CONFLICT', `${phone} already belongs to another contact`);
        changes.push('contact');
        log.push(`contact phone set to ${phone}`);
      }
      if (changes.length === 0) return { view: toCaseView(kase), events: [] };
      if (data.assigneeId && kase.state === 'new' && !data.state) data.state = 'open';
      // the one who resolved it gets the queue's wrap-up before their next offer
      if (data.state === 'resolved' && kase.assigneeId && data.assigneeId === undefined) {
        const until = await startWrapUp(tx, kase.assigneeId, data.queueId ?? kase.queueId, now);
        if (until) log.push(`${await agentName(tx, kase.assigneeId)} wraps up until ${until.toISOString()}`);
      }
      if (Object.keys(data).length) await updateCase(tx, kase.id, data, now);
      const event = await addCaseEvent(tx, { caseId: kase.id, channel: kase.channel, agentId: actor.agentId ?? null, text: `${log.join('; ')} by ${actor.agentId ? await agentName(tx, actor.agentId) : who}`, now });
      const events: GatewayEvent[] = [
        { type: 'case.updated', caseId: kase.id, changes, actor: who, origin },
        { type: 'interaction.added', caseId: kase.id, interactionId: event.id, direction: 'event', channel: event.channel, kind: 'event', origin },
      ];
      await attachViews(tx, events);
      const [updated] = events;
      return { view: updated?.type === 'case.updated' && updated.case ? updated.case : toCaseView(kase), events };
    });
    for (const e of events) this.deps.events.emit(e);
    return view;
  }
}

/** The case by its number, or a 404 CASE_NOT_FOUND. */
export async function requireCase(x: Executor, number: string) {
  const row = await getCaseByNumber(x, number);
  if (!row) throw new GatewayError('CASE_NOT_FOUND', `no case ${number}`);
  return row;
}


/** The stored routing explanation, with how the last offer's agent was picked as its `assignment`. */
function routingExplanation(routing: string | null, assignment: string | null): unknown {
  const parse = (text: string | null): unknown => {
    if (text === null) return null;
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  };
  const explanation = parse(routing);
  const picked = parse(assignment);
  if (picked === null) return explanation;
  return typeof explanation === 'object' && explanation !== null && !Array.isArray(explanation) ? { ...explanation, assignment: picked } : { assignment: picked };
}
