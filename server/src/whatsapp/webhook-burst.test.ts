import { afterAll, describe, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import { whatsappMessages, whatsappWebhookEvents } from '../db/schema/index.js';
import { asUrgent } from '../db/transactions.js';
import { signUp, startTestApp } from '../test/harness.js';
import { FakeGraph } from './fake-graph.js';
import { connect, deliver, payload, settle } from './test-helpers.js';

// Deliveries that arrive together are stored by one transaction (group commit, ingest.ts) and
// applied in batches (webhook-job.ts); these tests send them together, as Meta does under load.
const graph = await FakeGraph.start();
afterAll(() => graph.close());
const t = await startTestApp(graph.env);
const db = t.database.db;

const inbound = (id: string, text: string, from: string) =>
  payload('webhook-inbound-text.json', (b) => {
    const value = b.entry[0].changes[0].value;
    Object.assign(value.messages[0], { id, from, text: { body: text } });
    value.contacts[0].wa_id = from;
  });
const sender = (i: number) => `9665010000${String(i % 7).padStart(2, '0')}`;

async function connectedOwner() {
  const owner = await signUp(t);
  await connect(owner);
  return owner;
}
const inboundIds = async (tenantId: string) =>
  (
    await db
      .select({ id: whatsappMessages.waMessageId })
      .from(whatsappMessages)
      .where(and(eq(whatsappMessages.tenantId, tenantId), eq(whatsappMessages.direction, 'IN')))
  )
    .map((m) => m.id)
    .sort();
const storedDeliveries = (tenantId: string) => db.select().from(whatsappWebhookEvents).where(eq(whatsappWebhookEvents.tenantId, tenantId));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('deliveries arriving together', () => {
  it('are each acknowledged once stored, a badly signed one among them refused, and every message applied once', async () => {
    const owner = await connectedOwner();
    const bodies = range(40).map((i) => inbound(`wamid.BURST${i}`, `Burst ${i}`, sender(i)));
    const forged = inbound('wamid.FORGED', 'Forged', sender(0));
    const answers = await Promise.all([
      ...bodies.map((body) => deliver(t, owner.tenantId, body)),
      deliver(t, owner.tenantId, forged, { secret: 'not_the_app_secret' }),
      // Meta's redeliveries of some of them, in the same burst.
      ...bodies.slice(0, 5).map((body) => deliver(t, owner.tenantId, body)),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([...range(40).map(() => 200), 401, ...range(5).map(() => 200)]);
    // Acknowledged means stored: every row is there the moment the answers are in.
    const stored = await storedDeliveries(owner.tenantId);
    expect(stored).toHaveLength(45);
    expect(stored.some((d) => d.body === forged)).toBe(false);

    await settle(t, owner.tenantId);
    expect(await inboundIds(owner.tenantId)).toEqual(
      range(40)
        .map((i) => `wamid.BURST${i}`)
        .sort(),
    );
    expect((await storedDeliveries(owner.tenantId)).every((d) => d.processedAt !== null && d.note === null)).toBe(true);
  });

  it('a delivery the database cannot store fails alone; the others arriving with it are stored and applied', async () => {
    const owner = await connectedOwner();
    const bodies = range(12).map((i) => inbound(`wamid.GROUP${i}`, `Group ${i}`, sender(i)));
    // PostgreSQL text cannot hold a NUL character: this body is signed but refused by the database.
    const unstorable = inbound('wamid.NUL', 'Nul', sender(1)).replace('"Nul"', '"N\u0000ul"');
    const answers = await Promise.all([
      ...bodies.slice(0, 6).map((body) => deliver(t, owner.tenantId, body)),
      deliver(t, owner.tenantId, unstorable),
      ...bodies.slice(6).map((body) => deliver(t, owner.tenantId, body)),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([...range(6).map(() => 200), 400, ...range(6).map(() => 200)]);
    await settle(t, owner.tenantId);
    expect(await inboundIds(owner.tenantId)).toEqual(
      range(12)
        .map((i) => `wamid.GROUP${i}`)
        .sort(),
    );
  });

  it('a delivery whose applying fails is noted with the error; the rest of its batch is applied once', async () => {
    const owner = await connectedOwner();
    // Stored as sent (the escape is six characters), but the message's text holds a NUL the database refuses.
    const failing = inbound('wamid.APPLYFAIL', 'Bad', sender(2)).replace('"Bad"', '"B\\u0000ad"');
    const bodies = range(10).map((i) => inbound(`wamid.BATCH${i}`, `Batch ${i}`, sender(i)));
    const answers = await Promise.all([...bodies.slice(0, 5), failing, ...bodies.slice(5)].map((body) => deliver(t, owner.tenantId, body)));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    await settle(t, owner.tenantId);
    expect(await inboundIds(owner.tenantId)).toEqual(
      range(10)
        .map((i) => `wamid.BATCH${i}`)
        .sort(),
    );
    const notes = (await storedDeliveries(owner.tenantId)).map((d) => d.note).filter((n) => n !== null);
    expect(notes).toEqual([expect.stringMatching(/^could not be applied: /)]);
  });

  it('while deliveries keep arriving are applied ten at a time, oldest first, so that storing them keeps the process’s time', async () => {
    const owner = await connectedOwner();
    let burstOver!: () => void;
    // Stands for more deliveries being stored throughout: urgent work this process's jobs give way to.
    const burst = asUrgent(db, () => new Promise<void>((resolve) => (burstOver = resolve)));
    const bodies = range(25).map((i) => inbound(`wamid.KEEP${i}`, `Keep ${i}`, sender(0)));
    const answers = await Promise.all(bodies.map((body) => deliver(t, owner.tenantId, body)));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    await settle(t, owner.tenantId);
    burstOver();
    await burst;
    // In arrival order, each delivery's applying transaction, known by its time (now() is one time per transaction).
    const applied = await db
      .select({ at: sql<string>`${whatsappWebhookEvents.processedAt}::text` })
      .from(whatsappWebhookEvents)
      .where(eq(whatsappWebhookEvents.tenantId, owner.tenantId))
      .orderBy(asc(whatsappWebhookEvents.receivedAt));
    const runs: number[] = [];
    applied.forEach((d, i) => (i > 0 && d.at === applied[i - 1].at ? runs[runs.length - 1]++ : runs.push(1)));
    expect(runs).toEqual([10, 10, 5]);
    expect(await inboundIds(owner.tenantId)).toEqual(
      range(25)
        .map((i) => `wamid.KEEP${i}`)
        .sort(),
    );
  });

  it('never leave a delivery without a job to apply it, however they interleave with the job finishing', async () => {
    const owner = await connectedOwner();
    const sent: Promise<{ statusCode: number }>[] = [];
    for (const round of range(12)) {
      for (const i of range(1 + (round % 4)))
        sent.push(deliver(t, owner.tenantId, inbound(`wamid.R${round}-${i}`, `Round ${round}`, sender(i))));
      // Pauses of 0 to 55 ms land the next burst before, during and after the job's last look for deliveries.
      await new Promise((resolve) => setTimeout(resolve, (round * 5) % 60));
    }
    expect((await Promise.all(sent)).every((a) => a.statusCode === 200)).toBe(true);
    // settle waits for no pending delivery and no job: a delivery left without a job would keep it waiting until it fails.
    await settle(t, owner.tenantId);
    const expected = range(12).flatMap((round) => range(1 + (round % 4)).map((i) => `wamid.R${round}-${i}`));
    expect(await inboundIds(owner.tenantId)).toEqual(expected.sort());
  });
});
