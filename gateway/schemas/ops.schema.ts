import { Type } from 'typebox';

/** `GET /healthz`: the process answers (liveness); `/readyz` says whether it can take traffic. */
export const healthRouteSchema = {
  summary: 'Liveness: the process answers',
  tags: ['ops'],
  response: { 200: Type.Object({ status: Type.Literal('ok') }) },
};
