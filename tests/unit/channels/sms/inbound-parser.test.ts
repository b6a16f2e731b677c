import { describe, expect, it } from 'vitest';
import { parseFormBody } from '../../../../channels/sms/form-body.ts';
import { parseInboundSms } from '../../../../channels/sms/inbound-parser.ts';
import { readForm } from './sms-test-kit.ts';

const receivedAt = new Date('2025-03-01T10:00:00Z');
const parse = (body: string, maxMedia = 10) => parseInboundSms(parseFormBody(Buffer.from(body)).fields, { maxMedia, receivedAt });
const base = { MessageSid: 'SM0123456789abcdef0123456789abcdef', From: '+447700900123', To: '+15017122661', Body: 'hello' };
const body = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('parseInboundSms', () => {
  it('normalizes a plain SMS', () => {
    const result = parse(readForm('inbound-sms.form'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message).toMatchObject({
      channel: 'sms',
      externalId: 'SM6f1c0a9e2b7d4c3a8e5f0b1d2c3e4f5a',
      kind: 'message',
      from: { address: '+447700900123', phone: '+447700900123' },
      to: '+15017122661',
      text: 'Hi, my order #4411 never arrived. Can you help?',
      thread: { byContact: true },
      receivedAt,
      meta: { to: '+15017122661', numSegments: 1, numMedia: 0, fromCountry: 'GB' },
    });
    expect(result.message.attachments).toBeUndefined();
  });

  it('turns MMS media into attachment metadata with their URLs', () => {
    const result = parse(readForm('inbound-mms.form'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message.attachments).toEqual([
      {
        name: 'media-1.jpg',
        contentType: 'image/jpeg',
        size: 0,
        url: 'https://api.twilio.com/2010-04-01/Accounts/AC0000000000000000000000000000a001/Messages/MM9a8b7c6d5e4f30211a2b3c4d5e6f7081/Media/ME11111111111111111111111111111111',
      },
      {
        name: 'media-2.pdf',
        contentType: 'application/pdf',
        size: 0,
        url: 'https://api.twilio.com/2010-04-01/Accounts/AC0000000000000000000000000000a001/Messages/MM9a8b7c6d5e4f30211a2b3c4d5e6f7081/Media/ME22222222222222222222222222222222',
      },
    ]);
    expect(result.message.text).toBe('Photo of the damaged box');
  });

  it('accepts an MMS without a body', () => {
    const result = parse(body({ ...base, Body: '', NumMedia: '1', MediaUrl0: 'https://media.example/1', MediaContentType0: 'image/png' }));
    expect(result.ok && result.message.text).toBe('');
    expect(result.ok && result.message.attachments?.[0]?.name).toBe('media-1.png');
  });

  it('formats human-written numbers as E.164', () => {
    const result = parse(body({ ...base, From: ' +44 (7700) 900-123 ' }));
    expect(result.ok && result.message.from).toEqual({ address: '+447700900123', phone: '+447700900123' });
  });

  it.each([
    ['MessageSid', 'MISSING_MESSAGE_SID'],
    ['From', 'MISSING_FROM'],
  ])('without %s it is %s', (name, code) => {
    const fields: Record<string, string> = { ...base };
    delete fields[name];
    expect(parse(body(fields))).toMatchObject({ ok: false, code });
    expect(parse(body({ ...fields, [name]: '   ' }))).toMatchObject({ ok: false, code });
  });

  it('rejects a MessageSid that is not an id', () => {
    expect(parse(body({ ...base, MessageSid: 'SM<script>' }))).toMatchObject({ ok: false, code: 'INVALID_MESSAGE_SID' });
    expect(parse(body({ ...base, MessageSid: 'S'.repeat(65) }))).toMatchObject({ ok: false, code: 'INVALID_MESSAGE_SID' });
  });

  it.each(['-1', 'abc', '1.5', '1e3', '0x10', '9999999999', '11', '999'])('rejects NumMedia %j', (numMedia) => {
    expect(parse(body({ ...base, NumMedia: numMedia }))).toMatchObject({ ok: false, code: 'INVALID_NUM_MEDIA' });
  });

  it('takes NumMedia 10, the most Twilio sends', () => {
    const fields: Record<string, string> = { ...base, NumMedia: '10' };
    for (let i = 0; i < 10; i++) fields[`MediaUrl${i}`] = `https://media.example/${i}`;
    const result = parse(body(fields));
    expect(result.ok && result.message.attachments).toHaveLength(10);
  });

  it('keeps only SMS_MAX_MEDIA of the media and explains it', () => {
    const fields: Record<string, string> = { ...base, NumMedia: '8' };
    for (let i = 0; i < 8; i++) {
      fields[`MediaUrl${i}`] = `https://media.example/${i}`;
      fields[`MediaContentType${i}`] = 'image/jpeg';
    }
    const result = parse(body(fields), 3);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message.attachments?.map((a) => a.url)).toEqual(['https://media.example/0', 'https://media.example/1', 'https://media.example/2']);
    expect(result.message.meta?.numMedia).toBe(8);
    expect(result.notes).toContain('NumMedia 8 exceeds the limit of 3; kept the first 3');
  });

  it('skips declared media without a URL and keeps non-http URLs without a link', () => {
    const result = parse(body({ ...base, NumMedia: '3', MediaUrl0: 'javascript:alert(1)', MediaUrl2: 'https://media.example/2' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message.attachments).toEqual([
      { name: 'media-1', contentType: 'application/octet-stream', size: 0 },
      { name: 'media-3', contentType: 'application/octet-stream', size: 0, url: 'https://media.example/2' },
    ]);
    expect(result.notes.join('\n')).toMatch(/MediaUrl1 missing/);
    expect(result.notes.join('\n')).toMatch(/MediaUrl0 is not an http\(s\) URL/);
  });

  it('classifies STOP, START and HELP and keeps the keyword in meta', () => {
    const stop = parse(body({ ...base, Body: ' stop ' }));
    const start = parse(body({ ...base, Body: 'Start' }));
    const help = parse(body({ ...base, Body: 'HELP' }));
    expect(stop.ok && [stop.message.kind, stop.message.meta?.keyword]).toEqual(['opt_out', 'STOP']);
    expect(start.ok && start.message.kind).toBe('opt_in');
    expect(help.ok && help.message.kind).toBe('help');
  });

  it('treats short codes and alphanumeric senders as automated, never as customers', () => {
    for (const from of ['72345', 'MyBank']) {
      const result = parse(body({ ...base, From: from, Body: 'STOP' }));
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(result.message.kind).toBe('auto_reply');
      expect(result.message.from).toEqual({ address: from });
    }
  });

  it('ignores a bad NumSegments instead of failing', () => {
    const result = parse(body({ ...base, NumSegments: 'many' }));
    expect(result.ok && result.message.meta?.numSegments).toBeUndefined();
  });
});
