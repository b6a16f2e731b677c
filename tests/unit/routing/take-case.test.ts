import { describe, expect, it } from 'vitest';
import { whyCannotTake, type TakeFacts } from '../../../routing/take-case.ts';
import type { AgentSnapshot } from '../../../routing/pick-agent.ts';

const me: AgentSnapshot = { id: 'a1', presence: 'offline', skills: ['Billing'], queues: ['General'], capacity: { chat: 1 }, load: {}, lastAssignedAt: null };
const kase: TakeFacts = { number: 'CS0001001', assigneeId: null, offeredToId: null, queue: 'General', channel: 'chat', requiredSkills: ['billing'] };
const names = (id: string) => ({ a2: 'Bob' })[id] ?? id;

describe('whyCannotTake', () => {
  it('lets an eligible agent take a free case whatever their presence', () => {
    expect(whyCannotTake(kase, me, names)).toBeNull();
  });

  it('refuses a case someone else holds or is offered, by name', () => {
    expect(whyCannotTake({ ...kase, assigneeId: 'a2' }, me, names)).toEqual({ code: 'CASE_NOT_CLAIMABLE', message: 'CS0001001 is already assigned to Bob' });
    expect(whyCannotTake({ ...kase, offeredToId: 'a2' }, me, names)).toEqual({ code: 'CASE_NOT_CLAIMABLE', message: 'CS0001001 is offered to Bob' });
  });

  it('refuses outside the queues, without a skill, or past capacity', () => {
    expect(whyCannotTake({ ...kase, queue: 'Billing' }, me, names)?.message).toBe('you cannot take CS0001001: not in queue Billing');
    expect(whyCannotTake({ ...kase, requiredSkills: ['french'] }, me, names)?.message).toBe('you cannot take CS0001001: missing skills french');
    expect(whyCannotTake(kase, { ...me, load: { chat: 1 } }, names)).toMatchObject({ code: 'NOT_ELIGIBLE', message: 'you cannot take CS0001001: at chat capacity (1/1)' });
  });

  it('an offer the agent holds counts in their load but does not stop them taking it', () => {
    expect(whyCannotTake({ ...kase, offeredToId: 'a1' }, { ...me, load: { chat: 1 } }, names)).toBeNull();
    expect(whyCannotTake({ ...kase, offeredToId: 'a1' }, { ...me, load: { chat: 2 } }, names)?.code).toBe('NOT_ELIGIBLE');
  });
});
