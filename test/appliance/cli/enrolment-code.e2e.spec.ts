// assettrack register-operator --enrolment-code on a box with a one-time enrolment code: a real process,
// a temp data dir, ASSETTRACK_ENROLMENT_CODE_FILE set as the image sets it.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/cage.ts';

const BIN = fileURLToPath(new URL('../../../appliance/cli/assettrack', import.meta.url));
let dir: string;
let codeFile: string;

function at(args: string[]) {
  const r = spawnSync(BIN, args, { env: { ...process.env, ASSETTRACK_DATA_DIR: dir, ASSETTRACK_ENROLMENT_CODE_FILE: codeFile }, encoding: 'utf8' });
  expect(r.stderr, 'never a stack trace').not.toMatch(/\n\s+at .+:\d+:\d+/);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function json(args: string[]) {
  const r = at([...args, '--json']);
  return { code: r.code, body: JSON.parse(r.stdout) };
}
const ADA = ['register-operator', '--name', 'Ada Admin', '--badge', 'ADM-1', '--pin', '2468', '--role', 'admin'];

beforeAll(() => {
  dir = tempDir('assettrack-cli-enrol-');
  codeFile = join(dir, 'enrolment-code');
  expect(at(['init', '--device-id', 'box-1']).code).toBe(0);
  writeFileSync(codeFile, 'WXYZ-2345\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assettrack register-operator --enrolment-code', () => {
  it('refuses the first admin without the code, in words for a person (exit 1)', () => {
    const r = at(ADA);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe('Refused (ENROLMENT_CODE_REQUIRED): Enter the enrolment code shown on the screen at first start.\n');
    expect(json(['seed-demo']).body.error.code).toBe('ENROLMENT_CODE_REQUIRED');
  });

  it('refuses a wrong code and counts it', () => {
    expect(json([...ADA, '--enrolment-code', 'WXYZ-2346'])).toEqual({
      code: 1, body: { ok: false, error: { code: 'ENROLMENT_CODE_WRONG', message: expect.stringContaining('4 tries left'), tries_left: 4 } },
    });
  });

  it('enrols with the code (without its dash, in lower case) and deletes it', () => {
    const r = json([...ADA, '--enrolment-code', 'wxyz2345']);
    expect(r).toEqual({ code: 0, body: { ok: true, operator: { id: 'O-0001', name: 'Ada Admin', badge: 'ADM-1', role: 'admin' } } });
    expect(existsSync(codeFile)).toBe(false);
    const oscar = json(['register-operator', '--name', 'Oscar', '--badge', 'OPR-1', '--pin', '1111', '--operator', 'ADM-1']);
    expect(oscar.code).toBe(0);
    expect(json(['verify'])).toMatchObject({ code: 0, body: { ok: true } });
  });
});
