import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads answers by shape, checked by its assertions
type Json = any;

/** A minimal HTTP client for a service started as its own process. */
export class ServiceClient {
  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : undefined };
  }

  async json(path: string): Promise<Json> {
    const { status, body } = await this.request('GET', path);
    expect({ path, status }).toEqual({ path, status: 200 });
    return body;
  }

  /** Every stored event, page by page. */
  async allEvents(): Promise<{ type: string; position: number; data: Record<string, unknown> }[]> {
    const events: { type: string; position: number; data: Record<string, unknown> }[] = [];
    let after = 0;
    for (;;) {
      const page = await this.json(`/api/events?after=${after}&limit=500`);
      events.push(...page.items);
      if (!page.nextCursor) return events;
      after = Number(page.nextCursor);
    }
  }

  /** Resolves once every projection has applied the whole log and none is rebuilding. */
  async projectionsCaughtUp(): Promise<void> {
    for (;;) {
      const { items: states } = (await this.json('/api/projections')) as { items: { name: string; lag: number; status: string }[] };
      if (states.every((state) => state.lag === 0 && state.status === 'live')) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Each read model's checksum, by name. */
  async checksums(): Promise<Record<string, string>> {
    const { items: states } = (await this.json('/api/projections')) as { items: { name: string }[] };
    const sums: Record<string, string> = {};
    for (const { name } of states) sums[name] = ((await this.json(`/api/projections/${name}/checksum`)) as { checksum: string }).checksum;
    return sums;
  }

  async openBriefing(heldOn = '2024-02-01'): Promise<string> {
    const briefingId = randomUUID();
    const { status } = await this.request('POST', '/api/briefings', {
      briefingId,
      heldOn,
      location: 'Islamabad',
      organization: 'Ministry of Foreign Affairs of Pakistan',
      spokesperson: { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch' },
    });
    expect(status).toBe(201);
    return briefingId;
  }
}
