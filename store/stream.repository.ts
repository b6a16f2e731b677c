import { casesByIds, toCaseView, type CaseView } from './case.repository.ts';
import type { Executor } from './executor.ts';
import { interactionsByIds, toInteractionView, type InteractionView } from './interaction.repository.ts';

/**
 * The cases and interactions a batch of agent-stream events names, as they are now: one query for the
 * cases and one for the interactions, however many events of a case wait in the batch. Rows that are
 * gone are simply absent.
 */
export async function streamViews(
  x: Executor,
  caseIds: number[],
  interactionIds: string[],
): Promise<{ cases: Map<number, CaseView>; interactions: Map<string, InteractionView> }> {
  const cases = await casesByIds(x, caseIds);
  const interactions = await interactionsByIds(x, interactionIds);
  return {
    cases: new Map(cases.map((row) => [row.id, toCaseView(row)])),
    interactions: new Map(interactions.map((row) => [row.id, toInteractionView(row)])),
  };
}
