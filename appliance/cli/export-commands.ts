// The audit and recovery commands of the CLI: export, verify-export, backup, restore. They live apart from
// operations.ts because they are not for the JSON API (they read and write files on the box, by path) and
// because verify-export and restore must work without a usable store: an auditor's laptop has none, and a
// restore is what one runs when the store is damaged.
import { resolve } from 'node:path';
import { Appliance } from '../appliance.ts';
import type { Config } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import type { Actor } from '../domain/types.ts';
import { backupDatabase, restoreDatabase } from '../export/backup.ts';
import { MediaError } from '../export/durable-files.ts';
import { verifyBundle } from '../export/verify.mjs';
import { exportBundle } from '../export/write-bundle.ts';
import { UsageError, refusal, type Answer } from '../operations.ts';

export const EXPORT_COMMANDS: Record<string, { summary: string; flags: string[]; positional: string }> = {
  export: { summary: 'Write the signed audit bundle into DIR (a USB stick\'s folder), read it back and verify it', flags: ['backup'], positional: 'DIR' },
  'verify-export': { summary: 'Check an audit bundle offline (as its verify.mjs does); --previous links two quarters', flags: ['previous'], positional: 'DIR' },
  backup: { summary: 'A consistent copy of the store in FILE (plus FILE.sha256), taken while the kiosk runs', flags: [], positional: 'FILE' },
  restore: { summary: 'Replace the store with a backup (kiosk stopped); refuses to roll back behind the last export', flags: ['force', 'reason'], positional: 'FILE' },
};

interface Args {
  positional: string;
  flags: Record<string, string | boolean>;
  config: Config;
  /** progress lines for a person at a terminal */
  progress?: (line: string) => void;
}

function mediaRefusal(err: MediaError): Answer {
  return { ok: false, error: { code: err.code, message: err.message, stage: err.stage, ...(err.errno ? { errno: err.errno } : {}) } };
}

function actorFor(app: Appliance, badge: unknown): Actor {
  return typeof badge === 'string' ? app.operatorByBadge(badge) : { kind: 'console' };
}

export async function runExportCommand(name: string, args: Args): Promise<Answer> {
  const { positional, flags, config } = args;
  try {
    switch (name) {
      case 'verify-export': {
        const previous = typeof flags.previous === 'string' ? flags.previous : null;
        const report = await verifyBundle(resolve(positional), { previous });
        const summary = { count: report.count ?? 0, head: report.head ?? null, device_id: report.deviceId ?? null, key_fingerprint: report.fingerprint ?? null };
        if (report.ok) return { ok: true, ...summary, checks: report.checks.map((c) => c.what) };
        return {
          ok: false,
          error: { code: 'EXPORT_INVALID', message: report.failures[0] ?? 'The bundle does not verify.', failures: report.failures, device_id: summary.device_id, key_fingerprint: summary.key_fingerprint },
        };
      }
      case 'restore': {
        const result = restoreDatabase(config, resolve(positional), {
          actorBadge: typeof flags.operator === 'string' ? flags.operator : undefined,
          force: flags.force === true, reason: typeof flags.reason === 'string' ? flags.reason : undefined,
          second: typeof flags['second-operator'] === 'string' && typeof flags['second-pin'] === 'string'
            ? { badge: flags['second-operator'], pin: flags['second-pin'] } : undefined,
        });
        return { ok: true, ...result };
      }
      case 'export':
      case 'backup': {
        const app = Appliance.open(config);
        try {
          const actor = actorFor(app, flags.operator);
          if (name === 'backup') {
            if (actor.kind === 'operator' && actor.role !== 'admin') throw new DomainError('ADMIN_REQUIRED', 'Only an admin can take a backup.');
            const b = await backupDatabase(app, resolve(positional));
            return { ok: true, file: b.file, sha256: b.sha256, bytes: b.bytes, head: b.head };
          }
          let shown = -1;
          const result = await exportBundle(app, resolve(positional), {
            actor, source: 'console', backup: flags.backup === true,
            onProgress: (p) => {
              const percent = p.total ? Math.floor((100 * p.done) / p.total) : 0;
              if (p.stage !== 'events' || percent >= shown + 10) args.progress?.(`${p.stage}: ${p.done} of ${p.total}`);
              if (p.stage === 'events' && percent >= shown + 10) shown = percent;
            },
          });
          return {
            ok: true, bundle: result.bundle, count: result.count, head: result.head, manifest_sha256: result.manifestSha256, bytes: result.bytes,
            verified: result.report.ok, event_seq: result.seq,
            backup: result.backup ? { file: result.backup.file, sha256: result.backup.sha256, head: result.backup.head } : null,
          };
        } finally {
          app.close();
        }
      }
      default:
        throw new UsageError(`Unknown command "${name}".`);
    }
  } catch (err) {
    if (err instanceof MediaError) return mediaRefusal(err);
    if (err instanceof DomainError) return refusal(err);
    throw err;
  }
}
