import type { Executor } from '../../store/executor.ts';
import { agentSnapshots, holdsBroadcastOffer } from '../../store/assignment.repository.ts';
import { parseJsonArray, type CaseRecord } from '../../store/case.repository.ts';
import { agentById } from '../../store/directory.repository.ts';
import { formatCaseNumber } from '../../routing/case-number.ts';
import { whyCannotTake } from '../../routing/take-case.ts';
import type { ChannelName } from '../../channels/channel.types.ts';
import { GatewayError } from '../errors.ts';

/** An agent's name for messages people read; the id when the agent is gone. */
export async function agentName(x: Executor, id: string): Promise<string> {
  return (await agentById(x, id))?.name ?? id;
}

/**
 * The case as the agent sees it: one of a broadcast's further offers is an offer to them like the case's
 * own (`offeredToId`), so they may take it. `broadcast` says whether that is how they hold it.
 */
export async function asSeenBy(tx: Executor, kase: CaseRecord, agentId: string): Promise<{ kase: CaseRecord; broadcast: boolean }> {
  const broadcast = kase.offeredToId !== null && kase.offeredToId !== agentId && (await holdsBroadcastOffer(tx, kase.id, agentId));
  return { kase: broadcast ? { ...kase, offeredToId: agentId } : kase, broadcast };
}

/**
 * Throws the coded refusal (409 CASE_NOT_CLAIMABLE, 403 NOT_ELIGIBLE) when the agent may not take the
 * case now (routing/take-case.ts); `hint` is added to its message.
 */
export async function assertMayTake(tx: Executor, kase: CaseRecord, agentId: string, hint = ''): Promise<void> {
  const [me] = await agentSnapshots(tx, [agentId]);
  if (!me) throw new GatewayError('AGENT_NOT_FOUND', `no agent ${agentId}`);
  const names = new Map<string, string>();
  for (const id of [kase.assigneeId, kase.offeredToId]) if (id && id !== agentId) names.set(id, await agentName(tx, id));
  const refusal = whyCannotTake(
    {
      number: formatCaseNumber(kase.id),
      assigneeId: kase.assigneeId,
      offeredToId: kase.offeredToId,
      queue: kase.queueName ?? '',
      alsoQueues: parseJsonArray(kase.widenedTo),
      channel: kase.channel as ChannelName,
      requiredSkills: parseJsonArray(kase.requiredSkills),
    },
    me,
    (id) => names.get(id) ?? id,
  );
  if (refusal) throw new GatewayError(refusal.code, refusal.message + hint);
}
