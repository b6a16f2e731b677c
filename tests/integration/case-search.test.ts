/**
 * Searching cases finds a word of any message or note, of the subject, or of the contact's name, email or
 * phone (the last word as a prefix, as an agent types), on SQLite's FTS5 and PostgreSQL's full-text
 * indexes alike; nothing typed is read as query syntax.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAssignmentApp, type AssignmentApp } from '../support/assignment-kit.ts';
import { eventually } from '../support/test-app.ts';

let k: AssignmentApp;
afterEach(async () => {
  await k?.close();
});

const found = async (q: string) => {
  const res = await k.t.api('GET', `/api/v1/cases?q=${encodeURIComponent(q)}`);
  expect(res.status, q).toBe(200);
  return (res.body.items as { number: string }[]).map((c) => c.number).sort();
};

describe('case search', () => {
  it('finds words of messages, notes, answers, subjects and contacts; the last word as a prefix', async () => {
    k = await startAssignmentApp({ ASSIGNMENT_SWEEP_MS: '3600000' });
    const parcel = await k.write('zoe.zimmer@shop.test', 'My parcel never arrived, the tracking says délivered');
    const other = await k.write('max@elsewhere.test', 'How do I change my billing address?');
    await eventually(async () => (await found('parcel')).length === 1);

    expect(await found('parcel')).toEqual([parcel]);
    expect(await found('PARC')).toEqual([parcel]);
    expect(await found('tracking arrived')).toEqual([parcel]);
    // diacritics do not matter
    expect(await found('delivered')).toEqual([parcel]);
    expect(await found('billing')).toEqual([other]);
    // the contact: name and each part of the email
    expect(await found('zoe')).toEqual([parcel]);
    expect(await found('elsewhere')).toEqual([other]);
    expect(await found('test')).toEqual([other, parcel].sort());
    // every word must match somewhere in one text
    expect(await found('parcel billing')).toEqual([]);
    // the number still finds its case
    expect(await found(other)).toEqual([other]);

    // an agent's note and answer are searched too
    const note = await k.t.api('POST', `/api/v1/cases/${parcel}/replies`, { text: 'Courier confirms misdelivery', internal: true });
    expect(note.status).toBe(202);
    const lead = await k.agent('Lea', { role: 'supervisor' });
    expect((await k.t.api('POST', `/api/v1/cases/${other}/replies`, { text: 'Your invoice address is updated', takeover: true }, lead.token)).status).toBe(202);
    expect(await found('misdelivery')).toEqual([parcel]);
    expect(await found('invoice')).toEqual([other]);

    // query syntax is only words
    for (const q of ['"parcel" OR *', 'parcel*', 'NEAR(parcel tracking)', "parcel' --", 'tracking:says', '%', '(((']) expect((await k.t.api('GET', `/api/v1/cases?q=${encodeURIComponent(q)}`)).status, q).toBe(200);
    expect(await found('"parcel" OR billing')).toEqual([]);
    expect(await found('%%')).toEqual([]);
  });

  it('splits addresses, paths and numbers as both engines do, and keeps the marks of scripts that write with them', async () => {
    k = await startAssignmentApp({ ASSIGNMENT_SWEEP_MS: '3600000' });
    const links = await k.write('links@c.test', 'see https://shop.test/orders/987 or write to bob.smith@mail.example');
    const hindi = await k.write('hindi@c.test', 'मेरा पार्सल नहीं आया');
    await eventually(async () => (await found('orders')).length === 1);
    expect(await found('orders 987')).toEqual([links]);
    expect(await found('bob.smith@mail.example')).toEqual([links]);
    expect(await found('smith')).toEqual([links]);
    expect(await found('पार्सल')).toEqual([hindi]);
    // a letter that loses its accent to punctuation is no query syntax
    expect((await k.t.api('GET', `/api/v1/cases?q=${encodeURIComponent('donʼt ǃ')}`)).status).toBe(200);
  });
});
