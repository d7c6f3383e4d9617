// The appliance's container image, built from the Dockerfile and run under Docker through testcontainers with
// a named data volume: a scripted day through the JSON API, a clean restart, a SIGKILL in the middle of a
// burst of commands (no acknowledged command may be lost), and an audit export made inside the container,
// copied out and verified with the bundle's own verify.mjs on the host.
//
// It needs a Docker engine. In CI (CI=true) it always runs: .ci/run installs docker.io and starts dockerd.
// Elsewhere, without an engine, it skips and says why.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ContainerRuntimeClient, StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, IN_CI, TEST_IMAGE, Timings, buildImage, findEngine, tc } from './support/docker.ts';

const engine = await findEngine();
const noEngine = 'reason' in engine ? `no Docker engine (${engine.reason})` : null;
if (noEngine && !IN_CI) {
  console.warn(`test/container skipped: ${noEngine}. Install docker.io and start dockerd to run it; in CI (CI=true) it never skips.`);
}

const DATA = '/var/lib/assettrack';
const MINUTE = 60_000;

type Answer = { status: number; body: Record<string, any> };

/** The JSON API of one running container (its mapped port changes when the container restarts). */
class Api {
  base = '';
  private n = 0;
  private readonly run: string;
  constructor(run: string) {
    this.run = run;
  }
  attach(container: StartedTestContainer): this {
    this.base = `http://${container.getHost()}:${container.getMappedPort(8080)}`;
    return this;
  }
  async call(method: string, path: string, body?: unknown, opts: { token?: string; key?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (method === 'POST' && path.startsWith('/api/commands/')) headers['idempotency-key'] = opts.key ?? `${this.run}-${++this.n}`;
    const res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }
  get(path: string): Promise<Answer> {
    return this.call('GET', path);
  }
  /** A command that must succeed; returns its answer's body. */
  async ok(name: string, body: unknown, token?: string): Promise<Record<string, any>> {
    const r = await this.call('POST', `/api/commands/${name}`, body, { token });
    expect(r, `${name} ${JSON.stringify(body)}`).toMatchObject({ status: 200, body: { ok: true } });
    return r.body;
  }
  async signIn(badge: string, pin: string): Promise<string> {
    const r = await this.call('POST', '/api/sessions', { badge, pin });
    expect(r.status).toBe(200);
    return r.body.token as string;
  }
  /** What the projections say, for comparing before and after a restart. */
  async snapshot(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const path of ['/api/dashboard', '/api/holdings', '/api/missing', '/api/cases', '/api/verify', '/api/assets/LT-1/history']) {
      const r = await this.get(path);
      expect(r.status, path).toBe(200);
      out[path] = r.body;
    }
    return out;
  }
}

describe.skipIf(noEngine !== null && !IN_CI)('the appliance image under Docker', () => {
  const timings = new Timings();
  const run = `at-${randomUUID().slice(0, 8)}`;
  const volume = `${run}-data`;
  const api = new Api(run);
  const logs: string[] = [];
  const containers: StartedTestContainer[] = [];
  let client: ContainerRuntimeClient;
  let container: StartedTestContainer;

  /** A container of the test image on the named volume, ready when /healthz answers 200. */
  function start(name: string): Promise<StartedTestContainer> {
    return timings.time(`start ${name}`, async () => {
      const started = await new tc.GenericContainer(TEST_IMAGE)
        .withName(`${run}-${name}`)
        .withExposedPorts(8080)
        .withBindMounts([{ source: volume, target: DATA }]) // a name, not a path: a named volume
        .withWaitStrategy(tc.Wait.forHttp('/healthz', 8080).forStatusCode(200))
        .withStartupTimeout(2 * MINUTE)
        .withLogConsumer((stream) => stream.on('data', (line) => logs.push(`[${name}] ${String(line).trimEnd()}`)))
        .start();
      containers.push(started);
      api.attach(started);
      return started;
    });
  }

  beforeAll(async () => {
    if (noEngine) throw new Error(`CI=${process.env.CI} but ${noEngine}: the container test must run in CI (.ci/run installs docker.io and starts dockerd).`);
    client = (engine as { client: ContainerRuntimeClient }).client;
    const base = await buildImage(client, timings);
    console.log(`test/container: built ${TEST_IMAGE} on ${base}`);
    container = await start('first');
  }, 30 * MINUTE); // a cold build (and the local base image) on a busy 2-core machine

  afterAll(async () => {
    for (const c of containers) await c.stop({ timeout: 10, removeVolumes: false }).catch(() => undefined);
    await client?.container.dockerode.getVolume(volume).remove().catch(() => undefined);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'containers.log'), `${logs.join('\n')}\n`);
    console.log(`test/container timings: ${timings.report()}`);
  }, 2 * MINUTE);

  let admin = '';
  let before: Record<string, unknown> = {};

  it('serves /healthz with the store, chain head and devices, as a non-root user', async () => {
    const health = await api.get('/healthz');
    expect(health).toMatchObject({ status: 200, body: { ok: true, store: 'ok', head: { seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) } } });
    expect(health.body.devices.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining(['gpio', 'scanners', 'usb']));
    const id = await container.exec(['id', '-u']);
    expect(id.stdout.trim()).toBe('10001');
    const inspect = await client.container.inspect(client.container.getById(container.getId()));
    expect(inspect.Config.Env).toEqual(expect.arrayContaining(['ASSETTRACK_HOST=0.0.0.0', `ASSETTRACK_DATA_DIR=${DATA}`]));
    expect(inspect.Mounts).toEqual(expect.arrayContaining([expect.objectContaining({ Type: 'volume', Name: volume, Destination: DATA })]));
  }, 2 * MINUTE);

  it('runs a scripted day through the JSON API', async () => {
    await timings.time('scripted day', async () => {
      expect((await api.ok('register-operator', { name: 'Ada Admin', badge: 'ADM-1', pin: '2468', role: 'admin' })).operator).toMatchObject({ id: 'O-0001', role: 'admin' });
      admin = await api.signIn('ADM-1', '2468');
      await api.ok('register-operator', { name: 'Oscar Operator', badge: 'OPR-1', pin: '1357' }, admin);
      expect((await api.ok('register-case', { label: 'CASE-A', slots: 8 }, admin)).case).toEqual({ label: 'CASE-A', slots: 8 });
      await api.ok('register-holder', { name: 'Alice Ames', badge: 'EMP-1', org: 'Survey' }, admin);
      await api.ok('register-holder', { name: 'Bob Berg', badge: 'EMP-2', org: 'Survey' }, admin);
      await api.ok('register-holder', { name: 'Night Shift', badge: 'TEAM-1', kind: 'team' }, admin);
      for (let i = 1; i <= 6; i++) {
        await api.ok('register-asset', { tag: `LT-${i}`, serial: `SN-${i}`, type: 'laptop', make: 'Dell', model: 'Latitude 7450', slot: `CASE-A/${i}` }, admin);
      }
      const operator = await api.signIn('opr 1', '1357');

      await api.ok('issue', { tags: ['LT-1'], holder: 'EMP-1' }, operator);
      expect((await api.get('/api/assets/LT-1')).body.asset).toMatchObject({ state: 'issued', holder: { name: 'Alice Ames' }, slot: null });
      await api.ok('return', { tags: ['lt 1'] }, operator);
      const batch = await api.ok('issue', { tags: ['LT-2', 'LT-3'], holder: 'TEAM-1' }, operator);
      expect(batch.events.map((e: { type: string; subject: string }) => `${e.type} ${e.subject}`)).toEqual(['AssetIssued LT-2', 'AssetIssued LT-3']);
      const sweep = await api.ok('sweep', { case: 'CASE-A', seen: ['LT-1', 'LT-4@4', 'LT-5'] }, operator);
      expect(sweep).toMatchObject({ expected: ['LT-1', 'LT-4', 'LT-5', 'LT-6'], verified: ['LT-1', 'LT-4', 'LT-5'], missing: ['LT-6'], unexpected: [], wrong_slot: [] });
    });

    // The projections.
    expect((await api.get('/api/assets/LT-1')).body.asset).toMatchObject({ state: 'in_storage', holder: null, slot: 'CASE-A/1', missing: false });
    expect((await api.get('/api/assets/LT-1/history')).body.events.map((e: { type: string }) => e.type))
      .toEqual(['AssetRegistered', 'AssetIssued', 'AssetReturned', 'AssetVerified']);
    const holdings = (await api.get('/api/holdings')).body.holders;
    expect(holdings.map((h: { badge: string; assets: { tag: string }[] }) => [h.badge, h.assets.map((a) => a.tag)])).toEqual([['TEAM-1', ['LT-2', 'LT-3']]]);
    expect((await api.get('/api/missing')).body.assets.map((a: { tag: string }) => a.tag)).toEqual(['LT-6']);
    expect((await api.get('/api/cases')).body.cases).toEqual([expect.objectContaining({ label: 'CASE-A', slots: 8, occupied: 4, issued_from_here: 2 })]);
    expect((await api.get('/api/dashboard')).body.counts).toMatchObject({ in_storage: 4, issued: 2, missing: 1, cases: 1, slots_free: 4, holders_active: 3 });
    expect((await api.get('/api/verify')).body).toMatchObject({ ok: true });
    expect((await api.get('/api/rebuild-check')).body).toMatchObject({ ok: true, differences: [] });

    // The image's HEALTHCHECK (its first probe runs 15 s after the start) reports the container healthy.
    await timings.time('healthcheck healthy', async () => {
      for (let i = 0; ; i++) {
        const state = (await client.container.inspect(client.container.getById(container.getId()))).State;
        if (state.Health?.Status === 'healthy') break;
        if (i >= 60) throw new Error(`The container's health is still "${state.Health?.Status}" after a minute.`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    });
  }, 4 * MINUTE);

  it('keeps everything across a restart, and the chain verifies', async () => {
    before = await api.snapshot();
    await timings.time('restart', () => container.restart({ timeout: 10 })); // SIGTERM: the server closes cleanly
    api.attach(container);
    expect(await api.snapshot()).toEqual(before);
    expect((await api.get('/api/rebuild-check')).body).toMatchObject({ ok: true, differences: [] });
    expect(logs.filter((line) => /Created a new store/.test(line))).toHaveLength(1);
  }, 4 * MINUTE);

  it('loses no acknowledged command when the process is killed (SIGKILL) during a burst', async () => {
    admin = await api.signIn('ADM-1', '2468');
    const total = 600;
    const acked = new Map<number, string>(); // burst number → holder id the server answered with
    const attempted = new Set<number>();
    let next = 0;
    let killed = false;
    const register = (i: number) => api.call('POST', '/api/commands/register-holder', { name: `Burst ${i}`, badge: `BURST-${i}` }, { token: admin, key: `${run}-burst-${i}` });
    const worker = async () => {
      while (next < total) {
        const i = next++;
        attempted.add(i);
        try {
          const r = await register(i);
          if (r.status === 200 && r.body.ok) acked.set(i, r.body.holder.id);
          else if (!killed) throw new Error(`burst ${i}: ${JSON.stringify(r)}`);
        } catch (err) {
          if (!killed) throw err;
          return; // the server is gone: this one is unacknowledged
        }
      }
    };
    let finished = false;
    const kill = async () => {
      while (acked.size < 80 && !finished) await new Promise((resolve) => setTimeout(resolve, 2));
      if (finished) return;
      killed = true;
      await client.container.dockerode.getContainer(container.getId()).kill({ signal: 'SIGKILL' });
    };
    const burst = Promise.all(Array.from({ length: 8 }, worker)).finally(() => { finished = true; });
    await timings.time('burst and SIGKILL', () => Promise.all([kill(), burst]));
    expect(killed, 'the kill came before the burst ended').toBe(true);
    const state = (await client.container.inspect(client.container.getById(container.getId()))).State;
    expect(state).toMatchObject({ Running: false, ExitCode: 137 });
    expect(acked.size).toBeGreaterThanOrEqual(80);
    expect(acked.size).toBeLessThan(total); // the kill really came during the burst
    console.log(`test/container: ${acked.size} of ${attempted.size} burst commands acknowledged before SIGKILL`);

    // A new container on the same volume: every acknowledged command is there, the chain and projections hold.
    await container.stop({ timeout: 0, removeVolumes: false });
    container = await start('after-kill');
    for (const [i, id] of acked) {
      const r = await api.get(`/api/holders/BURST-${i}`);
      expect(r, `acknowledged burst command ${i}`).toMatchObject({ status: 200, body: { holder: { id, name: `Burst ${i}` } } });
    }
    expect((await api.get('/api/verify')).body).toMatchObject({ ok: true });
    expect((await api.get('/api/rebuild-check')).body).toMatchObject({ ok: true, differences: [] });
    // What was before the burst is unchanged.
    const after = await api.snapshot();
    for (const path of ['/api/missing', '/api/cases', '/api/assets/LT-1/history']) expect(after[path], path).toEqual(before[path]);

    // A client that lost its answers sends again with the same keys: acknowledged ones replay, nothing twice.
    admin = await api.signIn('ADM-1', '2468');
    for (const i of [...attempted].sort((a, b) => a - b)) {
      const r = await register(i);
      expect(r.status, `burst ${i} sent again`).toBe(200);
      if (acked.has(i)) expect(r.body).toMatchObject({ replayed: true, holder: { id: acked.get(i) } });
    }
    const holders = (await api.get('/api/dashboard')).body.counts.holders_active;
    expect(holders).toBe(3 + attempted.size);
    expect((await api.get('/api/verify')).body).toMatchObject({ ok: true });
  }, 6 * MINUTE);

  it('exports the audit bundle inside the container, and verify.mjs on the host accepts it', async () => {
    const head = (await api.get('/api/verify')).body.head;
    const exported = await timings.time('export in the container', () => container.exec(['sh', '-c', 'mkdir -p /tmp/audit && node appliance/cli/main.ts export /tmp/audit --json']));
    expect(exported.exitCode, exported.stderr).toBe(0);
    const answer = JSON.parse(exported.stdout.trim().split('\n').pop()!);
    expect(answer).toMatchObject({ ok: true, verified: true, count: head.seq, head });

    const out = mkdtempSync(join(tmpdir(), 'assettrack-container-export-'));
    try {
      await timings.time('copy the bundle out', async () => {
        const tar = spawn('tar', ['-x', '-C', out], { stdio: ['pipe', 'inherit', 'inherit'] });
        const exit = new Promise<number | null>((resolve) => tar.on('close', resolve));
        await pipeline(await container.copyArchiveFromContainer('/tmp/audit'), tar.stdin);
        expect(await exit).toBe(0);
      });
      const bundle = join(out, 'audit', answer.bundle.split('/').pop());
      expect(readdirSync(bundle)).toEqual(expect.arrayContaining(['verify.mjs', 'manifest.json', 'manifest.sig', 'events.ndjson']));
      const verify = spawnSync(process.execPath, [join(bundle, 'verify.mjs'), bundle, '--json'], { encoding: 'utf8' });
      expect(verify.status, verify.stderr || verify.stdout).toBe(0);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, count: head.seq, head });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 4 * MINUTE);
});
