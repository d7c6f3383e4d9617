// Custody over time, kept in memory for the dashboard chart and the holder pages: read once from the log
// (custody events only), then topped up from the last seq it saw on each use, so a render never rereads
// the history. Days are the kiosk's local days of recorded_at (its own clock, which only moves forward).
import type { Appliance } from '../appliance.ts';
import type { Json } from '../domain/types.ts';
import { eventText } from './event-text.ts';

const TYPES = ['AssetRegistered', 'AssetIssued', 'AssetReturned', 'AssetRetired', 'EventCorrected'];
const PER_HOLDER = 50;

type AssetState = 'in_storage' | 'issued' | 'retired';

export interface CustodyLine {
  seq: number;
  at: string;
  text: string;
}

export const localDay = (iso: string): string => new Date(iso).toLocaleDateString('en-CA');

export class CustodyLog {
  private readonly app: Appliance;
  private seq = 0;
  private readonly states = new Map<string, AssetState>();
  private issued = 0;
  private inStorage = 0;
  /** day (YYYY-MM-DD) → counts at the end of that day, in day order */
  private readonly days = new Map<string, { issued: number; inStorage: number }>();
  private readonly holders = new Map<string, CustodyLine[]>();

  constructor(app: Appliance) {
    this.app = app;
  }

  private catchUp(): void {
    const head = this.app.store.head().seq;
    if (head <= this.seq) return;
    const rows = this.app.store.db.prepare(
      `SELECT seq, type, subject, data, actor, recorded_at FROM events WHERE seq > ? AND seq <= ? AND type IN (${TYPES.map(() => '?').join(', ')}) ORDER BY seq`,
    ).all(this.seq, head, ...TYPES) as { seq: number; type: string; subject: string; data: string; actor: string; recorded_at: string }[];
    const state = this.app.state();
    for (const row of rows) {
      const data = JSON.parse(row.data) as Record<string, Json>;
      this.apply(row.type, row.subject, data);
      this.days.set(localDay(row.recorded_at), { issued: this.issued, inStorage: this.inStorage });
      const holderId = typeof data.holder_id === 'string' ? data.holder_id : null;
      if (holderId && (row.type === 'AssetIssued' || row.type === 'AssetReturned')) {
        const lines = this.holders.get(holderId) ?? [];
        lines.push({ seq: row.seq, at: row.recorded_at, text: eventText(state, { ...row, data }) });
        if (lines.length > PER_HOLDER) lines.shift();
        this.holders.set(holderId, lines);
      }
    }
    this.seq = head;
  }

  private apply(type: string, tag: string, data: Record<string, Json>): void {
    const next: AssetState | undefined = type === 'AssetRegistered' ? 'in_storage' : type === 'AssetIssued' ? 'issued'
      : type === 'AssetReturned' ? 'in_storage' : type === 'AssetRetired' ? 'retired'
      : data.entity === 'asset' && typeof (data.restore as Record<string, Json> | undefined)?.state === 'string'
        ? (data.restore as Record<string, Json>).state as AssetState : undefined;
    if (!next) return;
    const before = this.states.get(tag);
    if (before === 'issued') this.issued -= 1;
    if (before === 'in_storage') this.inStorage -= 1;
    if (next === 'issued') this.issued += 1;
    if (next === 'in_storage') this.inStorage += 1;
    this.states.set(tag, next);
  }

  /** Issued and in-storage counts at the end of each of the last `n` days, oldest first. */
  series(n: number, now: Date): { day: string; issued: number; inStorage: number }[] {
    this.catchUp();
    const wanted: string[] = [];
    for (let i = n - 1; i >= 0; i--) wanted.push(localDay(new Date(now.getTime() - i * 86_400_000).toISOString()));
    let carry = { issued: 0, inStorage: 0 };
    for (const [day, counts] of this.days) {
      if (day >= wanted[0]!) break;
      carry = counts;
    }
    return wanted.map((day) => {
      carry = this.days.get(day) ?? carry;
      return { day, ...carry };
    });
  }

  /** The holder's latest custody changes, newest first. */
  ofHolder(holderId: string): CustodyLine[] {
    this.catchUp();
    return [...(this.holders.get(holderId) ?? [])].reverse();
  }
}
