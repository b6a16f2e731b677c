/** SLA policies, their versions and the simulation (gateway/schemas/sla.schema.ts). */
import type { Static } from 'typebox';
import type { SlaPolicyPatchBody, SlaPolicySchema, SlaSimulateBody, SlaSimulation, SlaVersionList } from '../../../../gateway/schemas/sla.schema.ts';

export type SlaPolicy = Static<typeof SlaPolicySchema>;

export type TargetName = keyof SlaPolicy['targets'];

/** the targets in order, with the names the forms show */
export const TARGETS = [['firstResponse', 'First response'], ['nextResponse', 'Next response'], ['resolution', 'Resolution']] as const satisfies readonly (readonly [TargetName, string])[];

export type Escalation = SlaPolicy['escalations'][number];

export type EscalationAction = Escalation['actions'][number];

export type SlaMatch = SlaPolicy['match'];

export type SlaPolicyInput = Static<typeof SlaPolicyPatchBody>;

export type SlaVersion = Static<typeof SlaVersionList>['items'][number];

export type SimulateInput = Static<typeof SlaSimulateBody>;

export type Simulation = Static<typeof SlaSimulation>;
