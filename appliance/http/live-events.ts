// Server-Sent Events: every recorded event, as a sentence, to every open kiosk page. A write through this
// server pokes the hub at once; a slow poll of the chain head catches events other processes recorded
// (the CLI beside the kiosk). A page connects with the seq it was rendered from and first gets what it missed.
import type { Request, Response } from 'express';
import type { Appliance } from '../appliance.ts';
import type { RecordedEvent } from '../domain/types.ts';
import type { LiveEvent } from '../../ui/view-types.ts';
import { eventKind, eventText } from './event-text.ts';
import type { KioskConfig } from './kiosk-config.ts';
import { counts, deviceLines } from './screen-data.ts';
import type { DeviceHub } from '../intake/device-hub.ts';

const POLL_MS = 1000;
const KEEPALIVE_MS = 20_000;
/** A page that was away longer than this reloads instead of replaying a backlog. */
const MAX_BACKLOG = 200;

interface Client {
  res: Response;
  after: number;
}

export class LiveEvents {
  private readonly clients = new Set<Client>();
  private readonly app: Appliance;
  private readonly config: KioskConfig;
  private lastSeq: number;
  private scheduled = false;
  private readonly poll: NodeJS.Timeout;
  private readonly keepalive: NodeJS.Timeout;

  private readonly unsubscribe: (() => void)[];
  private readonly devices: DeviceHub;

  constructor(app: Appliance, config: KioskConfig, devices: DeviceHub) {
    this.app = app;
    this.config = config;
    this.devices = devices;
    // A device's scan reaches open pages at once; a device's status (docked, uploading 812 scans…) too.
    this.unsubscribe = [
      devices.onRecorded(() => this.poke()),
      devices.onChange(() => {
        for (const c of this.clients) this.sendDevices(c);
      }),
    ];
    this.lastSeq = app.store.head().seq;
    this.poll = setInterval(() => this.poke(), POLL_MS).unref();
    this.keepalive = setInterval(() => {
      for (const c of this.clients) c.res.write(': keepalive\n\n');
    }, KEEPALIVE_MS).unref();
  }

  /** Something may have been recorded: push it soon (coalesced, after the current response is on its way). */
  poke(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    clearInterval(this.poll);
    clearInterval(this.keepalive);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  /** GET /kiosk/events?after=SEQ (or Last-Event-ID on a reconnect). */
  connect(req: Request, res: Response): void {
    const after = Number(req.get('last-event-id') ?? req.query.after ?? this.lastSeq);
    res.status(200).set({ 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.flushHeaders();
    res.write('retry: 1000\n\n');
    const client: Client = { res, after: Number.isInteger(after) && after >= 0 ? after : this.lastSeq };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    // A device may have changed between the page's render and this connection.
    this.sendDevices(client);
    const head = this.app.store.head().seq;
    if (head - client.after > MAX_BACKLOG) {
      this.send(client, 'reload', { seq: head });
      client.after = head;
    } else if (head > client.after) {
      this.deliver([...this.app.store.readEvents(client.after + 1, head)], [client]);
    }
  }

  private flush(): void {
    let head: number;
    try {
      head = this.app.store.head().seq;
    } catch {
      return; // the store was closed under us (shutdown)
    }
    if (head <= this.lastSeq) return;
    const from = this.lastSeq + 1;
    this.lastSeq = head;
    if (this.clients.size === 0) return;
    this.deliver([...this.app.store.readEvents(from, head)], [...this.clients]);
  }

  private deliver(events: RecordedEvent[], clients: Client[]): void {
    const state = this.app.state();
    const live = events.map((e) => toLive(state, e));
    const changed = events.some((e) => e.type !== 'UiAction' && e.type !== 'ScanCaptured');
    const snapshot = changed ? counts(this.app, this.config) : null;
    for (const client of clients) {
      const fresh = live.filter((e) => e.seq > client.after);
      if (fresh.length === 0) continue;
      for (const e of fresh) this.send(client, 'recorded', e, e.seq);
      if (snapshot) this.send(client, 'counts', snapshot);
      client.after = fresh.at(-1)!.seq;
    }
  }

  private sendDevices(client: Client): void {
    this.send(client, 'devices', { lines: deviceLines(this.app, this.devices), statuses: this.devices.list() });
  }

  private send(client: Client, name: string, data: unknown, id?: number): void {
    client.res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}

function toLive(state: Parameters<typeof eventText>[0], e: RecordedEvent): LiveEvent {
  const scan = e.type === 'ScanCaptured'
    ? { kind: String(e.data.kind), ref: (e.data.ref as string | null) ?? null, value: String(e.data.value), source: String(e.data.source), device: String(e.data.device), duplicate: e.data.duplicate === true, reason: String(e.data.reason ?? '') }
    : null;
  return { seq: e.seq, type: e.type, subject: e.subject, at: e.occurred_at, text: eventText(state, e), kind: eventKind(e.type), source: e.source, scan };
}
