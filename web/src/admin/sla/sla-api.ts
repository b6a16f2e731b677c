/** SLA policies: the list in force, changes (each a version), versions, roll back, and the simulation. */
import { request } from '../../api-client.ts';
import type { SimulateInput, Simulation, SlaPolicy, SlaPolicyInput, SlaVersion } from './sla-types.ts';

const enc = encodeURIComponent;

export const slaApi = {
  list: () => request<{ version: number; items: SlaPolicy[] }>('GET', '/api/v1/sla-policies'),
  create: (body: SlaPolicyInput) => request<SlaPolicy>('POST', '/api/v1/sla-policies', body),
  patch: (id: string, body: SlaPolicyInput) => request<SlaPolicy>('PATCH', `/api/v1/sla-policies/${enc(id)}`, body),
  remove: (id: string) => request<null>('DELETE', `/api/v1/sla-policies/${enc(id)}`),
  versions: () => request<{ items: SlaVersion[] }>('GET', '/api/v1/sla-policies/versions'),
  version: (v: number) => request<SlaVersion & { items: SlaPolicy[] }>('GET', `/api/v1/sla-policies/versions/${v}`),
  restore: (v: number) => request<{ version: number; items: SlaPolicy[] }>('POST', `/api/v1/sla-policies/versions/${v}/restore`, {}),
  simulate: (body: SimulateInput) => request<Simulation>('POST', '/api/v1/sla-policies/simulate', body),
};
