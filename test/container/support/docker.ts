// Docker for the container test: testcontainers set up for machines without Docker Hub, the engine probe that
// decides run / skip / fail, the image built once from the Dockerfile, and timings for the report.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { ContainerRuntimeClient } from 'testcontainers';

// Ryuk (the reaper) and the gateway probe both pull images from Docker Hub: off. Every test stops its own
// containers instead. Set before testcontainers is loaded.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
export const tc = await import('testcontainers');

export const ROOT = new URL('../../../', import.meta.url).pathname;
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'container');
/** The image the test builds (and leaves behind, so the next run starts from the layer cache). */
export const TEST_IMAGE = 'assettrack-kiosk:test';

/** CI=true (or any value but false/0): the container test must run, never skip. */
export const IN_CI = !!process.env.CI && !/^(false|0)$/i.test(process.env.CI);

const run = promisify(execFile);

/** The Docker engine through testcontainers' own discovery, or why there is none. */
export async function findEngine(): Promise<{ client: ContainerRuntimeClient } | { reason: string }> {
  try {
    return { client: await tc.getContainerRuntimeClient() };
  } catch (err) {
    return { reason: (err as Error).message.split('\n')[0] ?? String(err) };
  }
}

/** Wall-clock seconds of each stage, printed at the end and written to test-artifacts/container/timings.json. */
export class Timings {
  readonly stages: Record<string, number> = {};
  async time<T>(stage: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.stages[stage] = Math.round((performance.now() - started) / 100) / 10;
    }
  }
  report(): string {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'timings.json'), `${JSON.stringify(this.stages, null, 2)}\n`);
    return Object.entries(this.stages).map(([stage, s]) => `${stage} ${s} s`).join(', ');
  }
}

async function script(...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [join(ROOT, 'image/docker-image.sh'), ...args], { cwd: ROOT, maxBuffer: 16 << 20 });
  return stdout;
}

/**
 * The build context: the Dockerfile, .dockerignore and what .dockerignore lets through (it is an allow-list:
 * `*`, then `!path` lines), copied into a temporary folder. testcontainers lists every file of a context
 * before it applies .dockerignore, and the checkout's build/ may hold a mounted chroot (the Pi image's).
 */
function stageContext(): string {
  const dir = mkdtempSync(join(tmpdir(), 'assettrack-docker-context-'));
  const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
  const allowed = ignore.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('!')).map((line) => line.slice(1));
  for (const entry of ['Dockerfile', '.dockerignore', ...allowed]) {
    mkdirSync(join(dir, dirname(entry)), { recursive: true });
    cpSync(join(ROOT, entry), join(dir, entry), {
      recursive: true,
      preserveTimestamps: true,
      filter: (source) => basename(source) !== 'node_modules',
    });
  }
  return dir;
}

/**
 * Builds the Dockerfile (through testcontainers, as `make docker` does through the CLI: same builder, same
 * build arguments, so they share the layer cache) on ASSETTRACK_BASE_IMAGE, or the base image
 * image/docker-image.sh picks: node:24-bookworm-slim when it can be pulled, else the local one (built now
 * if missing).
 */
export async function buildImage(client: ContainerRuntimeClient, timings: Timings): Promise<string> {
  const base = process.env.ASSETTRACK_BASE_IMAGE ?? (await timings.time('base image', () => script('pick-base'))).trim();
  const extraCa = (await script('extra-ca')).trim(); // as "$(…)" in the script: the same value, the same cache
  // testcontainers takes "the tag exists afterwards" for success: drop the old tag first (its layers stay
  // as the cache), so a failed build cannot pass for the previous one.
  await client.container.dockerode.getImage(TEST_IMAGE).remove({ noprune: true }).catch(() => undefined);
  const context = stageContext();
  try {
    await timings.time('docker build', async () => {
      try {
        await tc.GenericContainer.fromDockerfile(context, 'Dockerfile')
          .withBuildArgs({ BASE_IMAGE: base, EXTRA_CA_CERTS: extraCa })
          .build(TEST_IMAGE, { deleteOnExit: false });
      } catch (err) {
        throw new Error(`The image did not build from the Dockerfile on ${base} (${(err as Error).message}); run "make docker" for the build's log.`);
      }
    });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  return base;
}
