/**
 * Replays stored customer messages through the live rules and through a draft, and tells what the draft
 * would change: how many messages would land in another queue or at another priority, from what to what,
 * with examples. Reads only. Runs a page at a time and yields the event loop between pages, reporting
 * progress, so a replay of 10,000 messages neither blocks the gateway nor keeps the admin guessing.
 */
import { setImmediate as yieldLoop } from 'node:timers/promises';
import type { Db } from '../../store/db.ts';
import { findRoutingContact } from '../../store/contact.repository.ts';
import { replayableMessages, type ReplayableMessage } from '../../store/interaction.repository.ts';
import { formatCaseNumber } from '../../routing/case-number.ts';
import type { RoutingContact, RoutingInput } from '../../routing/evaluate-rules.ts';
import type { CaseState, Priority } from '../../routing/rule.types.ts';
import type { ChannelName } from '../../channels/channel.types.ts';
import { parseJsonArray } from '../../store/case.repository.ts';
import type { ConfigPatch, Decide, RulesService } from './rules.service.ts';

const PAGE = 100;
const EXAMPLES_PER_MOVE = 5;
const EXAMPLE_TEXT = 200;

interface Placement {
  queue: string;
  priority: number;
}

export interface ReplayMove {
  from: Placement;
  to: Placement;
  count: number;
  examples: Array<{ interactionId: string; caseNumber: string; channel: string; subject: string | null; text: string; at: string }>;
}

export type ReplayEvent =
  | { type: 'progress'; done: number; total: number }
  | {
      type: 'result';
      total: number;
      /** messages whose queue or priority the draft changes */
      changed: number;
      /** a follow-up never moves its case, so only a case's first message counts here */
      queueChanged: number;
      priorityChanged: number;
      moves: ReplayMove[];
      liveVersion: number;
      elapsedMs: number;
    };

export class RuleReplay {
  constructor(private readonly deps: { db: Db; rules: RulesService }) {}

  /** Validates the draft (throws INVALID_RULES before anything runs) and returns the replay to run. */
  async prepare(patch: ConfigPatch, limit: number): Promise<AsyncGenerator<ReplayEvent>> {
    const routing = await this.deps.rules.draftRouting(patch);
    return this.run(routing, limit);
  }

  private async *run(routing: { live: Decide; draft: Decide; liveVersion: number }, limit: number): AsyncGenerator<ReplayEvent> {
    const started = performance.now();
    const contacts = new Map<string, RoutingContact | undefined>();
    const moves = new Map<string, ReplayMove>();
    let done = 0;
    let queueChanged = 0;
    let priorityChanged = 0;
    let changed = 0;
    let before: string | null = null;
    while (done < limit) {
      const page = await replayableMessages(this.deps.db.read, Math.min(PAGE, limit - done), before);
      if (page.length === 0) break;
      for (const m of page) {
        const input = await this.inputOf(m, contacts);
        const live = routing.live(input);
        const draft = routing.draft(input);
        // a follow-up stays in its case's queue whatever the rules say: only its priority can change
        const queueMoves = m.opener && live.queue !== draft.queue;
        const priorityMoves = live.priority !== draft.priority;
        if (queueMoves) queueChanged++;
        if (priorityMoves) priorityChanged++;
        if (!queueMoves && !priorityMoves) continue;
        changed++;
        const from = { queue: live.queue, priority: live.priority };
        const to = { queue: queueMoves ? draft.queue : live.queue, priority: draft.priority };
        const key = `${from.queue}\u0000${from.priority}\u0000${to.queue}\u0000${to.priority}`;
        const move = moves.get(key) ?? { from, to, count: 0, examples: [] };
        move.count++;
        if (move.examples.length < EXAMPLES_PER_MOVE) {
          move.examples.push({
            interactionId: m.id, caseNumber: formatCaseNumber(m.caseId), channel: m.channel, subject: m.subject ?? m.caseSubject, text: m.text.slice(0, EXAMPLE_TEXT), at: m.createdAt.toISOString(),
          });
        }
        moves.set(key, move);
      }
      done += page.length;
      before = page[page.length - 1]!.id;
      yield { type: 'progress', done, total: limit };
      // webhooks, sends and other requests get their turn between pages
      await yieldLoop();
      if (page.length < PAGE) break;
    }
    yield {
      type: 'result', total: done, changed, queueChanged, priorityChanged, liveVersion: routing.liveVersion,
      moves: [...moves.values()].sort((a, b) => b.count - a.count), elapsedMs: Math.round(performance.now() - started),
    };
  }

  /** The message as the pipeline routed it: its sender as a contact, and (a follow-up) its case. */
  private async inputOf(m: ReplayableMessage, contacts: Map<string, RoutingContact | undefined>): Promise<RoutingInput> {
    const from = m.fromAddress ?? '';
    const key = `${m.channel}\u0000${from}`;
    if (!contacts.has(key)) contacts.set(key, (await findRoutingContact(this.deps.db.read, m.channel, from)) ?? undefined);
    return {
      channel: m.channel as ChannelName,
      from,
      subject: m.subject ?? m.caseSubject ?? undefined,
      text: m.text,
      contact: contacts.get(key),
      case: m.opener
        ? undefined
        : { number: formatCaseNumber(m.caseId), state: m.caseState as CaseState, priority: m.casePriority as Priority, tags: parseJsonArray(m.caseTags), inboundCount: 2, createdAt: m.caseCreatedAt },
      // business hours as they were when it arrived
      now: m.createdAt,
    };
  }
}
