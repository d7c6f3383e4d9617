// Server-Sent Events: a page's stream first replays what it missed since its render, then pushes each new
// event as it is recorded — through this server, or by another process on the same store.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appliance } from '../../../appliance/appliance.ts';
import { loadConfig } from '../../../appliance/config.ts';
import { listen } from '../../../appliance/http/server.ts';
import { seedDemo } from '../../../appliance/seed-demo.ts';
import { openCage, type Cage } from '../../support/cage.ts';

let cage: Cage;
let server: Server;
let base: string;

beforeAll(async () => {
  cage = openCage({ seed: false });
  seedDemo(cage.app);
  server = await listen(cage.app, '127.0.0.1', 0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  cage.close();
});

/** Reads SSE messages from a stream until `until` is satisfied (device statuses only when asked for). */
async function readEvents(after: number, until: (messages: { event: string; data: any }[]) => boolean, act: () => Promise<void>, withDevices = false) {
  const controller = new AbortController();
  const res = await fetch(`${base}/kiosk/events?after=${after}`, { signal: controller.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const messages: { event: string; data: any }[] = [];
  let buffer = '';
  await act();
  const deadline = Date.now() + 5000;
  while (!until(messages) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data && (withDevices || event !== 'devices')) messages.push({ event, data: JSON.parse(data) });
    }
  }
  controller.abort();
  return messages;
}

describe('live events over SSE', () => {
  it('first sends the device statuses, so a page rendered before a device changed is up to date', async () => {
    const messages = await readEvents(cage.app.store.head().seq, (m) => m.length > 0, async () => {}, true);
    expect(messages[0]).toMatchObject({ event: 'devices', data: { statuses: [], lines: expect.arrayContaining([expect.objectContaining({ name: 'Clock' })]) } });
  });

  it('pushes a scan injected through the API as it is recorded, with a sentence', async () => {
    const head = cage.app.store.head().seq;
    const messages = await readEvents(head, (m) => m.some((x) => x.event === 'recorded'), async () => {
      const res = await fetch(`${base}/api/commands/scan`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'sse-scan-1' },
        body: JSON.stringify({ text: 'LT-00005\r\n', source: 'hid', device: 'scanner-1' }),
      });
      expect(res.status).toBe(200);
    });
    expect(messages[0]).toMatchObject({
      event: 'recorded',
      data: { seq: head + 1, type: 'ScanCaptured', kind: 'scan', text: 'Scanned asset LT-00005 on hid.', scan: { kind: 'asset', ref: 'LT-00005', source: 'hid', device: 'scanner-1' } },
    });
  });

  it('replays what a page missed since its render, and sends fresh counts after custody changes', async () => {
    const head = cage.app.store.head().seq;
    const oscar = cage.app.operatorByBadge('OPR-1001');
    cage.ok({ type: 'Issue', tags: ['LT-00010'], holder: 'EMP-0105' }, oscar);
    const messages = await readEvents(head, (m) => m.some((x) => x.event === 'counts'), async () => {});
    expect(messages.map((m) => m.event)).toEqual(['recorded', 'counts']);
    expect(messages[0]!.data).toMatchObject({ type: 'AssetIssued', text: 'Oscar Operator issued LT-00010 to Farid Haddad.' });
    expect(messages[1]!.data).toEqual({ in_storage: 31, issued: 9, missing: 1, overdue: 0 });
  });

  it('delivers events another process recorded (the CLI beside the kiosk)', async () => {
    const head = cage.app.store.head().seq;
    const other = Appliance.open(loadConfig({ ASSETTRACK_DATA_DIR: cage.dir }));
    try {
      const messages = await readEvents(head, (m) => m.some((x) => x.event === 'recorded'), async () => {
        const outcome = other.execute({ type: 'RecordUiAction', screen: 'console', action: 'test', target: '' }, { actor: { kind: 'console' }, source: 'console' }, () => null);
        expect(outcome.ok).toBe(true);
      });
      expect(messages[0]!.data).toMatchObject({ seq: head + 1, type: 'UiAction', source: 'console' });
    } finally {
      other.close();
    }
  });
});
