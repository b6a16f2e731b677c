import type { Executor } from '../../store/executor.ts';
import { agentSnapshots } from '../../store/assignment.repository.ts';
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
