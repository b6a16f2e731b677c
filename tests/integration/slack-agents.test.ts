/**
 * Agents working cases from Slack, on the real gateway with a fake Slack Web API: the card and its
 * channel, everything mirrored into the thread (and nothing echoed), thread replies and notes, card
 * buttons, `/case`, and who may do what.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type TestApp } from '../support/test-app.ts';
import { mailCaseWithCard, messageEnvelope, newTs, startAppWithSlack, type FakeSlackApi, type FakeSlackPost, type SlackTestApp } from '../support/fake-slack-api.ts';

const WEBHOOK_TOKEN = 'mail-hook-token';
let s: SlackTestApp;
let t: TestApp;
let fake: FakeSlackApi;
let slack: SlackTestApp['slack'];
let annToken: string;
const queueIds = new Map<string, string>();

beforeAll(async () => {
  s = await startAppWithSlack({ SLACK_DEFAULT_CHANNEL: 'CDEFAULT', EMAIL_WEBHOOK_TOKEN: WEBHOOK_TOKEN });
  ({ t, fake, slack } = s);
  const ann = await t.api('POST', '/api/v1/agents', { name: 'Ann Agent', email: 'ann@acme.test', slackUserId: 'UANN' });
  annToken = ann.body.token;
  await t.api('POST', '/api/v1/agents', { name: 'Bob Agent', email: 'bob@acme.test', slackUserId: 'UBOB' });
  await t.api('POST', '/api/v1/agents', { name: 'Sue Supervisor', email: 'sue@acme.test', slackUserId: 'USUE', role: 'supervisor' });
  fake.users.set('UNOBODY', { id: 'UNOBODY', name: 'nobody', email: 'nobody@elsewhere.test' });
  for (const q of (await t.api('GET', '/api/v1/queues')).body.items) queueIds.set(q.name, q.id);
});
afterAll(() => s?.close());

const db = () => inStore(t.app.switchboard.db);
const idle = () => (t.app.switchboard.channels.get('slack') as unknown as { idle(): Promise<void> }).idle();

const mailCase = (from: string, subject: string, text: string, name?: string) => mailCaseWithCard(s, WEBHOOK_TOKEN, { from, subject, text, name });

async function getCase(number: string) {
  return (await t.api('GET', `/api/v1/cases/${number}`)).body;
}

const reply = (card: FakeSlackPost, user: string, text: string, extra: Record<string, unknown> = {}) =>
  slack.event(messageEnvelope({ channel: card.channel, channel_type: 'channel', user, text, ts: newTs(), thread_ts: card.ts, ...extra }));

const click = (card: FakeSlackPost, user: string, action: Record<string, unknown>) =>
  slack.interaction({
    type: 'block_actions',
    team: { id: 'TFAKETEAM' },
    user: { id: user },
    channel: { id: card.channel },
    message: { ts: card.ts },
    response_url: fake.responseUrl(`click-${user}`),
    actions: [action],
  });

const command = (user: string, text: string) =>
  slack.command({ command: '/case', text, user_id: user, channel_id: 'CDEFAULT', team_id: 'TFAKETEAM', response_url: fake.responseUrl(`cmd-${user}`), trigger_id: 'x' });

/** every text Slack reads as markup inside blocks */
function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const own = o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : [];
    return [...own, ...Object.values(o).flatMap(mrkdwnTexts)];
  }
  return [];
}

const ephemeralsTo = (user: string) => fake.callsOf('chat.postEphemeral').filter((c) => c.params.user === user);

describe('cards and their channel', () => {
  it('a queue without a Slack channel gets its cards in SLACK_DEFAULT_CHANNEL; a mapped queue in its own', async () => {
    const first = await mailCase('dana@customer.test', 'Question', 'Just a question.');
    expect(first.card.channel).toBe('CDEFAULT');

    const queue = first.kase.queue as string;
    expect((await t.api('PATCH', `/api/v1/queues/${queueIds.get(queue)}`, { slackChannel: 'CMAPPED' })).status).toBe(200);
    try {
      const second = await mailCase('ed@customer.test', 'Question', 'Another question.');
      expect(second.kase.queue).toBe(queue);
      expect(second.card.channel).toBe('CMAPPED');
    } finally {
      await t.api('PATCH', `/api/v1/queues/${queueIds.get(queue)}`, { slackChannel: null });
    }
  });

  it('mirrors customer messages, answers and notes from the API, and state changes into the thread', async () => {
    const { kase, card } = await mailCase('fay@customer.test', 'Broken <!channel> toaster', 'It <@U123> sparks & smokes.', 'Fay');
    // what the customer wrote never becomes Slack markup (plain_text blocks are never parsed)
    const markup = [card.text, ...mrkdwnTexts(card.blocks)].join('\n');
    expect(markup).toContain('&lt;!channel&gt;');
    expect(markup).toContain('&lt;@U123&gt;');
    expect(markup).not.toContain('<!channel>');
    expect(markup).not.toContain('<@U123>');

    await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'We are sending a new one.' }, annToken);
    await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'Check the warranty first', internal: true }, annToken);
    await t.api('PATCH', `/api/v1/cases/${kase.number}`, { priority: 1 }, annToken);
    await idle();
    const thread = () => fake.threadOf(card.channel, card.ts).map((p) => p.text);
    await fake.waitFor(() => thread().length >= 3, 5_000, 'the thread lines');
    const lines = thread();
    expect(lines.find((l) => l.includes('answered via email'))).toMatch(/Ann Agent\* answered via email:\n>We are sending a new one\./);
    expect(lines.find((l) => l.includes('Note by'))).toContain('Check the warranty first');
    expect(lines.find((l) => l.includes('priority →'))).toContain('P1 Critical');
    // the card follows the case
    expect(JSON.stringify(card.blocks)).toContain('P1 Critical');
    expect(JSON.stringify(card.blocks)).toContain('<@UANN>');

    // the customer writes again: mirrored with their name, escaped
    const mime = `From: Fay <fay@customer.test>\r\nTo: support@switchboard.local\r\nSubject: Re: Broken toaster [${kase.number}]\r\nMessage-ID: <again-${Date.now()}@customer.test>\r\n\r\nThanks <!here>!\r\n`;
    await fetch(`${t.url}/webhooks/email`, { method: 'POST', headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'message/rfc822' }, body: mime });
    const line = await fake.waitFor(() => thread().find((l) => l.includes('Thanks')), 10_000, 'the customer line');
    expect(line).toContain('*Fay* via email');
    expect(line).toContain('&lt;!here&gt;');
  });
});

describe('thread replies', () => {
  it('"note:" keeps a thread message internal: stored as a note, nothing sent', async () => {
    const { kase, card } = await mailCase('gil@customer.test', 'Refund', 'Please refund.');
    expect((await reply(card, 'UANN', 'Note: customer is a reseller, check the contract')).status).toBe(200);
    const detail = await getCase(kase.number);
    const note = detail.interactions.find((i: any) => i.direction === 'note');
    expect(note.text).toBe('customer is a reseller, check the contract');
    expect(detail.interactions.filter((i: any) => i.direction === 'outbound')).toHaveLength(0);
    const caseInteractions = await db().interaction.findMany({ where: { caseId: Number(kase.number.slice(2)) - 1000 } });
    expect(await db().outboxItem.count({ where: { interactionId: { in: caseInteractions.map((i) => i.id) } } })).toBe(0);
  });

  it('a supervisor takes over a case someone else holds with a reply starting "takeover:"; without it they are told how', async () => {
    const { kase, card } = await mailCase('tia@customer.test', 'Broken', 'It broke.');
    expect((await reply(card, 'UANN', 'Looking into it')).status).toBe(200);
    await eventually(async () => ((await getCase(kase.number)).assignee ? true : null));
    const before = (await getCase(kase.number)).interactions.length;
    expect((await reply(card, 'USUE', 'I will handle this one')).status).toBe(200);
    await eventually(async () => (ephemeralsTo('USUE').at(-1)?.params.text.includes('assigned to Ann Agent') ? true : null));
    expect(ephemeralsTo('USUE').at(-1)?.params.text).toMatch(/starting with takeover:/);
    expect((await getCase(kase.number)).interactions).toHaveLength(before);

    expect((await reply(card, 'USUE', 'Takeover: I will handle this one')).status).toBe(200);
    const taken = await eventually(async () => {
      const c = await getCase(kase.number);
      return c.interactions.some((i: any) => i.direction === 'outbound' && i.text === 'I will handle this one') ? c : null;
    });
    expect(taken.assignee).toBe((await t.api('GET', '/api/v1/agents')).body.items.find((a: any) => a.name === 'Sue Supervisor').id);
    expect(taken.interactions.map((i: any) => i.text)).toContain('taken over by Sue Supervisor (supervisor) from Ann Agent');
    // an agent cannot: told so, nothing sent
    expect((await reply(card, 'UBOB', 'takeover: mine now')).status).toBe(200);
    await eventually(async () => (ephemeralsTo('UBOB').at(-1)?.params.text.includes('only supervisors') ? true : null));
  });

  it('a non-agent in the queue channel is told, and nothing is stored or sent', async () => {
    const { kase, card } = await mailCase('hal@customer.test', 'Help', 'Help me.');
    const before = (await getCase(kase.number)).interactions.length;
    expect((await reply(card, 'UNOBODY', 'I think it is broken')).status).toBe(200);
    expect((await getCase(kase.number)).interactions).toHaveLength(before);
    const told = ephemeralsTo('UNOBODY');
    expect(told.at(-1)?.params.text).toMatch(/not linked to a Switchboard agent/);
    expect(told.at(-1)?.params.thread_ts).toBe(card.ts);
  });

  it('edits and deletions of a sent reply are not applied; the editor is told', async () => {
    const { kase, card } = await mailCase('ivy@customer.test', 'Typo', 'Hi.');
    const ts = newTs();
    await slack.event(messageEnvelope({ channel: card.channel, channel_type: 'channel', user: 'UANN', text: 'Helo Ivy', ts, thread_ts: card.ts }));
    const edit = await slack.event(
      messageEnvelope({
        channel: card.channel,
        channel_type: 'channel',
        subtype: 'message_changed',
        hidden: true,
        ts: newTs(),
        message: { type: 'message', user: 'UANN', text: 'Hello Ivy', ts, thread_ts: card.ts, edited: { user: 'UANN', ts: newTs() } },
        previous_message: { type: 'message', user: 'UANN', text: 'Helo Ivy', ts, thread_ts: card.ts },
      }),
    );
    expect(edit.status).toBe(200);
    const del = await slack.event(messageEnvelope({ channel: card.channel, channel_type: 'channel', subtype: 'message_deleted', hidden: true, deleted_ts: ts, ts: newTs(), previous_message: { type: 'message', user: 'UANN', text: 'Helo Ivy', ts } }));
    expect(del.status).toBe(200);
    const out = (await getCase(kase.number)).interactions.filter((i: any) => i.direction === 'outbound');
    expect(out.map((i: any) => i.text)).toEqual(['Helo Ivy']);
    expect(ephemeralsTo('UANN').at(-1)?.params.text).toMatch(/Edits are not sent/);
  });

  it('a thread broadcast from an agent is a reply like any other', async () => {
    const { kase, card } = await mailCase('jon@customer.test', 'Hello', 'Hello?');
    expect((await reply(card, 'UANN', 'Hello Jon, here to help.', { subtype: 'thread_broadcast' })).status).toBe(200);
    const out = (await getCase(kase.number)).interactions.filter((i: any) => i.direction === 'outbound');
    expect(out.map((i: any) => i.text)).toEqual(['Hello Jon, here to help.']);
  });

  it('a reply to a closed case is refused with the reason, privately', async () => {
    const { kase, card } = await mailCase('kim@customer.test', 'Old', 'Old issue.');
    expect((await t.api('PATCH', `/api/v1/cases/${kase.number}`, { state: 'closed' })).status).toBe(200);
    await reply(card, 'UANN', 'Any news?');
    expect(ephemeralsTo('UANN').at(-1)?.params.text).toMatch(/Could not send this reply: .*closed/);
    expect((await getCase(kase.number)).interactions.filter((i: any) => i.direction === 'outbound')).toHaveLength(0);
  });
});

describe('buttons', () => {
  it('claim, priority, resolve and reopen change the case and redraw the card', async () => {
    const { kase, card } = await mailCase('lea@customer.test', 'Buttons', 'Please help.');
    expect((await click(card, 'UANN', { action_id: 'case_claim', type: 'button', value: kase.number })).status).toBe(200);
    await eventually(async () => (await getCase(kase.number)).assignee !== null, 5_000, 'the claim');
    await fake.waitFor(() => JSON.stringify(card.blocks).includes('<@UANN>'), 5_000, 'the card showing the assignee');
    expect(JSON.stringify(card.blocks)).not.toContain('case_claim');

    await click(card, 'UANN', { action_id: 'case_priority', type: 'static_select', selected_option: { value: `${kase.number}:1` } });
    await eventually(async () => (await getCase(kase.number)).priority === 1, 5_000, 'priority 1');

    await click(card, 'UANN', { action_id: 'case_resolve', type: 'button', value: kase.number });
    await eventually(async () => (await getCase(kase.number)).state === 'resolved', 5_000, 'resolved');
    await fake.waitFor(() => JSON.stringify(card.blocks).includes('case_reopen'), 5_000, 'the reopen button');

    await click(card, 'UANN', { action_id: 'case_reopen', type: 'button', value: kase.number });
    await eventually(async () => (await getCase(kase.number)).state === 'open', 5_000, 'reopened');
    await idle();
    // actions taken in Slack are not narrated back into the thread
    expect(fake.threadOf(card.channel, card.ts).filter((p) => p.text.includes('state →'))).toHaveLength(0);
  });

  it('moving to a queue in another channel moves the card, and replies in the new thread work', async () => {
    const { kase, card } = await mailCase('max@customer.test', 'Move me', 'Wrong queue.');
    const target = [...queueIds.keys()].find((q) => q !== kase.queue)!;
    await t.api('PATCH', `/api/v1/queues/${queueIds.get(target)}`, { slackChannel: 'CTARGET' });
    try {
      await click(card, 'UANN', { action_id: 'case_move', type: 'static_select', selected_option: { value: `${kase.number}:${target}` } });
      const moved = await fake.waitFor(() => fake.posts.find((p) => p.channel === 'CTARGET' && !p.threadTs && p.text.startsWith(kase.number)), 5_000, 'the new card');
      await fake.waitFor(() => card.text.includes('moved to'), 5_000, 'the old card saying where the case went');
      expect((await getCase(kase.number)).queue).toBe(target);
      await reply(moved, 'UANN', 'Answered from the new queue.');
      const out = (await getCase(kase.number)).interactions.filter((i: any) => i.direction === 'outbound');
      expect(out.map((i: any) => i.text)).toEqual(['Answered from the new queue.']);

      // a reply under the old card reaches nobody, and its author is told so
      await reply(card, 'UANN', 'Answered from the old card.', { parent_user_id: fake.bot.userId });
      await fake.waitFor(() => ephemeralsTo('UANN').some((c) => /no longer holds its case/.test(c.params.text)), 5_000, 'the notice');
      expect((await getCase(kase.number)).interactions.filter((i: any) => i.direction === 'outbound')).toHaveLength(1);
    } finally {
      await t.api('PATCH', `/api/v1/queues/${queueIds.get(target)}`, { slackChannel: null });
    }
  });

  it('a Slack user who is not an agent cannot press the buttons', async () => {
    const { kase, card } = await mailCase('ned@customer.test', 'Nope', 'Hi.');
    expect((await click(card, 'UNOBODY', { action_id: 'case_resolve', type: 'button', value: kase.number })).status).toBe(200);
    await fake.waitFor(() => ephemeralsTo('UNOBODY').some((c) => /not linked/.test(c.params.text)), 5_000, 'the refusal');
    expect((await getCase(kase.number)).state).toBe('new');
  });
});

describe('/case', () => {
  it('changes the case and answers privately', async () => {
    const { kase } = await mailCase('ola@customer.test', 'Command', 'Hi.');
    const r = await command('UANN', `${kase.number} priority 2`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ response_type: 'ephemeral', text: `${kase.number} priority set to 2.` });
    expect((await getCase(kase.number)).priority).toBe(2);
    const show = await command('UANN', kase.number);
    expect(show.json.text).toContain('P2 High');
  });

  it('claim is race-free: the second agent is told the case is taken, and it stays with the first', async () => {
    const { kase } = await mailCase('rae@customer.test', 'Claim race', 'Hi.');
    expect((await command('USUE', `${kase.number} claim`)).json.text).toBe(`${kase.number} is yours.`);
    expect((await command('UBOB', `${kase.number} claim`)).json.text).toMatch(new RegExp(`Could not claim ${kase.number}: .*already assigned`));
    expect((await getCase(kase.number)).assignee).toBe((await db().channelLink.findUnique({ where: { channel: 'slack', kind: 'agent', externalId: 'USUE' } }))!.targetId);
    const claims = (await getCase(kase.number)).interactions.filter((i: any) => i.kind === 'event' && /^claimed by/.test(i.text));
    expect(claims).toHaveLength(1);
  });

  it("shows a case with the customer's subject escaped: no pings, no disguised links", async () => {
    const { kase } = await mailCase('sam@customer.test', 'Hi <!channel> see <https://evil.test|your invoice>', 'Hi.');
    const text: string = (await command('UANN', kase.number)).json.text;
    expect(text).toContain(kase.number);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil.test');
  });

  it('checks the role: an agent cannot assign someone else, a supervisor can', async () => {
    const { kase, card } = await mailCase('pia@customer.test', 'Assign', 'Hi.');
    const denied = await command('UANN', `${kase.number} assign <@UBOB|bob>`);
    expect(denied.json.text).toMatch(/Could not assign .*only assign cases to themselves/);
    expect((await getCase(kase.number)).assignee).toBeNull();

    const ok = await command('USUE', `${kase.number} assign <@UBOB|bob>`);
    expect(ok.json.text).toBe(`${kase.number} assigned to <@UBOB>.`);
    await fake.waitFor(() => JSON.stringify(card.blocks).includes('<@UBOB>'), 5_000, 'the card showing Bob');
  });

  it('explains mistakes, unknown cases and unknown queues; refuses non-agents', async () => {
    expect((await command('UANN', 'help')).json.text).toMatch(/Usage/);
    expect((await command('UANN', 'CS0001001 dance')).json.text).toMatch(/Unknown action/);
    expect((await command('UANN', 'CS9999999 resolve')).json.text).toMatch(/Could not resolve CS9999999: no case/);
    const { kase } = await mailCase('quinn@customer.test', 'Queue', 'Hi.');
    expect((await command('UANN', `${kase.number} move Nowhere`)).json.text).toMatch(/no queue named "Nowhere"/);
    expect((await command('UNOBODY', `${kase.number} resolve`)).json.text).toMatch(/not linked/);
    expect((await getCase(kase.number)).state).toBe('new');
  });
});
