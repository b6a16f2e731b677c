import { Type } from 'typebox';
import { bearer, errorResponses } from './common.schema.ts';

/** `GET /api/v1/stream`: a WebSocket, so the document can only say how to open it; the README describes its frames. */
export const agentStreamSchema = {
  summary: 'WebSocket: every case event as it happens',
  description:
    'Sends {"type":"hello","role","agentId"}, then one frame per event: {"type": "case.created" | "case.updated" | "interaction.added" | "interaction.status" | "sla.alert" | "assignment.alert", "case", "interaction"?, "changes"?, "origin"?, "alert"?, "reason"?}; an sla.alert frame says which promise of the case is about to break or broke: {"when": "warning" | "breach", "target", "policy", "dueAt"}; an assignment.alert frame says why assignment gave up on the case ("reason"). ' +
    'When events come faster than the stream can read them, it drops the backlog and sends {"type":"resync","skipped"} instead: the console reloads its case list and its open case, and the frames after it apply on top. ' +
    'Collision detection: the client sends {"type":"watch","case":"CS0001001"|null,"typing":boolean} for the case its agent has open; every stream watching that case gets {"type":"case.presence","case","viewers":[{"agentId","name","typing"}]} when its viewers change (across instances). Any other frame than a watch or {"type":"ping"} is answered {"type":"error","error":{"code":"INVALID_MESSAGE"}}. ' +
    'Browsers cannot set headers on a WebSocket: they pass the token as `access_token`, or (the workspace) send the session cookie from a page of this site.',
  tags: ['cases'],
  ...bearer('agent'),
  querystring: Type.Object({
    access_token: Type.Optional(Type.String({ description: 'the agent token, when the Authorization header cannot be set' })),
    stats: Type.Optional(Type.Boolean({ description: 'true: also a {"type":"stats","at","queues","agents"?} frame every STATS_PUSH_SECONDS (agents for supervisors), as GET /api/v1/stats/* give them' })),
  }),
  response: { 101: Type.Unsafe<void>({ type: 'null', description: 'Switching Protocols: the stream is open' }), ...errorResponses(401, 403, 429) },
};
