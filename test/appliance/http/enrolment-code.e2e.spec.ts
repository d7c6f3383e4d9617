// The one-time enrolment code through real HTTP on an ephemeral port (ASSETTRACK_ENROLMENT_CODE_FILE set):
// the first admin needs it, wrong codes lock enrolment for five minutes (also across a restart), the right
// one enrols and deletes the file, and later enrolments by the admin need none.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Appliance } from '../../../appliance/appliance.ts';
import { loadConfig } from '../../../appliance/config.ts';
import { readEnrolmentCode, retireEnrolmentCode } from '../../../appliance/enrolment-code.ts';
import { listen } from '../../../appliance/http/server.ts';
import { TestClock, tempDir } from '../../support/cage.ts';

const CODE = 'K7QM-R4TX';
let dir: string;
let codeFile: string;
let clock: TestClock;
let app: Appliance;
let server: Server;
let base: string;
let n = 0;

async function start(): Promise<void> {
  app = Appliance.open(loadConfig({ ASSETTRACK_DATA_DIR: dir, ASSETTRACK_ENROLMENT_CODE_FILE: codeFile }), clock.now);
  server = await listen(app, '127.0.0.1', 0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
async function stop(): Promise<void> {
  await new Promise((resolve) => server.close(resolve));
  app.close();
}

async function call(method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (method === 'POST') headers['idempotency-key'] = `enrol-${++n}`;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
const ADA = { name: 'Ada Admin', badge: 'ADM-1', pin: '2468', role: 'admin' };
const enrolAda = (code?: string) => call('POST', '/api/commands/register-operator', code === undefined ? ADA : { ...ADA, enrolment_code: code });
const failures = () => [...app.store.readEvents()].filter((e) => e.type === 'EnrolmentCodeFailed').map((e) => e.data.reason);

beforeAll(async () => {
  dir = tempDir('assettrack-enrol-');
  codeFile = join(dir, 'enrolment-code');
  clock = new TestClock();
  Appliance.init(loadConfig({ ASSETTRACK_DATA_DIR: dir }), 'TEST-BOX', clock.now).app.close();
  writeFileSync(codeFile, `${CODE}\n`);
  await start();
});
afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the one-time enrolment code', () => {
  it('tells the first-run screen that a code is needed, never the code, and keeps the demo out', async () => {
    const home = await call('GET', '/');
    expect(home.status).toBe(200);
    expect(home.body.data).toEqual({ demoAvailable: false, enrolmentCodeRequired: true });
    expect(JSON.stringify(home.body)).not.toMatch(/K7QM|R4TX/i);
    const demo = await call('POST', '/api/demo');
    expect(demo).toMatchObject({ status: 403, body: { ok: false, error: { code: 'ENROLMENT_CODE_REQUIRED' } } });
    expect(app.state().operators.size).toBe(0);
  });

  it('refuses the first admin without the code (not counted as a wrong one)', async () => {
    for (const code of [undefined, '']) {
      expect(await enrolAda(code)).toEqual({
        status: 403, body: { ok: false, error: { code: 'ENROLMENT_CODE_REQUIRED', message: 'Enter the enrolment code shown on the screen at first start.' } },
      });
    }
    expect(failures()).toEqual([]);
  });

  it('refuses wrong codes and locks enrolment after five, also after a restart', async () => {
    for (let left = 4; left >= 1; left--) {
      const wrong = await enrolAda('K7QM-R4TY');
      expect(wrong).toMatchObject({ status: 403, body: { ok: false, error: { code: 'ENROLMENT_CODE_WRONG', tries_left: left } } });
    }
    const fifth = await enrolAda('AAAA-BBBB');
    expect(fifth).toEqual({
      status: 423,
      body: { ok: false, error: { code: 'ENROLMENT_LOCKED', message: 'Too many wrong enrolment codes: try again in 5 minutes.', locked_until: '2026-03-15T09:05:00.000Z' } },
    });
    expect((await enrolAda(CODE)).body.error.code).toBe('ENROLMENT_LOCKED');

    await stop();
    await start();
    clock.advance(4 * 60_000);
    expect(await enrolAda(CODE.toLowerCase())).toMatchObject({ status: 423, body: { error: { code: 'ENROLMENT_LOCKED', message: expect.stringContaining('1 minute.') } } });
    expect(app.state().operators.size).toBe(0);
    expect(failures()).toEqual(['wrong code', 'wrong code', 'wrong code', 'wrong code', 'wrong code', 'locked', 'locked']);
    expect(existsSync(codeFile)).toBe(true);
  });

  it('enrols the first admin with the right code in lower case, deletes the file and never logs the code', async () => {
    clock.advance(60_000);
    const ok = await enrolAda(CODE.toLowerCase());
    expect(ok).toEqual({ status: 200, body: { ok: true, operator: { id: 'O-0001', name: 'Ada Admin', badge: 'ADM-1', role: 'admin' } } });
    expect(existsSync(codeFile)).toBe(false);
    const log = JSON.stringify([...app.store.readEvents()]);
    expect(log).not.toMatch(/K7QM|R4TX/i);
    expect((await call('GET', '/')).body.context.screen).not.toBe('first-run');
  });

  it('lets the signed-in admin enrol operators without any code', async () => {
    const session = await call('POST', '/api/sessions', { badge: 'ADM-1', pin: '2468' });
    expect(session.status).toBe(200);
    const oscar = await call('POST', '/api/commands/register-operator', { name: 'Oscar', badge: 'OPR-1', pin: '1111' }, session.body.token);
    expect(oscar).toMatchObject({ status: 200, body: { ok: true, operator: { id: 'O-0002', role: 'operator' } } });
    // Without a session it is the usual refusal, not a question of codes.
    const eve = await call('POST', '/api/commands/register-operator', { name: 'Eve', badge: 'EVE-1', pin: '1357', enrolment_code: CODE });
    expect(eve).toMatchObject({ status: 401, body: { error: { code: 'OPERATOR_REQUIRED' } } });
  });

});

describe('the enrolment code file', () => {
  it('asks no code when the file is missing or empty, and reads only its first line', () => {
    const other = tempDir('assettrack-enrol-file-');
    try {
      const file = join(other, 'enrolment-code');
      expect(readEnrolmentCode(file)).toBeNull();
      expect(readEnrolmentCode(null)).toBeNull();
      writeFileSync(file, ' \n');
      expect(readEnrolmentCode(file)).toBeNull();
      writeFileSync(file, ' abcd-efgh \nsecond line\n');
      expect(readEnrolmentCode(file)).toBe('abcd-efgh');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('is deleted for good, and a failure to delete it is logged, not thrown', () => {
    const other = tempDir('assettrack-enrol-file-');
    try {
      const file = join(other, 'enrolment-code');
      writeFileSync(file, `${CODE}\n`);
      const logged: string[] = [];
      retireEnrolmentCode(file, (line) => logged.push(line));
      expect(existsSync(file)).toBe(false);
      retireEnrolmentCode(file, (line) => logged.push(line)); // already gone: nothing to say
      expect(logged).toEqual([]);
      retireEnrolmentCode(other, (line) => logged.push(line)); // a folder cannot be unlinked
      expect(logged).toEqual([expect.stringMatching(/^Could not delete the enrolment code .*: E(ISDIR|PERM)/)]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
