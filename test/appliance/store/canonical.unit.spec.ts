import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEvent, canonicalJson, eventHash, genesisHash } from '../../../appliance/store/canonical.ts';

describe('canonical encoding', () => {
  it('sorts keys by code unit, drops whitespace and undefined, keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: [3, 'x', null, true], A: { z: false, y: 'é' }, u: undefined })).toBe('{"A":{"y":"é","z":false},"a":[3,"x",null,true],"b":1}');
  });

  it('escapes control characters the JSON way and refuses non-integers', () => {
    expect(canonicalJson('a\u0000"\\\n')).toBe('"a\\u0000\\"\\\\\\n"');
    expect(() => canonicalJson(1.5)).toThrow(/safe integers/);
    expect(() => canonicalJson(2 ** 60)).toThrow(/safe integers/);
  });

  it('hashes prev_hash followed by the canonical event (known answer)', () => {
    const e = {
      seq: 1, id: '00000000-0000-4000-8000-000000000001', type: 'StoreInitialized', subject: 'TEST-BOX',
      data: canonicalJson({ device_id: 'TEST-BOX' }), actor: 'system', source: 'system',
      occurred_at: '2026-03-15T09:00:00.000Z', recorded_at: '2026-03-15T09:00:00.000Z', idempotency_key: 'k1',
    };
    const text = canonicalEvent(e);
    expect(text).toBe('{"actor":"system","data":{"device_id":"TEST-BOX"},"id":"00000000-0000-4000-8000-000000000001","idempotency_key":"k1","occurred_at":"2026-03-15T09:00:00.000Z","recorded_at":"2026-03-15T09:00:00.000Z","seq":1,"source":"system","subject":"TEST-BOX","type":"StoreInitialized"}');
    expect(canonicalEvent(e)).toBe(canonicalJson({ ...e, data: { device_id: 'TEST-BOX' } }));
    const genesis = genesisHash('TEST-BOX');
    expect(genesis).toBe(createHash('sha256').update('assettrack-genesis:TEST-BOX').digest('hex'));
    expect(eventHash(genesis, e)).toBe(createHash('sha256').update(genesis + text).digest('hex'));
    // the worked example of docs/event-format.md
    expect(genesis).toBe('026e83dcc216614cfb7b5a1bbf9052ae1a97c21f40fca2fdb3d467ac9a1db6ea');
    expect(eventHash(genesis, e)).toBe('c8110b00549df46b3501f3098adb1c4051f065a01e4991ec20e9a7431eab7241');
  });
});
