// Projections: the cage state written as tables. One description per table says how a state entity
// becomes a row and back; the incremental writer, the loader and `rebuild --check` all use it.
import type Database from 'better-sqlite3';
import { initialState } from '../domain/state.ts';
import { tagKey } from '../domain/tags.ts';
import type { CageState } from '../domain/types.ts';

type Cell = string | number | null;
type Row = Record<string, Cell>;

interface Projection {
  table: string;
  pk: string;
  columns: string[];
  /** the row for one key of state, or null when the entity is gone */
  row(state: CageState, key: string): Row | null;
  keys(state: CageState): Iterable<string>;
  load(state: CageState, row: Row): void;
}

const s = (v: Cell | undefined): string => String(v ?? '');
const sn = (v: Cell | undefined): string | null => (v === null || v === undefined ? null : String(v));

const PROJECTIONS: Record<string, Projection> = {
  asset: {
    table: 'assets', pk: 'tag_key',
    columns: ['tag_key', 'tag', 'serial', 'type', 'make', 'model', 'notes', 'state', 'missing', 'condition', 'holder_id', 'since', 'home', 'slot', 'last_seen_at', 'last_change_seq', 'due'],
    keys: (st) => st.assets.keys(),
    row(st, key) {
      const a = st.assets.get(key);
      return a ? {
        tag_key: a.key, tag: a.tag, serial: a.serial, type: a.type, make: a.make, model: a.model, notes: a.notes, state: a.state,
        missing: a.missing ? 1 : 0, condition: a.condition, holder_id: a.holderId, since: a.since, home: a.home, slot: a.slot,
        last_seen_at: a.lastSeenAt, last_change_seq: a.lastChangeSeq, due: a.due,
      } : null;
    },
    load(st, r) {
      const key = s(r.tag_key);
      st.assets.set(key, {
        key, tag: s(r.tag), serial: s(r.serial), type: s(r.type), make: s(r.make), model: s(r.model), notes: s(r.notes),
        state: s(r.state) as never, missing: r.missing === 1, condition: s(r.condition) as never, holderId: sn(r.holder_id),
        since: s(r.since), home: sn(r.home), slot: sn(r.slot), lastSeenAt: sn(r.last_seen_at), lastChangeSeq: Number(r.last_change_seq),
        due: sn(r.due),
      });
      st.barcodes.set(key, { kind: 'asset', ref: key });
      if (r.serial) st.serials.set(tagKey(s(r.serial)), key);
    },
  },
  holder: {
    table: 'holders', pk: 'id', columns: ['id', 'name', 'badge', 'org', 'kind', 'active'],
    keys: (st) => st.holders.keys(),
    row(st, id) {
      const h = st.holders.get(id);
      return h ? { id: h.id, name: h.name, badge: h.badge, org: h.org, kind: h.kind, active: h.active ? 1 : 0 } : null;
    },
    load(st, r) {
      const id = s(r.id);
      st.holders.set(id, { id, name: s(r.name), badge: sn(r.badge), org: s(r.org), kind: s(r.kind) as never, active: r.active === 1 });
      if (r.badge) st.barcodes.set(tagKey(s(r.badge)), { kind: 'holder', ref: id });
    },
  },
  operator: {
    table: 'operators', pk: 'id', columns: ['id', 'name', 'badge', 'role', 'active'],
    keys: (st) => st.operators.keys(),
    row(st, id) {
      const o = st.operators.get(id);
      return o ? { id: o.id, name: o.name, badge: o.badge, role: o.role, active: o.active ? 1 : 0 } : null;
    },
    load(st, r) {
      const id = s(r.id);
      st.operators.set(id, { id, name: s(r.name), badge: s(r.badge), role: s(r.role) as never, active: r.active === 1 });
      st.barcodes.set(tagKey(s(r.badge)), { kind: 'operator', ref: id });
    },
  },
  case: {
    table: 'cases', pk: 'label_key', columns: ['label_key', 'label', 'slots', 'last_swept_at'],
    keys: (st) => st.cases.keys(),
    row(st, key) {
      const c = st.cases.get(key);
      return c ? { label_key: c.key, label: c.label, slots: c.slots, last_swept_at: c.lastSweptAt } : null;
    },
    load(st, r) {
      const key = s(r.label_key);
      st.cases.set(key, { key, label: s(r.label), slots: Number(r.slots), lastSweptAt: sn(r.last_swept_at) });
      st.barcodes.set(key, { kind: 'case', ref: key });
    },
  },
  slot: {
    table: 'slot_occupancy', pk: 'slot_key', columns: ['slot_key', 'asset_key'],
    keys: (st) => st.slots.keys(),
    row: (st, key) => (st.slots.has(key) ? { slot_key: key, asset_key: st.slots.get(key)! } : null),
    load: (st, r) => void st.slots.set(s(r.slot_key), s(r.asset_key)),
  },
  scan: {
    table: 'scan_memory', pk: 'source_key', columns: ['source_key', 'value', 'at'],
    keys: (st) => st.lastScans.keys(),
    row(st, key) {
      const m = st.lastScans.get(key);
      return m ? { source_key: key, value: m.value, at: m.at } : null;
    },
    load: (st, r) => void st.lastScans.set(s(r.source_key), { value: s(r.value), at: s(r.at) }),
  },
  cradleRecord: {
    table: 'cradle_records', pk: 'record_key', columns: ['record_key', 'seq'],
    keys: (st) => st.cradleRecords.keys(),
    row: (st, key) => (st.cradleRecords.has(key) ? { record_key: key, seq: st.cradleRecords.get(key)! } : null),
    load: (st, r) => void st.cradleRecords.set(s(r.record_key), Number(r.seq)),
  },
  cradleBatch: {
    table: 'cradle_batches', pk: 'id',
    columns: ['id', 'device', 'uploaded_at', 'first_seq', 'last_seq', 'count', 'status', 'resolved_seq'],
    keys: (st) => st.cradleBatches.keys(),
    row(st, id) {
      const b = st.cradleBatches.get(id);
      return b ? {
        id: b.id, device: b.device, uploaded_at: b.uploadedAt, first_seq: b.firstSeq, last_seq: b.lastSeq, count: b.count,
        status: b.status, resolved_seq: b.resolvedSeq,
      } : null;
    },
    load(st, r) {
      const id = s(r.id);
      st.cradleBatches.set(id, {
        id, device: s(r.device), uploadedAt: s(r.uploaded_at), firstSeq: Number(r.first_seq), lastSeq: Number(r.last_seq),
        count: Number(r.count), status: s(r.status) as never, resolvedSeq: r.resolved_seq === null ? null : Number(r.resolved_seq),
      });
    },
  },
  openSweep: {
    table: 'open_sweeps', pk: 'scope', columns: ['scope', 'label', 'operator', 'started_seq', 'started_at'],
    keys: (st) => st.openSweeps.keys(),
    row(st, scope) {
      const o = st.openSweeps.get(scope);
      return o ? { scope, label: o.label, operator: o.operator, started_seq: o.startedSeq, started_at: o.startedAt } : null;
    },
    load: (st, r) => void st.openSweeps.set(s(r.scope), {
      scope: s(r.scope), label: s(r.label), operator: s(r.operator), startedSeq: Number(r.started_seq), startedAt: s(r.started_at),
    }),
  },
  meta: {
    table: 'projection_meta', pk: 'key', columns: ['key', 'value'],
    keys: () => ['device_id', 'holders_registered', 'operators_registered', 'last_export', 'terms', 'returns_by_others'],
    row(st, key) {
      // no row until there is something, so stores from before these existed need no migration
      if (key === 'last_export') return st.lastExport ? { key, value: JSON.stringify(st.lastExport) } : null;
      if (key === 'terms') return st.terms ? { key, value: JSON.stringify(st.terms) } : null;
      if (key === 'returns_by_others') return st.returnsByOthers.length ? { key, value: JSON.stringify(st.returnsByOthers) } : null;
      const value = key === 'device_id' ? st.deviceId : key === 'holders_registered' ? st.counters.holders : st.counters.operators;
      return { key, value: String(value) };
    },
    load(st, r) {
      if (r.key === 'last_export') st.lastExport = JSON.parse(s(r.value)) as CageState['lastExport'];
      if (r.key === 'terms') st.terms = JSON.parse(s(r.value)) as CageState['terms'];
      if (r.key === 'returns_by_others') st.returnsByOthers = JSON.parse(s(r.value)) as CageState['returnsByOthers'];
      if (r.key === 'device_id') st.deviceId = s(r.value);
      if (r.key === 'holders_registered') st.counters.holders = Number(r.value);
      if (r.key === 'operators_registered') st.counters.operators = Number(r.value);
    },
  },
};

/** Writes the rows evolve() touched, then forgets them. Runs inside the append transaction. */
export class ProjectionWriter {
  private readonly upserts = new Map<string, Database.Statement>();
  private readonly deletes = new Map<string, Database.Statement>();
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
    for (const [name, p] of Object.entries(PROJECTIONS)) {
      const cols = p.columns.join(', ');
      const params = p.columns.map((c) => `@${c}`).join(', ');
      const updates = p.columns.filter((c) => c !== p.pk).map((c) => `${c} = excluded.${c}`).join(', ');
      this.upserts.set(name, db.prepare(`INSERT INTO ${p.table} (${cols}) VALUES (${params}) ON CONFLICT (${p.pk}) DO UPDATE SET ${updates}`));
      this.deletes.set(name, db.prepare(`DELETE FROM ${p.table} WHERE ${p.pk} = ?`));
    }
  }

  flush(state: CageState): void {
    if (!state.touched) return;
    for (const touched of state.touched) {
      const colon = touched.indexOf(':');
      const name = colon < 0 ? touched : touched.slice(0, colon);
      const p = PROJECTIONS[name]!;
      if (name === 'meta') {
        for (const key of p.keys(state)) {
          const row = p.row(state, key);
          if (row) this.upserts.get(name)!.run(row);
        }
        continue;
      }
      const key = touched.slice(colon + 1);
      const row = p.row(state, key);
      if (row) this.upserts.get(name)!.run(row);
      else this.deletes.get(name)!.run(key);
    }
    state.touched.clear();
  }

  /** Replace every projection table with rows from `state` (rebuild). */
  replaceAll(state: CageState): void {
    for (const name of Object.keys(PROJECTIONS)) {
      this.db.prepare(`DELETE FROM ${PROJECTIONS[name]!.table}`).run();
      const p = PROJECTIONS[name]!;
      for (const key of p.keys(state)) {
        const row = p.row(state, key);
        if (row) this.upserts.get(name)!.run(row);
      }
    }
    state.touched?.clear();
  }
}

export function loadState(db: Database.Database, seq: number): CageState {
  const state = initialState();
  for (const p of Object.values(PROJECTIONS)) {
    for (const row of db.prepare(`SELECT * FROM ${p.table}`).iterate() as Iterable<Row>) p.load(state, row);
  }
  state.seq = seq;
  return state;
}

export interface ProjectionDifference {
  table: string;
  key: string;
  live: Row | null;
  replayed: Row | null;
}

/** Every row that differs between the live tables and a replayed state (column by column, value by value). */
export function diffProjections(db: Database.Database, replayed: CageState): ProjectionDifference[] {
  const differences: ProjectionDifference[] = [];
  for (const p of Object.values(PROJECTIONS)) {
    const live = new Map<string, Row>();
    for (const row of db.prepare(`SELECT ${p.columns.join(', ')} FROM ${p.table}`).iterate() as Iterable<Row>) {
      live.set(String(row[p.pk]), row);
    }
    const keys = new Set<string>([...live.keys(), ...p.keys(replayed)]);
    for (const key of [...keys].sort()) {
      const a = live.get(key) ?? null;
      const b = p.row(replayed, key);
      const same = a && b ? p.columns.every((c) => a[c] === b[c]) : a === b;
      if (!same) differences.push({ table: p.table, key, live: a, replayed: b });
    }
  }
  return differences;
}
