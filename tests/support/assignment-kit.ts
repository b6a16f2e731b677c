/**
 * What the assignment tests share: the real app on a clock the test moves, agents made through the API,
 * chat visitors whose first message opens a case, and a look at the case's offer.
 */
import { expect } from 'vitest';
import { ChatClient, eventually, startApp, type TestApp } from './test-app.ts';

export class ManualClock {
  private t = Date.parse('2024-05-14T10:00:00Z');
  now = () => new Date(this.t);
  advance(seconds: number): void {
    this.t += seconds * 1000;
  }
}

export type TestAgent = { id: string; token: string; name: string };

export interface AssignmentApp {
  t: TestApp;
  clock: ManualClock;
  agent(name: string, extra?: Record<string, unknown>, presence?: string): Promise<TestAgent>;
  setPresence(a: TestAgent, presence: string): Promise<void>;
  /** a chat visitor writes; resolves with the case number once the case exists */
  write(email: string, text?: string): Promise<string>;
  /** a chat visitor, connected, who has not written yet */
  chat(email: string): Promise<ChatClient>;
  /** the number of the contact's newest case, once it exists */
  caseOf(email: string): Promise<string>;
  /** chat visitors write at once; resolves with their case numbers once all exist */
  writeAll(emails: string[], text?: string): Promise<string[]>;
  getCase(number: string): Promise<any>;
  /** waits until the case is offered to `who` (an agent id, or null: to nobody) */
  offeredTo(number: string, who: string | null): Promise<unknown>;
  queueId(name: string): Promise<string>;
  /** runs an assignment pass now */
  pass(): Promise<unknown>;
  close(): Promise<void>;
}

export async function startAssignmentApp(env: Record<string, string> = {}, clock = new ManualClock()): Promise<AssignmentApp> {
  const t = await startApp(env, { clock });
  const chats: ChatClient[] = [];
  const kit: AssignmentApp = {
    t,
    clock,
    async agent(name, extra = {}, presence = 'online') {
      const res = await t.api('POST', '/api/v1/agents', { name, email: `${name.toLowerCase()}@support.test`, ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      if (presence !== 'offline') await kit.setPresence(res.body, presence);
      return res.body;
    },
    async setPresence(a, presence) {
      const res = await t.api('PUT', `/api/v1/agents/${a.id}/presence`, { presence }, a.token);
      expect(res.status).toBe(200);
    },
    async write(email, text = 'hello, a question') {
      return (await kit.writeAll([email], text))[0]!;
    },
    async chat(email) {
      const c = await ChatClient.open(t.url, { name: email.split('@')[0], email });
      chats.push(c);
      return c;
    },
    caseOf(email) {
      return eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(email)}`)).body.items[0]?.number as string | undefined, 15_000);
    },
    async writeAll(emails, text = 'hello, a question') {
      const opened = await Promise.all(emails.map((email) => kit.chat(email)));
      for (const c of opened) c.send({ type: 'message', text });
      return Promise.all(emails.map((email) => kit.caseOf(email)));
    },
    async getCase(number) {
      return (await t.api('GET', `/api/v1/cases/${number}`)).body;
    },
    offeredTo(number, who) {
      return eventually(async () => ((await kit.getCase(number)).offeredTo === who ? true : null), 5000, `offer of ${number} to ${who}`);
    },
    async queueId(name) {
      return (await t.api('GET', '/api/v1/queues')).body.items.find((q: any) => q.name === name).id;
    },
    pass() {
      return t.app.switchboard.assignment.runOnce();
    },
    async close() {
      await Promise.all(chats.splice(0).map((c) => c.close()));
      await t.close();
    },
  };
  return kit;
}
