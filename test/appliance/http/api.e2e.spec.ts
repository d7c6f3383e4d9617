// The JSON API through real HTTP on an ephemeral port: sessions, idempotency keys, stable error codes.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../../appliance/http/server.ts';
import { openCage, type Cage } from '../../support/cage.ts';

let cage: Cage;
let server: Server;
let base: string;
let n = 0;

async function call(method: string, path: string, body?: unknown, opts: { token?: string; key?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.key !== null && method === 'POST') headers['idempotency-key'] = opts.key ?? `test-${++n}`;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  cage = openCage({ seed: false });
  server = await listen(cage.app, '127.0.0.1', 0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  cage.close();
});

describe('JSON API', () => {
  let admin = '';
  let operator = '';

  it('reports health with the chain head', async () => {
    const r = await call('GET', '/healthz');
    expect(r).toEqual({ status: 200, body: { ok: true, store: 'ok', device_id: 'TEST-BOX', head: { seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }, schema: 3, devices: [] } });
  });

  it('enrols the first admin without a session, then requires one', async () => {
    const first = await call('POST', '/api/commands/register-operator', { name: 'Ada', badge: 'ADM-1', pin: '2468', role: 'admin' });
    expect(first).toMatchObject({ status: 200, body: { ok: true, operator: { id: 'O-0001', role: 'admin' } } });
    expect(JSON.stringify(first.body)).not.toContain('2468');
    const second = await call('POST', '/api/commands/register-operator', { name: 'Eve', badge: 'EVE-1', pin: '1357', role: 'admin' });
    expect(second).toMatchObject({ status: 401, body: { ok: false, error: { code: 'OPERATOR_REQUIRED' } } });
  });

  it('signs in with badge and PIN and records a wrong PIN', async () => {
    const wrong = await call('POST', '/api/sessions', { badge: 'ADM-1', pin: '0000' });
    expect(wrong).toEqual({ status: 401, body: { ok: false, error: { code: 'SIGN_IN_FAILED', message: 'That badge and PIN do not match an operator.' } } });
    expect(cage.app.store.event(cage.app.store.head().seq)).toMatchObject({ type: 'OperatorSignInFailed', data: { reason: 'wrong PIN' } });
    const ok = await call('POST', '/api/sessions', { badge: 'adm 1', pin: '2468' });
    expect(ok).toMatchObject({ status: 200, body: { ok: true, operator: { id: 'O-0001', name: 'Ada', role: 'admin' } } });
    admin = ok.body.token;
    expect((await call('GET', '/api/session', undefined, { token: admin })).body.operator.badge).toBe('ADM-1');
  });

  it('lets the admin set up the cage', async () => {
    const t = { token: admin };
    expect((await call('POST', '/api/commands/register-operator', { name: 'Oscar', badge: 'OPR-1', pin: '1111' }, t)).status).toBe(200);
    expect((await call('POST', '/api/commands/register-case', { label: 'CASE-13', slots: 18 }, t)).body).toMatchObject({ ok: true, case: { label: 'CASE-13', slots: 18 } });
    expect((await call('POST', '/api/commands/register-holder', { name: 'Bob', badge: 'EMP-1' }, t)).body.holder.id).toBe('H-0001');
    const csv = 'asset_tag,serial_number,slot\nLT-1,S1,CASE-13/1\nLT-2,S2,CASE-13/2\n';
    expect((await call('POST', '/api/commands/import-assets', { csv }, { ...t, key: null })).body).toMatchObject({ ok: true, committed: false, summary: { new: 2 } });
    expect((await call('POST', '/api/commands/import-assets', { csv, commit: true }, { ...t, key: null })).body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect((await call('POST', '/api/commands/import-assets', { csv, commit: true }, t)).body).toMatchObject({ ok: true, committed: true });
    operator = (await call('POST', '/api/sessions', { badge: 'OPR-1', pin: '1111' })).body.token;
  });

  it('needs an idempotency key on every command and answers a retried one once', async () => {
    const noKey = await call('POST', '/api/commands/issue', { tags: ['LT-1'], holder: 'EMP-1' }, { token: operator, key: null });
    expect(noKey).toMatchObject({ status: 400, body: { error: { code: 'IDEMPOTENCY_KEY_REQUIRED' } } });
    const head = cage.app.store.head().seq;
    const first = await call('POST', '/api/commands/issue', { tags: ['LT-1', 'lt 2'], holder: 'EMP-1' }, { token: operator, key: 'double-tap' });
    const again = await call('POST', '/api/commands/issue', { tags: ['LT-1', 'lt 2'], holder: 'EMP-1' }, { token: operator, key: 'double-tap' });
    expect(first.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(cage.app.store.head().seq).toBe(head + 2);
  });

  it('answers queries and refusals with stable codes and statuses', async () => {
    expect((await call('GET', '/api/assets/lt-1')).body.asset).toMatchObject({ tag: 'LT-1', state: 'issued', holder: { id: 'H-0001', name: 'Bob' } });
    expect((await call('GET', '/api/holdings')).body.holders[0].assets.map((a: { tag: string }) => a.tag)).toEqual(['LT-1', 'LT-2']);
    expect((await call('GET', '/api/assets/LT-1/history')).body.events.map((e: { type: string }) => e.type)).toEqual(['AssetRegistered', 'AssetIssued']);
    expect(await call('GET', '/api/assets/NOPE')).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_ASSET' } } });
    expect(await call('POST', '/api/commands/issue', { tags: ['LT-1'], holder: 'EMP-1' }, { token: operator })).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_ISSUED' } } });
    expect(await call('POST', '/api/commands/retire', { tag: 'LT-1', reason: 'x' }, { token: operator })).toMatchObject({ status: 403, body: { error: { code: 'ADMIN_REQUIRED' } } });
    expect(await call('POST', '/api/commands/return', { tags: ['LT-1'] })).toMatchObject({ status: 401, body: { error: { code: 'OPERATOR_REQUIRED' } } });
    expect(await call('POST', '/api/commands/return', { tags: ['LT-1'] }, { token: operator })).toMatchObject({ status: 200 });
    expect(await call('POST', '/api/commands/register-case', { label: 'C' }, { token: admin })).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', message: 'Missing slots.' } } });
    expect(await call('POST', '/api/commands/import-assets', { file: '/etc/passwd' }, { token: admin })).toMatchObject({ status: 400 });
    expect(await call('POST', '/api/commands/issue', '{"tags": [', { token: operator })).toMatchObject({ status: 400, body: { ok: false, error: { code: 'BAD_REQUEST' } } });
    expect(await call('GET', '/api/nothing-here')).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_ROUTE' } } });
    expect(await call('POST', '/api/commands/teleport', {})).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_COMMAND' } } });
  });

  it('records scans without a session and verifies the chain and projections', async () => {
    const scan = await call('POST', '/api/commands/scan', { text: 'LT-2\r\n', source: 'wedge', device: 'kbd-1' });
    expect(scan.body.scan).toMatchObject({ kind: 'asset', ref: 'LT-2', value: 'LT-2' });
    expect((await call('GET', '/api/verify')).body).toMatchObject({ ok: true, head: cage.app.store.head() });
    expect((await call('GET', '/api/rebuild-check')).body).toMatchObject({ ok: true, differences: [] });
  });

  it('ends a session on sign-out', async () => {
    expect((await call('DELETE', '/api/sessions', undefined, { token: operator })).body).toEqual({ ok: true });
    expect(await call('GET', '/api/session', undefined, { token: operator })).toMatchObject({ status: 401 });
    expect(await call('POST', '/api/commands/return', { tags: ['LT-2'] }, { token: operator })).toMatchObject({ status: 401 });
  });
});
