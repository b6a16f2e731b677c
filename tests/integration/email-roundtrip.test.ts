/**
 * A customer writes over real SMTP, an agent answers through the API, the answer arrives on a real
 * SMTP sink, and the customer's replies — as Gmail and Outlook shape them — join the same case.
 */
import { inStore } from '../support/store-rows.ts';
import { eventually } from '../support/test-app.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseMail } from '../support/smtp-sink.ts';
import { mailWithPdf, newMessageId, rawMail, startEmailApp, SUPPORT, type EmailApp } from './email-kit.ts';

let t: EmailApp;
beforeAll(async () => {
  t = await startEmailApp();
});
afterAll(() => t.stop());

const ADA = 'ada@customer.test';

/** opens a case for `from` and has an agent answer it; returns the case and the answer as received */
async function caseWithAnswer(from: string, subject: string) {
  const firstId = newMessageId();
  expect((await t.smtp(rawMail({ from, subject, messageId: firstId }))).code).toBe(250);
  const address = /<([^>]+)>|(\S+@\S+)/u.exec(from)!.slice(1).find(Boolean)!.toLowerCase();
  const [kase] = await t.casesOf(address);
  const before = t.sink.messages.length;
  const reply = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: `Hello, we are on it. <b>not bold</b> & "quoted"` });
  expect(reply.status).toBe(202);
  const [got] = (await t.sink.waitFor(before + 1)).slice(before);
  return { kase, firstId, answer: await parseMail(got!.raw), envelope: got!, interactionId: reply.body.interactionId as string };
}

describe('email round trip over real SMTP', () => {
  let kase: any;
  let answer: Awaited<ReturnType<typeof parseMail>>;
  let firstId: string;

  it('an inbound mail opens a case for the sender', async () => {
    ({ kase, answer, firstId } = await caseWithAnswer('Ada Lovelace <ada@customer.test>', 'Printer on fire'));
    expect(kase).toMatchObject({ channel: 'email', subject: 'Printer on fire', contact: { name: 'Ada Lovelace', email: ADA } });
    const view = await t.caseView(kase.number);
    expect(view.interactions[0]).toMatchObject({ direction: 'inbound', channel: 'email', kind: 'message', text: 'Hello, my printer is on fire. Please help.' });
  });

  it('the agent answer arrives on the sink as a threaded reply from the support address', async () => {
    expect(answer.subject).toBe(`Re: Printer on fire [${kase.number}]`);
    expect(answer.from?.value[0]?.address).toBe(SUPPORT);
    expect(answer.to && !Array.isArray(answer.to) ? answer.to.value[0]?.address : null).toBe(ADA);
    expect(answer.messageId).toMatch(new RegExp(`^<${kase.number}\\.[0-9a-f]{10}\\.[0-9a-f]+@acme\\.test>$`, 'u'));
    expect(answer.inReplyTo).toBe(firstId);
    expect([answer.references].flat()).toContain(firstId);
    expect(answer.text?.trim()).toBe('Hello, we are on it. <b>not bold</b> & "quoted"');
    expect(answer.html).toContain('&#60;b&#62;not bold&#60;/b&#62; &#38; &#34;quoted&#34;');
    expect(answer.html).not.toContain('<b>');
    const replyTo = answer.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(new RegExp(`^support\\+${kase.number}\\.[0-9a-f]{10}@acme\\.test$`, 'u'));
    const view = await t.caseView(kase.number);
    expect(view.interactions.at(-1)).toMatchObject({ direction: 'outbound', status: 'sent' });
    expect(view.state).toBe('awaiting_customer');
  });

  it('a Gmail reply (In-Reply-To + References, quoted history) joins the case with only the new text', async () => {
    const res = await t.smtp(
      rawMail({
        from: 'Ada Lovelace <ada@customer.test>',
        to: answer.replyTo!.value[0]!.address!,
        subject: `Re: ${answer.subject}`,
        headers: [`In-Reply-To: ${answer.messageId}`, `References: ${firstId} ${answer.messageId}`],
        body: `Thanks, it is still smoking.\r\n\r\nOn Mon, 3 Mar 2025 at 11:00, Support <${SUPPORT}> wrote:\r\n> Hello, we are on it.\r\n`,
      }),
      { to: [answer.replyTo!.value[0]!.address!] },
    );
    expect(res.code).toBe(250);
    expect((await t.casesOf(ADA)).map((c) => c.number)).toEqual([kase.number]);
    const view = await t.caseView(kase.number);
    const last = view.interactions.filter((i: any) => i.direction === 'inbound').at(-1);
    expect(last.text).toBe('Thanks, it is still smoking.');
    const row = await inStore(t.app.switchboard.db).interaction.findUniqueOrThrow({ where: { id: last.id } });
    expect(row.fullText).toContain('> Hello, we are on it.');
    expect(view.state).toBe('open');
  });

  it('an HTML-only reply from Outlook on the web is cut at its quoted header block, which stays in the full text', async () => {
    const res = await t.smtp(
      rawMail({
        subject: `RE: ${answer.subject}`,
        headers: [`In-Reply-To: ${answer.messageId}`],
        contentType: 'text/html',
        body:
          '<html><body><div>The smoke has stopped.</div><div>Ada</div><div id="appendonsend"></div>' +
          '<hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg"><b>From:</b> Support<br><b>Sent:</b> Monday<br><b>Subject:</b> Printer</div>' +
          '<div>Hello, we are on it.</div></body></html>',
      }),
    );
    expect(res.code).toBe(250);
    const last = await eventually(async () => (await t.caseView(kase.number)).interactions.find((i: any) => i.direction === 'inbound' && i.text.startsWith('The smoke')));
    expect(last.text).toBe('The smoke has stopped.\nAda');
    const row = await inStore(t.app.switchboard.db).interaction.findUniqueOrThrow({ where: { id: last.id } });
    expect(row.fullText).toContain('Hello, we are on it.');
    expect(JSON.parse(row.meta).message.meta.trimmed).toBe('quote_structure');
  });

  it('an Outlook reply that kept only References joins the case', async () => {
    await t.smtp(rawMail({ subject: `RE: Printer on fire`, headers: [`References: ${answer.messageId}`, 'Thread-Index: AQHZ1234abcd'], body: 'Only references here.' }));
    const cases = await t.casesOf(ADA);
    expect(cases.map((c) => c.number)).toEqual([kase.number]);
    expect((await t.caseView(kase.number)).interactions.some((i: any) => i.text === 'Only references here.')).toBe(true);
  });

  it('an Outlook reply with every id rewritten still joins by the subject token (sender is the contact)', async () => {
    await t.smtp(
      rawMail({
        from: '"Lovelace, Ada" <Ada@Customer.test>',
        subject: `AW: RE: Printer on fire [${kase.number}]`,
        messageId: newMessageId('EUR01.prod.outlook.com'),
        headers: ['Thread-Topic: Printer on fire', 'Thread-Index: AQHZ1234abcd=='],
        body: 'Subject token only.\r\n\r\n________________________________\r\nFrom: Support <support@acme.test>\r\nSent: Monday, 3 March 2025 11:00\r\nTo: Ada\r\nSubject: Re: Printer on fire\r\n\r\nHello, we are on it.',
      }),
    );
    expect((await t.casesOf(ADA)).map((c) => c.number)).toEqual([kase.number]);
    expect((await t.caseView(kase.number)).interactions.some((i: any) => i.text === 'Subject token only.')).toBe(true);
  });

  it('a reply with no ids and no token, sent to our plus address from another of her addresses, joins the case', async () => {
    const plus = answer.replyTo!.value[0]!.address!;
    await t.smtp(rawMail({ from: 'Ada <ada.lovelace@mail.test>', to: plus, subject: 'printer', body: 'Plus address only.' }), { to: [plus] });
    expect((await t.casesOf(ADA)).map((c) => c.number)).toEqual([kase.number]);
    expect(await t.casesOf('ada.lovelace@mail.test')).toEqual([]);
    expect((await t.caseView(kase.number)).interactions.some((i: any) => i.text === 'Plus address only.')).toBe(true);
  });

  it('the next answer continues the thread: In-Reply-To the newest mail, References the whole case', async () => {
    const before = t.sink.messages.length;
    await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'A technician is on the way.' });
    const [got] = (await t.sink.waitFor(before + 1)).slice(before);
    const second = await parseMail(got!.raw);
    expect(second.subject).toBe(`Re: Printer on fire [${kase.number}]`);
    const refs = [second.references].flat();
    expect(refs).toContain(firstId);
    expect(refs).toContain(answer.messageId);
    expect(second.inReplyTo).toBe(refs.at(-1));
    expect(second.messageId).not.toBe(answer.messageId);
  });
});

describe('no stranger gets into someone else’s case', () => {
  it('a stranger quoting the case number in the subject gets a new case', async () => {
    const { kase } = await caseWithAnswer('Bea <bea@customer.test>', 'Invoice wrong');
    await t.smtp(rawMail({ from: 'Eve <eve@elsewhere.test>', subject: `Re: Invoice wrong [${kase.number}]`, body: 'let me in' }));
    const eve = await t.casesOf('eve@elsewhere.test');
    expect(eve).toHaveLength(1);
    expect(eve[0].number).not.toBe(kase.number);
    expect((await t.caseView(kase.number)).interactions.some((i: any) => i.text === 'let me in')).toBe(false);
    expect((await t.caseView(eve[0].number)).routing.thread.reason).toMatch(/subject case number ignored/u);
  });

  it('an untagged plus address or a forged Message-ID of ours proves nothing', async () => {
    const { kase } = await caseWithAnswer('Cid <cid@customer.test>', 'Delivery late');
    const plain = `support+${kase.number}@acme.test`;
    await t.smtp(rawMail({ from: 'mallory@elsewhere.test', to: plain, body: 'plus guess' }), { to: [plain] });
    await t.smtp(rawMail({ from: 'mallory@elsewhere.test', headers: [`In-Reply-To: <${kase.number}.0123456789.abcdef@acme.test>`], body: 'id guess' }));
    const mallory = await t.casesOf('mallory@elsewhere.test');
    expect(mallory).toHaveLength(2);
    expect(mallory.map((c) => c.number)).not.toContain(kase.number);
  });

  it('the untagged plus address still works for the case’s own contact', async () => {
    const { kase } = await caseWithAnswer('Dan <dan@customer.test>', 'Password reset');
    const plain = `support+${kase.number}@acme.test`;
    await t.smtp(rawMail({ from: 'dan@customer.test', to: plain, subject: 'again', body: 'typed the plus address' }), { to: [plain] });
    expect((await t.casesOf('dan@customer.test')).map((c) => c.number)).toEqual([kase.number]);
  });

  it('a colleague of the same account may use the subject token', async () => {
    expect((await t.api('POST', '/api/v1/accounts', { name: 'Bigcorp', domains: ['bigcorp.test'] })).status).toBe(201);
    const { kase } = await caseWithAnswer('Bob <bob@bigcorp.test>', 'Contract renewal');
    await t.smtp(rawMail({ from: 'Carol <carol@bigcorp.test>', subject: `Re: Contract renewal [${kase.number}]`, body: 'Bob is away, I take over.' }));
    expect(await t.casesOf('carol@bigcorp.test')).toEqual([]);
    expect((await t.caseView(kase.number)).interactions.some((i: any) => i.text === 'Bob is away, I take over.')).toBe(true);
  });
});

describe('resolved and closed cases', () => {
  it('a reply to a resolved case within REOPEN_DAYS reopens it', async () => {
    const { kase, answer } = await caseWithAnswer('Fay <fay@customer.test>', 'Refund');
    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { state: 'resolved' })).status).toBe(200);
    await t.smtp(rawMail({ from: 'fay@customer.test', subject: `Re: ${answer.subject}`, headers: [`In-Reply-To: ${answer.messageId}`], body: 'Not refunded yet.' }));
    const cases = await t.casesOf('fay@customer.test');
    expect(cases.map((c) => c.number)).toEqual([kase.number]);
    expect(cases[0].state).toBe('open');
    expect((await t.caseView(kase.number)).routing.thread.action).toBe('reopen');
  });

  it('a reply to a closed case opens a new case linked to the old one', async () => {
    const { kase, answer } = await caseWithAnswer('Gus <gus@customer.test>', 'Broken lid');
    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { state: 'closed' })).status).toBe(200);
    await t.smtp(rawMail({ from: 'gus@customer.test', subject: `Re: ${answer.subject}`, headers: [`In-Reply-To: ${answer.messageId}`], body: 'Broken again.' }));
    const cases = await t.casesOf('gus@customer.test');
    expect(cases).toHaveLength(2);
    const fresh = cases.find((c) => c.number !== kase.number)!;
    expect(fresh.linkedCase).toBe(kase.number);
    expect(fresh.state).toBe('new');
    expect((await t.caseView(kase.number)).state).toBe('closed');
  });
});

describe('attachments', () => {
  it('are listed on the interaction with name, type, size and checksum, and stored under the data dir', async () => {
    const pdf = Buffer.from('%PDF-1.4 pretend invoice\n');
    const raw = mailWithPdf({ from: 'Kai <kai@customer.test>', text: 'See the invoice.', pdf });
    expect((await t.smtp(raw)).code).toBe(250);
    const [kase] = await t.casesOf('kai@customer.test');
    const [first] = (await t.caseView(kase.number)).interactions;
    expect(first.text).toBe('See the invoice.');
    expect(first.attachments).toEqual([
      { name: 'invoice.pdf', contentType: 'application/pdf', size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex'), storedPath: expect.any(String) },
    ]);
    expect(fs.readFileSync(path.join(t.dataDir, first.attachments[0].storedPath))).toEqual(pdf);
  });
});

describe('the SMTP listener', () => {
  it('refuses other recipients with 550 and delivers a mixed transaction to ours only', async () => {
    const refused = await t.smtp(rawMail({ from: 'hal@customer.test' }), { to: ['ceo@acme.test'] });
    expect(refused.code).toBe(550);
    const foreign = await t.smtp(rawMail({ from: 'hal@customer.test' }), { to: ['support@other.test'] });
    expect(foreign.code).toBe(550);
    expect(await t.casesOf('hal@customer.test')).toEqual([]);
    const mixed = await t.smtp(rawMail({ from: 'hal@customer.test' }), { to: ['ceo@acme.test', SUPPORT] });
    expect(mixed.code).toBe(250);
    expect(await t.casesOf('hal@customer.test')).toHaveLength(1);
  });

  it('ignores mail from our own address (250, nothing stored)', async () => {
    const before = await inStore(t.app.switchboard.db).interaction.count();
    const res = await t.smtp(rawMail({ from: `Support <${SUPPORT}>`, body: 'echo' }));
    expect(res.code).toBe(250);
    expect(res.response).toMatch(/ignored/u);
    const plus = await t.smtp(rawMail({ from: 'support+CS0001001@acme.test', body: 'echo' }));
    expect(plus.code).toBe(250);
    await t.settled();
    expect(await inStore(t.app.switchboard.db).interaction.count()).toBe(before);
  });

  it('never answers itself: a Reply-To pointing at us falls back to From', async () => {
    await t.smtp(rawMail({ from: 'ivy@customer.test', headers: [`Reply-To: ${SUPPORT}`], body: 'reply-to is you' }));
    const [kase] = await t.casesOf('ivy@customer.test');
    expect(kase.contact.email).toBe('ivy@customer.test');
  });

  it('the same Message-ID delivered twice is stored once', async () => {
    const id = newMessageId();
    const raw = rawMail({ from: 'jo@customer.test', messageId: id });
    const first = await t.smtp(raw);
    const second = await t.smtp(raw);
    expect(first.code).toBe(250);
    expect(second.code).toBe(250);
    expect(second.response).toBe(first.response);
    await t.settled();
    expect(await inStore(t.app.switchboard.db).interaction.count({ where: { messageId: id } })).toBe(1);
    expect(await t.casesOf('jo@customer.test')).toHaveLength(1);
  });
});
