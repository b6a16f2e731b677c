/**
 * An SLA escalation's email notice: it goes through the outbox to the address named, says what is due
 * and links to the case; it is no answer (the clock stays breached), no part of the customer's thread
 * (their next answer does not reference it) and a reply to it does not land on the customer's case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMail } from '../support/smtp-sink.ts';
import { eventually } from '../support/test-app.ts';
import { newMessageId, rawMail, startEmailApp, SUPPORT, type EmailApp } from './email-kit.ts';

const DESK = 'sla-desk@acme.test';

describe('an email notice on breach', () => {
  let t: EmailApp;
  beforeAll(async () => {
    t = await startEmailApp({ PUBLIC_URL: 'https://desk.acme.test' });
    for (const p of (await t.api('GET', '/api/v1/sla-policies')).body.items) expect((await t.api('DELETE', `/api/v1/sla-policies/${p.id}`)).status).toBe(204);
    const res = await t.api('POST', '/api/v1/sla-policies', {
      name: 'Mail',
      match: { channel: 'email' },
      calendar: null,
      targets: { firstResponse: 'PT1S' },
      warnBefore: null,
      escalations: [{ when: 'breach', target: 'firstResponse', actions: [{ type: 'tag', value: 'late' }, { type: 'notify', channel: 'email', to: DESK }] }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
  afterAll(() => t.stop());

  it('is sent once to the address, links the case, and is neither an answer nor part of the thread', async () => {
    const customerId = newMessageId();
    expect((await t.smtp(rawMail({ from: 'Nia Okafor <nia@customer.test>', subject: 'Invoice is wrong', messageId: customerId }))).code).toBe(250);
    const [kase] = await t.casesOf('nia@customer.test');

    const notice = await eventually(async () => t.sink.messages.find((m) => m.to.includes(DESK)), 10_000, 'the notice mail');
    const mail = await parseMail(notice.raw);
    expect(mail.subject).toBe(`[SLA breached] ${kase.number}: Invoice is wrong`);
    expect(mail.text).toContain('The first response promise on case');
    expect(mail.text).toContain('Customer:  Nia Okafor (email)');
    expect(mail.text).toContain('Also done: tagged late.');
    expect(mail.text).toContain(`https://desk.acme.test/console/#${kase.number}`);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    // nothing in it threads a reply into the case: no case tag in the subject's brackets, the Reply-To or the Message-ID
    expect(mail.replyTo).toBeUndefined();
    expect(mail.messageId).not.toContain(kase.number);
    expect(mail.inReplyTo).toBeUndefined();

    const view = await eventually(async () => {
      const v = await t.caseView(kase.number);
      return v.interactions.some((i: any) => i.kind === 'notice' && i.status === 'sent') ? v : null;
    });
    const notices = view.interactions.filter((i: any) => i.kind === 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ direction: 'outbound', channel: 'email', subject: mail.subject, agentId: null });
    expect(view.interactions.some((i: any) => i.direction === 'event' && i.text.includes(`emailed ${DESK}`))).toBe(true);
    // the notice is no answer: the promise stays broken and the case still waits for one
    expect(view.sla.firstResponse.state).toBe('breached');
    expect(view.state).toBe('new');
    expect(view.tags).toContain('late');
    expect(t.sink.messages.filter((m) => m.to.includes(DESK))).toHaveLength(1);

    // the team member replies to the notice: it does not land on the customer's case as theirs
    const replyId = newMessageId('acme.test');
    const reply = rawMail({ from: `Desk <${DESK}>`, subject: `Re: ${mail.subject}`, messageId: replyId, headers: [`In-Reply-To: ${mail.messageId}`, `References: ${mail.messageId}`] });
    expect((await t.smtp(reply, { from: DESK, to: [SUPPORT] })).code).toBe(250);
    await t.settled();
    const after = await t.caseView(kase.number);
    expect(after.interactions.filter((i: any) => i.direction === 'inbound')).toHaveLength(1);

    // the agent's answer to the customer references the customer's mail, never the notice
    const answer = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'We are correcting the invoice.' });
    expect(answer.status).toBe(202);
    const sent = await eventually(async () => t.sink.messages.find((m) => m.to.includes('nia@customer.test')), 10_000, 'the answer');
    const answerMail = await parseMail(sent.raw);
    expect(answerMail.inReplyTo).toBe(customerId);
    expect(String(answerMail.references)).not.toContain(mail.messageId!);
  });

  it('is refused without an address to send it to, naming the field', async () => {
    const before = (await t.api('GET', '/api/v1/sla-policies')).body.items;
    for (const to of [undefined, 'not an address', 'a@b.test, c@d.test']) {
      const res = await t.api('POST', '/api/v1/sla-policies', {
        name: `Bad ${to ?? 'none'}`,
        targets: { firstResponse: 'PT1H' },
        escalations: [{ when: 'breach', target: 'firstResponse', actions: [{ type: 'notify', channel: 'email', ...(to ? { to } : {}) }] }],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_SLA_POLICY');
      expect(res.body.error.message).toContain('escalations[0].actions[0].to');
    }
    expect((await t.api('GET', '/api/v1/sla-policies')).body.items).toEqual(before);
  });
});
