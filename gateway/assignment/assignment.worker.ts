import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../store/db.ts';
import type { Executor } from '../../store/executor.ts';
import {
  agentSnapshots,
  assignmentQueues,
  type AssignmentQueue,
  endOffer,
  offerCase,
  offersToEnd,
  broadcastOffers,
  offerAlso,
  oldestOfferPerQueue,
  openOffers,
  endOfferRound,
  startOfferRound,
  recordMissedOffer,
  explainWaiting,
  nextRoundAt,
  type OpenOffer,
  type WaitingCase,
  type WaitingCursor,
  waitingCases,
  type OfferTimeouts,
} from '../../store/assignment.repository.ts';
import { addCaseTag, parseJsonArray } from '../../store/case.repository.ts';
import { WAITING_STATES, type CaseState } from '../../routing/case-state.ts';
import { hasRoom, pickAgent, whyIneligible, type AgentSnapshot, type Strategy } from '../../routing/pick-agent.ts';
import { addCaseEvent } from '../../store/interaction.repository.ts';
import type { ChannelName } from '../../channels/channel.types.ts';
import type { Clock } from '../clock.ts';
import type { EventBus, GatewayEvent } from '../events.ts';
import { attachViewsIfWanted } from '../event-views.ts';
import type { OfferReporter } from '../metrics/reporters.ts';

export interface AssignmentConfig {
  /** used for queues without their own offerTimeoutSeconds */
  defaultOfferTimeoutSeconds: number;
  /** the wait before a case's second round of offers; it doubles for each further round (at most ten minutes) */
  roundBackoffSeconds: number;
  /** offers in a row an agent lets lapse before they are set away; 0: never */
  awayAfterMissedOffers: number;
  /** a full pass at least this often, for changes made by another process */
  sweepMs: number;
  /** waiting cases looked at per pass */
  batch: number;
}

export interface AssignmentDeps {
  db: Db;
  events: EventBus;
  clock: Clock;
  log: FastifyBaseLogger;
  config: AssignmentConfig;
  metrics?: OfferReporter;
}

export interface PassResult {
  offered: number;
  expired: number;
  withdrawn: number;
  /** the earliest moment an open offer lapses, if any */
  nextDeadline: Date | null;
}

const ORIGIN = 'assignment';

/** case changes that can make an offer due, move it or end it */
const ASSIGNMENT_FIELDS = new Set(['state', 'assignee', 'offeredTo', 'queue', 'priority', 'requiredSkills', 'widenedTo']);
/**
 * Passes start at least this far apart (real time: it only paces the work). Under a stream of new cases
 * a pass then takes every case that arrived since the last one: one transaction and a dozen queries per
 * batch instead of per case. An isolated change still gets its pass at once.
 */
const PASS_GAP_MS = 50;
// setTimeout cannot wait longer than this
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_ROUND_BACKOFF_S = 600;
/** reasons remembered at most (then forgotten and written once more) */
const MAX_EXPLAINED = 200_000;
/** the tag of a case nobody took in its queue's rounds of offers */
export const NO_TAKER_TAG = 'no-taker';

// pages of waiting cases one pass reads at most (of `batch` each): bounds a pass when thousands wait that nobody can take
const MAX_PAGES_PER_PASS = 20;

/** Open offers to check again: every one, or those of these cases. */
type Recheck = 'all' | Set<number>;

function mergeRecheck(a: Recheck, b: Recheck): Recheck {
  return a === 'all' || b === 'all' ? 'all' : new Set([...a, ...b]);
}

/**
 * Offers waiting cases to agents and moves offers that are not taken in time to the next agent. All
 * state lives in the store (the cases' `offeredToId`, `offeredAt`, `declinedBy`, and a broadcast's
 * further offers in `BroadcastOffer`), so a restart resumes exactly where
 * it stopped: the first pass expires what lapsed while the gateway was down and re-arms the timer.
 *
 * A pass runs in one write transaction, and write transactions run one at a time on the database (SQLite's
 * write lock; on PostgreSQL the store's write lock), and every offer is a compare-and-set, so two passes (in
 * this process or another on the same database) never offer one case twice nor fill an agent past capacity. Time comes from the injected
 * clock; the real timer only decides when to look again.
 */
export class AssignmentWorker {
  private timer: NodeJS.Timeout | null = null;
  private followUp: NodeJS.Timeout | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private running: Promise<PassResult | null> | null = null;
  private lastPassAt = 0;
  private again = false;
  private stopped = true;
  private unsubscribe: (() => void) | null = null;
  /** the reason last written on each waiting case nobody could take (see explain) */
  private readonly explained = new Map<number, string>();
  /** open offers whose agents' eligibility the next pass checks again: every one, or those of these cases */
  private recheck: Recheck = 'all';

  constructor(private readonly deps: AssignmentDeps) {}

  start(): void {
    this.stopped = false;
    // any case change may free or need an agent; our own events need no second look
    this.unsubscribe = this.deps.events.on((e, source) => {
      // the instance where a change happened runs the pass it calls for
      if (source !== 'local') return;
      if (e.type === 'case.created') this.wake();
      // a change of agents or queues may end offers (an agent left the queue, a queue went manual) and make new ones
      else if (e.type === 'directory.changed') {
        this.recheck = 'all';
        this.wake();
      }
      // a follow-up that only adds a message changes nothing an offer depends on; the sweep catches the rest
      else if (e.type === 'case.updated' && e.origin !== ORIGIN && e.changes.some((c) => ASSIGNMENT_FIELDS.has(c))) {
        if (this.recheck !== 'all' && (e.changes.includes('requiredSkills') || e.changes.includes('queue'))) this.recheck.add(e.caseId);
        this.wake();
      }
    });
    // the sweep looks at every offer, for what no event of this instance told (another instance's changes)
    this.sweep = setInterval(() => {
      this.recheck = 'all';
      this.wake();
    }, this.deps.config.sweepMs);
    this.sweep.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    if (this.followUp) clearTimeout(this.followUp);
    if (this.sweep) clearInterval(this.sweep);
    await this.running;
  }

  /** Asks for a pass soon; calls while one runs or one is due are folded into that next pass. */
  wake(): void {
    if (this.stopped) return;
    if (this.running || this.followUp) {
      this.again = true;
      return;
    }
    const wait = this.lastPassAt + PASS_GAP_MS - Date.now();
    if (wait > 0) {
      this.followUp = setTimeout(() => {
        this.followUp = null;
        // the pass about to run covers every change asked about so far
        this.again = false;
        this.wake();
      }, wait);
      return;
    }
    void this.runOnce();
  }

  /** Runs one pass now (waiting for a pass in progress first); resolves with what it did. */
  async runOnce(): Promise<PassResult | null> {
    while (this.running) await this.running;
    this.running = this.pass()
      .catch((err) => {
        // e.g. another process wrote first (SQLITE_BUSY): nothing was changed, the next pass retries
        this.deps.log.error({ err }, 'assignment pass failed');
        return null;
      })
      .finally(() => {
        this.running = null;
        this.lastPassAt = Date.now();
      });
    const result = await this.running;
    if (result) this.arm(result.nextDeadline);
    if (this.again) {
      this.again = false;
      this.wake();
    }
    return result;
  }

  private arm(deadline: Date | null): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!deadline || this.stopped) return;
    const ms = Math.min(Math.max(deadline.getTime() - this.deps.clock.now().getTime(), 0) + 5, MAX_TIMER_MS);
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }

  private async pass(): Promise<PassResult> {
    const now = this.deps.clock.now();
    const events: GatewayEvent[] = [];
    // the offers to check again are taken now and given back if the pass fails, so that none is forgotten
    const recheck = this.recheck;
    this.recheck = new Set();
    let result: PassResult;
    try {
      result = await this.deps.db.transaction((tx) => this.passIn(tx, now, recheck, events));
    } catch (err) {
      this.recheck = mergeRecheck(this.recheck, recheck);
      throw err;
    }
    for (const e of events) this.deps.events.emit(e);
    // counted once committed: a pass that fails changed nothing
    this.deps.metrics?.offers('made', result.offered);
    this.deps.metrics?.offers('expired', result.expired);
    this.deps.metrics?.offers('withdrawn', result.withdrawn);
    return result;
  }

  private async passIn(tx: Executor, now: Date, recheck: Recheck, events: GatewayEvent[]): Promise<PassResult> {
    const agents = await agentSnapshots(tx);
    const queues = await assignmentQueues(tx);
    const timeouts = this.offerTimeouts(queues);
    const ended = await this.endStaleOffers(tx, agents, queues, now, timeouts, recheck, events);
    // offers just ended free their agents' room before new ones are made
    const fresh = ended.expired + ended.withdrawn > 0 ? await agentSnapshots(tx) : agents;
    const offered = await this.offerWaiting(tx, fresh, queues, now, events);
    await attachViewsIfWanted(tx, events, this.deps.events);
    return { offered, ...ended, nextDeadline: await this.nextDeadline(tx, timeouts, fresh, now) };
  }

  private timeoutMs(seconds: number | null | undefined): number {
    return (seconds ?? this.deps.config.defaultOfferTimeoutSeconds) * 1000;
  }

  private offerTimeouts(queues: Array<{ id: string; offerTimeoutSeconds: number | null }>): OfferTimeouts {
    return { byQueue: new Map(queues.map((q) => [q.id, this.timeoutMs(q.offerTimeoutSeconds)])), fallbackMs: this.timeoutMs(null) };
  }

  /**
   * Lapsed offers move on (the agent is skipped for this case); offers to agents gone away, or who may no
   * longer take the case (left its queue, lack a skill it now needs, are past a lowered capacity, or the
   * queue went manual), are withdrawn. Each ending is written on the case with its reason.
   */
  private async endStaleOffers(tx: Executor, agents: AgentSnapshot[], queues: AssignmentQueue[], now: Date, timeouts: OfferTimeouts, recheck: Recheck, events: GatewayEvent[]) {
    const byAgent = new Map(agents.map((a) => [a.id, a]));
    const queueOf = new Map(queues.map((q) => [q.id, q]));
    const found: OpenOffer[] = [];
    // every offer after a change of agents or queues (and at each sweep); otherwise the lapsed, those of absent agents and those named
    if (recheck === 'all') found.push(...(await openOffers(tx)), ...(await broadcastOffers(tx)));
    else {
      const away = agents.filter((a) => a.presence !== 'online').map((a) => a.id);
      found.push(...(await offersToEnd(tx, away, now, timeouts)), ...(await broadcastOffers(tx, { agentIds: away })));
      if (recheck.size > 0) found.push(...(await openOffers(tx, [...recheck])));
      // a broadcast's further offers lapse with the case's own, and are looked at with it
      found.push(...(await broadcastOffers(tx, { caseIds: [...new Set(found.filter((o) => !o.extra).map((o) => o.id))] })));
    }
    // a broadcast's further offers first: its own offer, ended after them, is not handed to one of them that lapsed too
    const candidates = new Map<string, OpenOffer>();
    for (const o of [...found.filter((o) => o.extra), ...found.filter((o) => !o.extra)]) candidates.set(`${o.id}:${o.offeredToId}:${o.extra === true}`, o);
    let expired = 0;
    let withdrawn = 0;
    for (const o of candidates.values()) {
      const agent = byAgent.get(o.offeredToId);
      const queue = o.queueId !== null ? queueOf.get(o.queueId) : undefined;
      const settled = o.assigneeId !== null || !WAITING_STATES.includes(o.state as CaseState);
      const lapsed = !o.offeredAt || now.getTime() - o.offeredAt.getTime() >= timeoutOf(timeouts, o.queueId);
      const gone = agent?.presence !== 'online';
      const ineligible =
        queue?.strategy === 'manual'
          ? `queue ${queue.name} is manual`
          : agent &&
            whyIneligible(
              agent,
              { queue: queue?.name ?? '', alsoQueues: parseJsonArray(o.widenedTo), channel: o.channel as ChannelName, requiredSkills: parseJsonArray(o.requiredSkills) },
              { holding: true },
            );
      if (!settled && !lapsed && !gone && !ineligible) continue;
      const declined = lapsed && !settled && !gone && !ineligible;
      if (!(await endOffer(tx, o, declined, now))) continue;
      if (declined) expired++;
      else withdrawn++;
      this.explained.delete(o.id);
      const name = agent?.name ?? o.offeredToId;
      let why = settled ? null : gone ? `offer to ${name} withdrawn: ${name} is ${agent?.presence ?? 'gone'}` : ineligible ? `offer to ${name} withdrawn: ${ineligible}` : `offer to ${name} not taken in time`;
      if (declined && agent) {
        const missed = await recordMissedOffer(tx, agent.id, this.deps.config.awayAfterMissedOffers);
        if (missed.away) {
          // no more offers to a console nobody watches; the agent comes back by setting online
          agent.presence = 'away';
          why += `; ${name} set away: missed ${missed.missed} offers in a row`;
          events.push({ type: 'directory.changed', caseId: null });
        }
      }
      events.push({ type: 'case.updated', caseId: o.id, changes: ['offeredTo'], actor: ORIGIN, origin: ORIGIN });
      if (why) {
        const entry = await addCaseEvent(tx, { caseId: o.id, channel: o.channel, agentId: null, text: why, now });
        events.push({ type: 'interaction.added', caseId: o.id, interactionId: entry.id, direction: 'event', channel: o.channel, kind: 'event', origin: ORIGIN });
      }
      this.deps.log.info({ caseId: o.id, agentId: o.offeredToId, why: why ?? 'case no longer waiting' }, 'offer ended');
    }
    return { expired, withdrawn };
  }

  private async offerWaiting(tx: Executor, agents: AgentSnapshot[], queues: AssignmentQueue[], now: Date, events: GatewayEvent[]): Promise<number> {
    if (!agents.some((a) => a.presence === 'online')) return 0;
    const offering = queues.filter((q) => q.strategy !== 'manual');
    const byId = new Map(queues.map((q) => [q.id, q]));
    let offered = 0;
    // cases alike (queue, channel, skills, who passed) that nobody could take get the same answer until an offer changes the agents
    const nobody = new Map<string, string>();
    const queueIds = offering.map((q) => q.id);
    const { batch } = this.deps.config;
    let after: WaitingCursor | undefined;
    for (let page = 0; page < MAX_PAGES_PER_PASS; page++) {
      // one list across queues: an agent in several queues gets the most urgent case first
      const cases = await waitingCases(tx, queueIds, batch, after);
      for (const c of cases) {
        const queue = byId.get(c.queueId!)!;
        const backingOff = c.offerRetryAt !== null && c.offerRetryAt > now;
        const alike = `${c.queueId}\n${c.widenedTo}\n${c.channel}\n${c.requiredSkills}\n${c.declinedBy}\n${c.previousAgentId}\n${backingOff ? c.offerRetryAt!.getTime() : ''}`;
        const known = nobody.get(alike);
        if (known !== undefined) {
          await this.explain(tx, c.id, known, now);
          continue;
        }
        let pick = pickFor(c, queue, agents, now, parseJsonArray(c.declinedBy), c.previousAgentId);
        if (pick.newRound && c.offerRetryAt !== null) {
          if (backingOff) {
            // everyone who could take it passed on it: the next round waits for its back-off (an agent new to it would not)
            const upTo = pick.trace.findIndex((t) => t.startsWith('every available agent'));
            const trace = JSON.stringify([...pick.trace.slice(0, upTo), `every available agent passed on it: the next round of offers starts at ${c.offerRetryAt!.toISOString()}`]);
            nobody.set(alike, trace);
            await this.explain(tx, c.id, trace, now);
            continue;
          }
          // the back-off is over: the next round asks everyone again
          await startOfferRound(tx, c.id, now);
          c.declinedBy = '[]';
          pick = pickFor(c, queue, agents, now, [], c.previousAgentId);
        }
        if (!pick.agentId) {
          const trace = JSON.stringify(pick.trace);
          nobody.set(alike, trace);
          await this.explain(tx, c.id, trace, now);
          continue;
        }
        if (pick.newRound) {
          // everyone who could take it passed on it: not round after round at once, but after a back-off, and only so often
          await this.endRound(tx, c, queue, agents, now, events);
          continue;
        }
        // a chat case of a broadcast queue goes to more eligible agents at once: the first to accept takes it
        const also = c.channel === 'chat' && queue.broadcastOffers > 1 ? this.pickMore(c, queue, agents, pick.agentId, now) : [];
        const trace = also.length ? [...pick.trace, `broadcast: also offered to ${also.map((a) => a.name ?? a.id).join(', ')}; the first to accept takes it`] : pick.trace;
        const assignment = JSON.stringify({ at: now.toISOString(), offeredTo: pick.agentId, ...(also.length ? { alsoOfferedTo: also.map((a) => a.id) } : {}), trace });
        const made = await offerCase(tx, c.id, pick.agentId, now, new Date(now.getTime() + this.timeoutMs(queue.offerTimeoutSeconds)), { assignment });
        if (!made) continue;
        offered++;
        nobody.clear();
        this.explained.delete(c.id);
        const agent = agents.find((a) => a.id === pick.agentId)!;
        agent.load[c.channel as ChannelName] = (agent.load[c.channel as ChannelName] ?? 0) + 1;
        agent.lastAssignedAt = made.stampedAt;
        for (const other of also) {
          other.lastAssignedAt = await offerAlso(tx, c.id, other.id, c.channel, now);
          other.load[c.channel as ChannelName] = (other.load[c.channel as ChannelName] ?? 0) + 1;
        }
        events.push({ type: 'case.updated', caseId: c.id, changes: ['offeredTo'], actor: ORIGIN, origin: ORIGIN });
      }
      // a full page of cases nobody can take must not hide the ones behind it: read on while an agent has room
      if (cases.length < batch || !agents.some((a) => hasRoom(a, now))) break;
      after = cases[cases.length - 1];
    }
    return offered;
  }

  /** Up to the queue's `broadcastOffers` − 1 further agents for a case offered to `first`, each picked as the first was. */
  private pickMore(c: WaitingCase, queue: AssignmentQueue, agents: AgentSnapshot[], first: string, now: Date): AgentSnapshot[] {
    const skip = [...parseJsonArray(c.declinedBy), first];
    const more: AgentSnapshot[] = [];
    while (more.length < queue.broadcastOffers - 1) {
      const pick = pickFor(c, queue, agents, now, skip, null);
      // nobody else, or only those already asked
      if (!pick.agentId || pick.newRound) break;
      skip.push(pick.agentId);
      more.push(agents.find((a) => a.id === pick.agentId)!);
    }
    return more;
  }

  /**
   * Keeps why nobody was offered a waiting case on it, written only when the reason changed since this
   * process last wrote or saw it (a pass looks at hundreds of waiting cases; most wait for the same reason).
   */
  private async explain(tx: Executor, caseId: number, trace: string, now: Date): Promise<void> {
    if (this.explained.get(caseId) === trace) return;
    await explainWaiting(tx, caseId, `{"at":${JSON.stringify(now.toISOString())},"offeredTo":null,"trace":${trace}}`);
    if (this.explained.size >= MAX_EXPLAINED) this.explained.clear();
    this.explained.set(caseId, trace);
  }

  /**
   * A round of offers ended with nobody taking the case. Below the queue's limit the next round starts
   * after a back-off; at the limit the case is flagged, the consoles are told, and only agents who have
   * not passed on it yet get an offer. Written on the case with who passed.
   */
  private async endRound(tx: Executor, c: WaitingCase, queue: AssignmentQueue, agents: AgentSnapshot[], now: Date, events: GatewayEvent[]): Promise<void> {
    if (c.offerRounds >= queue.maxOfferRounds) return; // given up already: said once
    const rounds = c.offerRounds + 1;
    const passed = parseJsonArray(c.declinedBy).map((id) => agents.find((a) => a.id === id)?.name ?? id);
    const who = passed.length ? ` (passed: ${passed.join(', ')})` : '';
    let text: string;
    if (rounds < queue.maxOfferRounds) {
      const retryAt = new Date(now.getTime() + Math.min(this.deps.config.roundBackoffSeconds * 2 ** (rounds - 1), MAX_ROUND_BACKOFF_S) * 1000);
      await endOfferRound(tx, c.id, { rounds, retryAt }, now);
      text = `nobody took the case in offer round ${rounds}${who}; round ${rounds + 1} starts at ${retryAt.toISOString()}`;
    } else {
      await endOfferRound(tx, c.id, { rounds, retryAt: null }, now);
      const tags = await addCaseTag(tx, c.id, NO_TAKER_TAG, now);
      text = `nobody took the case in ${rounds} offer rounds${who}: tagged ${NO_TAKER_TAG}; it waits for a supervisor, or an agent who has not passed on it`;
      events.push({ type: 'assignment.alert', caseId: c.id, reason: text });
      if (tags) events.push({ type: 'case.updated', caseId: c.id, changes: ['tags'], actor: ORIGIN, origin: ORIGIN });
    }
    const entry = await addCaseEvent(tx, { caseId: c.id, channel: c.channel, agentId: null, text, now });
    events.push({ type: 'interaction.added', caseId: c.id, interactionId: entry.id, direction: 'event', channel: c.channel, kind: 'event', origin: ORIGIN });
  }

  /** The next moment a pass has work: an offer lapses, a back-off between rounds ends, a wrap-up ends. */
  private async nextDeadline(tx: Executor, timeouts: OfferTimeouts, agents: AgentSnapshot[], now: Date): Promise<Date | null> {
    let next: number | null = null;
    for (const a of agents) {
      const end = a.presence === 'online' && a.wrapUpUntil && a.wrapUpUntil > now ? a.wrapUpUntil.getTime() : null;
      if (end !== null && (next === null || end < next)) next = end;
    }
    for (const o of await oldestOfferPerQueue(tx)) {
      const at = o.offeredAt.getTime() + timeoutOf(timeouts, o.queueId);
      if (next === null || at < next) next = at;
    }
    const round = await nextRoundAt(tx, now);
    if (round && (next === null || round.getTime() < next)) next = round.getTime();
    return next === null ? null : new Date(next);
  }
}

/** The queue's strategy applied to a waiting case, skipping `excluded`. */
function pickFor(c: WaitingCase, queue: AssignmentQueue, agents: AgentSnapshot[], now: Date, excluded: string[], previousAgentId: string | null) {
  return pickAgent({
    queue: queue.name,
    alsoQueues: parseJsonArray(c.widenedTo),
    strategy: queue.strategy as Strategy,
    channel: c.channel as ChannelName,
    requiredSkills: parseJsonArray(c.requiredSkills),
    agents,
    previousAgentId,
    excludedAgentIds: excluded,
    now,
  });
}

function timeoutOf(timeouts: OfferTimeouts, queueId: string | null): number {
  return (queueId !== null ? timeouts.byQueue.get(queueId) : undefined) ?? timeouts.fallbackMs;
}
