// The bundle's text formats: an NDJSON line is the canonical JSON of the event's twelve members (so the
// verifier's own encoder, written from the document, produces the same bytes), CSV quoting and formula
// defusing, the bundle's name, the kiosk's progress sentence, and the projection of the last export.
import { describe, expect, it } from 'vitest';
import { cell, eventsCsvRow, ndjsonLine, type EventRow } from '../../../appliance/export/bundle-files.ts';
import { canonical, canonicalEvent, sha256Hex } from '../../../appliance/export/verify.mjs';
import { bundleName } from '../../../appliance/export/write-bundle.ts';
import { progressText } from '../../../appliance/http/export-routes.ts';
import { canonicalJson, eventHash } from '../../../appliance/store/canonical.ts';
import { Appliance } from '../../../appliance/appliance.ts';
import { loadConfig } from '../../../appliance/config.ts';
import { seedDemo } from '../../../appliance/seed-demo.ts';
import { tempDir } from '../../support/cage.ts';

const row = (data: unknown, over: Partial<Record<number, string | number>> = {}): EventRow => {
  const fields = {
    seq: 7, id: '00000000-0000-4000-8000-000000000007', type: 'ScanCaptured', subject: 'LT-0001 "quoted"', data: canonicalJson(data),
    actor: 'O-0001', source: 'wedge', occurred_at: '2026-03-15T09:00:00.000Z', recorded_at: '2026-03-15T09:00:00.001Z', idempotency_key: 'k,1',
  };
  const prev = 'a'.repeat(64);
  const r: EventRow = [fields.seq, fields.id, fields.type, fields.subject, fields.data, fields.actor, fields.source, fields.occurred_at,
    fields.recorded_at, fields.idempotency_key, prev, eventHash(prev, fields)];
  for (const [i, v] of Object.entries(over)) (r as unknown[])[Number(i)] = v;
  return r;
};

describe('bundle files', () => {
  it('writes each event as the canonical JSON of its twelve members, which the verifier re-encodes to the same hash', () => {
    const data = { value: 'é\u0001"\\', nested: { z: 1, a: [true, null, -3] }, raw_hex: '4c54' };
    const r = row(data);
    const line = ndjsonLine(r);
    expect(line.endsWith('\n')).toBe(true);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['actor', 'data', 'hash', 'id', 'idempotency_key', 'occurred_at', 'prev_hash', 'recorded_at', 'seq', 'source', 'subject', 'type']);
    expect(canonical(parsed)).toBe(line.slice(0, -1));
    expect(sha256Hex(`${parsed.prev_hash}${canonicalEvent(parsed)}`)).toBe(r[11]);
  });

  it('quotes CSV cells by RFC 4180 and defuses what a spreadsheet would run as a formula', () => {
    expect(cell('plain')).toBe('plain');
    expect(cell('a,b')).toBe('"a,b"');
    expect(cell('say "hi"')).toBe('"say ""hi"""');
    expect(cell('line\nbreak')).toBe('"line\nbreak"');
    expect(cell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const lead of ['+', '-', '@']) expect(cell(`${lead}1`)).toBe(`'${lead}1`);
    expect(cell(null)).toBe('');
    const csv = eventsCsvRow(row({ value: 'x' }));
    expect(csv).toMatch(/^7,00000000-0000-4000-8000-000000000007,ScanCaptured,"LT-0001 ""quoted""",O-0001,wedge,/);
    expect(csv.endsWith('"{""value"":""x""}"\r\n')).toBe(true);
  });

  it('names a bundle without colons (FAT) and sortable by time', () => {
    expect(bundleName('KIOSK-01', new Date('2026-12-01T08:10:10.136Z'))).toBe('AssetTrack-KIOSK-01-20261201T081010Z');
  });

  it('says how far the export has got', () => {
    expect(progressText({ stage: 'events', done: 12000, total: 50000 })).toBe('Exporting: Writing events 12,000 of 50,000 (24 %)');
    expect(progressText({ stage: 'verifying', done: 0, total: 50000 })).toBe('Exporting: Reading the bundle back and verifying it…');
  });
});

describe('the last export in the projections', () => {
  it('is rebuilt by a replay exactly as it was written, and refused to anyone but an admin', () => {
    const dir = tempDir('assettrack-lastexport-');
    const { app } = Appliance.init(loadConfig({ ASSETTRACK_DATA_DIR: dir }), 'PROJ-1');
    seedDemo(app);
    const head = app.store.head();
    const cmd = {
      type: 'RecordExport' as const, bundle: 'AssetTrack-PROJ-1-x', target: '/media/X', manifestSha256: 'f'.repeat(64), count: head.seq,
      headSeq: head.seq, headHash: head.hash, bytes: 1, previous: null, backup: null,
    };
    const operator = app.operatorByBadge('OPR-1001');
    const refused = app.execute(cmd, { actor: operator, source: 'touch' }, () => null);
    expect(refused.ok ? null : refused.error.code).toBe('ADMIN_REQUIRED');
    const ahead = app.execute({ ...cmd, headSeq: head.seq + 5 }, { actor: { kind: 'console' }, source: 'console' }, () => null);
    expect(ahead.ok ? null : ahead.error.code).toBe('EXPORT_AHEAD');
    const done = app.execute(cmd, { actor: app.operatorByBadge('ADM-9001'), source: 'touch' }, (events) => events[0]!.seq);
    expect(done.ok).toBe(true);
    expect(app.state().lastExport).toMatchObject({ bundle: 'AssetTrack-PROJ-1-x', headSeq: head.seq, headHash: head.hash });
    expect(app.store.diffProjections(app.store.replay())).toEqual([]);
    app.close();
    const reopened = Appliance.open(loadConfig({ ASSETTRACK_DATA_DIR: dir }));
    expect(reopened.state().lastExport).toMatchObject({ headSeq: head.seq, manifestSha256: 'f'.repeat(64) });
    reopened.close();
  });
});
