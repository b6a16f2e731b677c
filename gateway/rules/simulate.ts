import type { Executor } from '../../store/executor.ts';
import { findRoutingContact } from '../../store/contact.repository.ts';
import type { RoutingContact, RoutingInput } from '../../routing/evaluate-rules.ts';
import { renderTemplate } from '../../routing/render-template.ts';
import type { CaseState, Priority } from '../../routing/rule.types.ts';
import type { ChannelName } from '../../channels/channel.types.ts';
import type { RoutingEngine } from '../routing-engine.ts';

export interface SimulateRequest {
  channel: ChannelName;
  from: string;
  subject?: string;
  text: string;
  /** what to assume about the sender; absent: the stored contact writing from `from`, if any */
  contact?: RoutingContact;
  /** simulate a follow-up on a case in this state; absent: the message opens a new case */
  case?: { state: CaseState; priority: Priority; tags?: string[]; inboundCount?: number };
  /** the moment to decide for (business hours); absent: now */
  at?: string;
}

/** The decision the live rules would take for a sample message, with its trace. Reads only; stores nothing. */
export async function simulate(engine: RoutingEngine, store: Executor, req: SimulateRequest, now: Date) {
  const contact = req.contact ?? (await findRoutingContact(store, req.channel, req.from)) ?? undefined;
  const input: RoutingInput = {
    channel: req.channel,
    from: req.from,
    subject: req.subject,
    text: req.text,
    contact,
    case: req.case
      ? { state: req.case.state, priority: req.case.priority, tags: req.case.tags ?? [], inboundCount: req.case.inboundCount ?? 2, createdAt: now }
      : undefined,
    now: req.at ? new Date(req.at) : now,
  };
  const d = engine.route(input);
  return {
    queue: d.queue,
    priority: d.priority,
    category: d.category,
    sentiment: d.sentiment,
    frustrated: d.frustrated,
    tags: d.tags,
    requiredSkills: d.requiredSkills,
    autoReply: d.autoReplyTemplate
      ? { template: d.autoReplyTemplate, text: renderTemplate(d.autoReplyText ?? '', { caseNumber: 'CS0000000', name: contact?.name ?? '', queue: d.queue, subject: req.subject ?? '', backAt: d.backAt ?? 'soon' }) }
      : null,
    version: d.version,
    contact: contact ?? null,
    trace: d.trace,
  };
}
