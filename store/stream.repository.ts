import type { PrismaClient } from '@prisma/client';
import { caseInclude, toCaseView, type CaseView } from './case.repository.ts';
import { toInteractionView, type InteractionView } from './interaction.repository.ts';

/**
 * The cases and interactions a batch of agent-stream events names, as they are now: one query for the
 * cases and one for the interactions, however many events of a case wait in the batch. Rows that are
 * gone are simply absent.
 */
export async function streamViews(
  db: PrismaClient,
  caseIds: number[],
  interactionIds: string[],
): Promise<{ cases: Map<number, CaseView>; interactions: Map<string, InteractionView> }> {
  const cases = await db.case.findMany({ where: { id: { in: caseIds } }, include: caseInclude });
  const interactions = interactionIds.length === 0 ? [] : await db.interaction.findMany({ where: { id: { in: interactionIds } } });
  return {
    cases: new Map(cases.map((row) => [row.id, toCaseView(row)])),
    interactions: new Map(interactions.map((row) => [row.id, toInteractionView(row)])),
  };
}
