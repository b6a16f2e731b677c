/** Turns the raw body of a POST to /slack/events into one of the shapes Slack sends there. */

export type SlackBody =
  | { kind: 'url_verification'; challenge: string }
  | { kind: 'event'; body: Record<string, unknown>; eventId: string | undefined; eventType: string }
  | { kind: 'interaction'; body: Record<string, unknown>; interactionType: string }
  | { kind: 'command'; body: Record<string, string> }
  /** well-formed, but nothing we act on: answered 200 and logged */
  | { kind: 'unknown'; reason: string };

export type BodyParse = { ok: true; value: SlackBody } | { ok: false; reason: string };

const INTERACTIONS_HANDLED = new Set(['block_actions']);

export function parseSlackBody(contentType: string | undefined, raw: string): BodyParse {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return parseJson(raw);
  if (type === 'application/x-www-form-urlencoded') return parseForm(raw);
  return { ok: false, reason: `content type ${JSON.stringify(type)}` };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(raw: string): BodyParse {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  return classifyEnvelope(body);
}

/** A JSON envelope (HTTP body, or a Socket Mode `events_api` payload). */
export function classifyEnvelope(body: unknown): BodyParse {
  if (!isRecord(body) || typeof body.type !== 'string') return { ok: false, reason: 'JSON body without a type' };
  if (body.type === 'url_verification') {
    if (typeof body.challenge !== 'string' || body.challenge.length > 1000) return { ok: false, reason: 'url_verification without a challenge' };
    return { ok: true, value: { kind: 'url_verification', challenge: body.challenge } };
  }
  if (body.type === 'event_callback') {
    const event = body.event;
    if (!isRecord(event) || typeof event.type !== 'string') return { ok: false, reason: 'event_callback without an event' };
    const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
    return { ok: true, value: { kind: 'event', body, eventId, eventType: event.type } };
  }
  return { ok: true, value: { kind: 'unknown', reason: `envelope type ${body.type}` } };
}

function parseForm(raw: string): BodyParse {
  const form = new URLSearchParams(raw);
  const payload = form.get('payload');
  if (payload !== null) {
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      return { ok: false, reason: 'payload field is not JSON' };
    }
    return classifyInteraction(body);
  }
  if (form.has('ssl_check')) return { ok: true, value: { kind: 'unknown', reason: 'ssl_check' } };
  if (form.has('command')) return classifyCommand(Object.fromEntries(form));
  return { ok: false, reason: 'form without payload or command' };
}

/** An interactivity payload (the form's `payload` field, or a Socket Mode `interactive` payload). */
export function classifyInteraction(body: unknown): BodyParse {
  if (!isRecord(body) || typeof body.type !== 'string') return { ok: false, reason: 'payload without a type' };
  if (!INTERACTIONS_HANDLED.has(body.type)) return { ok: true, value: { kind: 'unknown', reason: `interaction type ${body.type}` } };
  if (!Array.isArray(body.actions) || !isRecord(body.user) || typeof body.user.id !== 'string') {
    return { ok: false, reason: 'block_actions without actions or user' };
  }
  return { ok: true, value: { kind: 'interaction', body, interactionType: body.type } };
}

/** Slash command fields (the form, or a Socket Mode `slash_commands` payload). */
export function classifyCommand(body: unknown): BodyParse {
  if (!isRecord(body)) return { ok: false, reason: 'command is not an object' };
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v;
  if (!fields.command || !fields.user_id || !fields.channel_id) return { ok: false, reason: 'command without command, user_id or channel_id' };
  return { ok: true, value: { kind: 'command', body: fields } };
}
