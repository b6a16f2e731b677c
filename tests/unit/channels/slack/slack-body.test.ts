import { describe, expect, it } from 'vitest';
import { classifyCommand, classifyEnvelope, classifyInteraction, parseSlackBody } from '../../../../channels/slack/slack-body.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const FORM = 'application/x-www-form-urlencoded';

describe('parseSlackBody', () => {
  it('answers url_verification with its challenge', () => {
    expect(parseSlackBody(JSON_TYPE, JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' }))).toEqual({
      ok: true,
      value: { kind: 'url_verification', challenge: 'abc123' },
    });
  });

  it('reads an event callback with its id and type', () => {
    const r = parseSlackBody(JSON_TYPE, JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event: { type: 'message', text: 'hi' } }));
    expect(r).toMatchObject({ ok: true, value: { kind: 'event', eventId: 'Ev1', eventType: 'message' } });
  });

  it('reads interactions and commands from forms', () => {
    const payload = { type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 'case_claim', value: 'CS0001001' }] };
    expect(parseSlackBody(FORM, new URLSearchParams({ payload: JSON.stringify(payload) }).toString())).toMatchObject({ ok: true, value: { kind: 'interaction', interactionType: 'block_actions' } });
    const cmd = new URLSearchParams({ command: '/case', text: 'CS0001001 resolve', user_id: 'U1', channel_id: 'C1' }).toString();
    expect(parseSlackBody(FORM, cmd)).toMatchObject({ ok: true, value: { kind: 'command', body: { command: '/case', text: 'CS0001001 resolve' } } });
  });

  it('calls well-formed things we do not act on unknown, not malformed', () => {
    expect(parseSlackBody(JSON_TYPE, JSON.stringify({ type: 'app_rate_limited', minute_rate_limited: 1 }))).toMatchObject({ ok: true, value: { kind: 'unknown' } });
    expect(parseSlackBody(FORM, new URLSearchParams({ payload: JSON.stringify({ type: 'view_submission', user: { id: 'U1' } }) }).toString())).toMatchObject({
      ok: true,
      value: { kind: 'unknown', reason: 'interaction type view_submission' },
    });
    expect(parseSlackBody(FORM, 'ssl_check=1&token=x')).toMatchObject({ ok: true, value: { kind: 'unknown', reason: 'ssl_check' } });
  });

  it.each([
    [JSON_TYPE, 'not json'],
    [JSON_TYPE, '[]'],
    [JSON_TYPE, '{"no":"type"}'],
    [JSON_TYPE, '{"type":"url_verification"}'],
    [JSON_TYPE, JSON.stringify({ type: 'url_verification', challenge: 'x'.repeat(1001) })],
    [JSON_TYPE, '{"type":"event_callback","event":"nope"}'],
    [JSON_TYPE, '{"type":"event_callback","event":{"text":"no type"}}'],
    [FORM, 'payload=%7Bbroken'],
    [FORM, `payload=${encodeURIComponent('{"type":"block_actions","actions":"x","user":{"id":"U1"}}')}`],
    [FORM, `payload=${encodeURIComponent('{"type":"block_actions","actions":[]}')}`],
    [FORM, 'command=%2Fcase&text=x'],
    [FORM, 'just=fields'],
    ['text/plain', 'hello'],
    [undefined, '{}'],
  ])('refuses %s %s', (type, raw) => {
    expect(parseSlackBody(type, raw).ok).toBe(false);
  });
});

describe('Socket Mode payloads use the same rules', () => {
  it('classifies objects', () => {
    expect(classifyEnvelope({ type: 'event_callback', event_id: 'Ev9', event: { type: 'message' } })).toMatchObject({ ok: true, value: { kind: 'event', eventId: 'Ev9' } });
    expect(classifyInteraction({ type: 'block_actions', user: { id: 'U1' }, actions: [] })).toMatchObject({ ok: true, value: { kind: 'interaction' } });
    expect(classifyCommand({ command: '/case', user_id: 'U1', channel_id: 'C1', text: 'help', is_enterprise_install: 'false' })).toMatchObject({ ok: true, value: { kind: 'command' } });
    expect(classifyCommand({ user_id: 'U1' }).ok).toBe(false);
    expect(classifyCommand('nope').ok).toBe(false);
    expect(classifyInteraction(null).ok).toBe(false);
  });
});
