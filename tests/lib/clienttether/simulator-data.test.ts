import { afterAll, describe, expect, it } from 'vitest';
import {
  type ClientTetherSimulator,
  type SimulatorOptions,
  startClientTetherSimulator,
} from '../../../src/lib/clienttether/simulator';

const TOKEN = 'sim-token-data-61d0';
const A = 'CT_a0000000000000000000000000000001';
const B = 'CT_b0000000000000000000000000000002';
const C = 'CT_c0000000000000000000000000000003';
const NOW = new Date('2026-02-10T15:00:00Z');
const NOW_LOCAL = '2026-02-10 10:00:00';
const DAY = 86_400_000;

const running: ClientTetherSimulator[] = [];
async function start(options: Partial<SimulatorOptions> & Pick<SimulatorOptions, 'tenants'>) {
  const sim = await startClientTetherSimulator({ accessToken: TOKEN, now: () => NOW, ...options });
  running.push(sim);
  return sim;
}
afterAll(() => Promise.all(running.map((s) => s.stop())));

async function total(sim: ClientTetherSimulator, webKey: string, endpoint = 'read_client_list') {
  const response = await fetch(sim.url + endpoint, {
    headers: { 'X-Access-Token': TOKEN, 'X-Web-Key': webKey },
  });
  return (await response.json()).TotalRecord as number;
}

describe('generated data', () => {
  it('is identical for the same seed and different for another seed', async () => {
    const sim = await start({
      tenants: [
        { webKey: A, seed: 5 },
        { webKey: B, seed: 5 },
        { webKey: C, seed: 6 },
      ],
    });
    expect(sim.dataset(A)).toEqual(sim.dataset(B));
    const [a, c] = [sim.dataset(A), sim.dataset(C)];
    expect(c.clients.map((x) => x.client_id)).not.toEqual(a.clients.map((x) => x.client_id));
    expect(c.clients.map((x) => x.email)).not.toEqual(a.clients.map((x) => x.email));
  });

  it('uses the default volumes: 300 clients, about 120 opportunities', async () => {
    const sim = await start({ tenants: [{ webKey: A, seed: 1 }] });
    const data = sim.dataset(A);
    expect(data.clients).toHaveLength(300);
    expect(data.opportunities).toHaveLength(120);
    expect(await total(sim, A, 'read_opportunity_list')).toBe(120);
  });

  it('looks like a franchise-development pipeline', async () => {
    const sim = await start({
      tenants: [{ webKey: A, seed: 3, clients: 3000, opportunities: 1200 }],
    });
    const data = sim.dataset(A);
    const order = new Map(
      data.salesCycles.map((s) => [s.sales_cycle_name, Number(s.sales_cycle_order)]),
    );
    const stageOf = (c: Record<string, string>) =>
      order.get(c.clients_sales_cycle || 'New Lead') ?? 0;
    const early = data.clients.filter((c) => stageOf(c) <= 7).length;
    const late = data.clients.filter(
      (c) => stageOf(c) >= 14 && c.clients_sales_cycle !== 'Future Interest',
    );
    expect(early / data.clients.length).toBeGreaterThan(0.6);
    expect(late.length).toBeGreaterThan(10);
    expect(
      data.clients.some((c) => c.firstName === 'No Name Text Added' && c.lastName === ''),
    ).toBe(true);
    expect(data.users.length).toBeGreaterThanOrEqual(3);
    expect(data.users.length).toBeLessThanOrEqual(6);
    const sources = new Set(data.leadSources.map((s) => s.lead_source_name));
    expect(data.clients.every((c) => sources.has(c.clients_lead_source as string))).toBe(true);
    expect(data.clients.filter((c) => c.contact_type === '1').length / 3000).toBeGreaterThan(0.8);

    const oldest = new Date(NOW.getTime() - 181 * DAY).toISOString().slice(0, 10);
    for (const c of data.clients) {
      const created = c.created ?? '';
      expect(created >= oldest && created <= NOW_LOCAL).toBe(true);
    }
    // CT's ids ascend with creation time.
    const created = data.clients.map((c) => c.created);
    expect(created).toEqual([...created].sort());
  });

  it('keeps each client’s deal_size equal to the sum of its opportunities', async () => {
    const sim = await start({
      tenants: [{ webKey: A, seed: 4, clients: 400, opportunities: 200 }],
    });
    const data = sim.dataset(A);
    const sums = new Map<string, number>();
    for (const o of data.opportunities)
      sums.set(o.client_id as string, (sums.get(o.client_id as string) ?? 0) + Number(o.deal_size));
    expect(sums.size).toBeLessThan(200); // some clients hold more than one opportunity
    for (const c of data.clients) {
      expect(c.deal_size).toBe(
        sums.has(c.client_id as string) ? String(sums.get(c.client_id as string)) : '',
      );
    }
  });
});

describe('evolve', () => {
  it('adds leads, moves stages and updates the API, the same way for the same seed', async () => {
    const sim = await start({
      tenants: [
        { webKey: A, seed: 8 },
        { webKey: B, seed: 8 },
      ],
    });
    const before = sim.dataset(A);
    sim.evolve(A, 5);
    sim.evolve(B, 5);
    const after = sim.dataset(A);
    expect(after).toEqual(sim.dataset(B));

    const oldIds = new Set(before.clients.map((c) => c.client_id));
    const added = after.clients.filter((c) => !oldIds.has(c.client_id));
    expect(added.length).toBeGreaterThanOrEqual(5);
    for (const c of added)
      expect([c.created, c.last_modified_date]).toEqual([NOW_LOCAL, NOW_LOCAL]);
    const beforeById = new Map(before.clients.map((c) => [c.client_id, c]));
    const moved = after.clients.filter(
      (c) =>
        beforeById.has(c.client_id) &&
        beforeById.get(c.client_id)?.clients_sales_cycle !== c.clients_sales_cycle,
    );
    expect(moved.length).toBeGreaterThan(0);
    for (const c of moved) expect(c.last_modified_date).toBe(NOW_LOCAL);
    expect(after.notes.length).toBeGreaterThan(before.notes.length);
    expect(await total(sim, A)).toBe(after.clients.length);
  });

  it('deletes a client with its opportunities now and then, and leaves other tenants alone', async () => {
    const sim = await start({
      tenants: [
        { webKey: A, seed: 9 },
        { webKey: B, seed: 10 },
      ],
    });
    const before = sim.dataset(A);
    const other = sim.dataset(B);
    sim.evolve(A, 40);
    const after = sim.dataset(A);
    const remaining = new Set(after.clients.map((c) => c.client_id));
    const deleted = before.clients.filter((c) => !remaining.has(c.client_id));
    expect(deleted.length).toBeGreaterThan(0);
    expect(after.opportunities.every((o) => remaining.has(o.client_id))).toBe(true);
    expect(
      after.opportunities.some((o, i) => o.deal_size !== before.opportunities[i]?.deal_size),
    ).toBe(true);
    expect(sim.dataset(B)).toEqual(other);
  });

  it('evolves every tenant on a timer when evolveEveryMs is set', async () => {
    const sim = await start({ tenants: [{ webKey: A, seed: 2, clients: 50 }], evolveEveryMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await total(sim, A)).toBeGreaterThan(50);
  });
});

describe('scale', () => {
  it('generates 50,000 clients and 20,000 opportunities in under 10 s and serves a page in under 100 ms', async () => {
    const started = performance.now();
    const sim = await start({
      tenants: [{ webKey: A, seed: 77, clients: 50_000, opportunities: 20_000 }],
    });
    const generatedMs = performance.now() - started;
    expect(generatedMs).toBeLessThan(10_000);
    await total(sim, A, 'read_user_list'); // opens the connection
    for (const endpoint of [
      'read_client_list?offset=49900',
      'read_opportunity_list?offset=19950',
    ]) {
      const t0 = performance.now();
      const response = await fetch(sim.url + endpoint, {
        headers: { 'X-Access-Token': TOKEN, 'X-Web-Key': A },
      });
      const body = await response.json();
      expect(performance.now() - t0).toBeLessThan(100);
      expect(body.data.length).toBeGreaterThan(0);
    }
    expect(sim.dataset(A).clients).toHaveLength(50_000);
  });
});
