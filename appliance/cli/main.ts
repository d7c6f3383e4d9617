// assettrack COMMAND [ARGS] [--json]: the command line of docs/cli.md.
// Exit codes: 0 done, 1 refused, 2 bad usage, 3 the store cannot be opened. Never a stack trace for these.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Appliance } from '../appliance.ts';
import { ConfigError, loadConfig, portFrom, type Config } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import type { Actor } from '../domain/types.ts';
import { OPERATIONS, UsageError, refusal, runOperation, type Answer, type Input } from '../operations.ts';
import { DEMO_OPERATORS, isEmptyCage, seedDemo } from '../seed-demo.ts';
import { StoreError } from '../store/event-store.ts';
import { SERVE_PID_FILE } from '../export/backup.ts';
import { EXPORT_COMMANDS, runExportCommand } from './export-commands.ts';

const BOOLEAN_FLAGS = new Set(['json', 'commit', 'check', 'force', 'offer-demo', 'help', 'cage', 'pending', 'backup']);
const GLOBAL_FLAGS = ['json', 'operator', 'key', 'help', 'second-operator', 'second-pin'];
const SPECIAL: Record<string, { summary: string; flags: string[] }> = {
  init: { summary: 'Create the store and device key (safe to repeat)', flags: ['device-id'] },
  serve: { summary: 'Run the kiosk and JSON API until stopped', flags: ['offer-demo', 'host', 'port'] },
  'seed-demo': { summary: 'Fill an empty store with the demo cage', flags: [] },
};

interface Parsed {
  command: string;
  positionals: string[];
  flags: Record<string, string | boolean>;
}

export function parseArgs(argv: string[]): Parsed {
  const [command = 'help', ...rest] = argv;
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--') { positionals.push(...rest.slice(i + 1)); break; }
    if (!arg.startsWith('--')) { positionals.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    if (BOOLEAN_FLAGS.has(name)) { flags[name] = eq > 0 ? arg.slice(eq + 1) !== 'false' : true; continue; }
    const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value.`);
    flags[name] = value;
  }
  return { command, positionals, flags };
}

function checkFlags(parsed: Parsed, allowed: string[]): void {
  for (const name of Object.keys(parsed.flags)) {
    if (!GLOBAL_FLAGS.includes(name) && !allowed.includes(name)) {
      throw new UsageError(`Unknown flag --${name} for "${parsed.command}". Try: assettrack help`);
    }
  }
}

function commandList(): [string, string][] {
  return [...Object.entries(SPECIAL), ...Object.entries(EXPORT_COMMANDS), ...Object.entries(OPERATIONS)].map(([name, op]) => [name, op.summary]);
}

function helpText(): string {
  const rows = commandList().map(([name, summary]) => `  ${name.padEnd(20)} ${summary}`);
  return `Usage: assettrack COMMAND [ARGS] [--json] [--operator BADGE] [--key IDEMPOTENCY-KEY]\n\nCommands:\n${rows.join('\n')}\n\nFull reference: docs/cli.md. Store: ASSETTRACK_DATA_DIR (default ./data).\n`;
}

/** Plain-text rendering of an answer for a person at a shell. */
function human(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return ' (none)';
    return value.map((v) => (typeof v === 'object' && v !== null ? `\n${indent}-${human(v, `${indent}  `).replace(/^\n\s*/, ' ')}` : `\n${indent}- ${v}`)).join('');
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).map(([k, v]) => `\n${indent}${k}:${typeof v === 'object' && v !== null ? human(v, `${indent}  `) : ` ${v}`}`).join('');
  }
  return ` ${value}`;
}

/** Refusals that are really bad input (stable surface: exit 2), whatever layer noticed them. */
const USAGE_CODES = new Set(['USAGE', 'BAD_CONFIG', 'BAD_DEVICE_ID', 'BAD_CSV']);

function print(answer: Answer, json: boolean): number {
  if (json) process.stdout.write(`${JSON.stringify(answer)}\n`);
  else if (answer.ok) {
    const { ok: _ok, ...rest } = answer;
    process.stdout.write(`${human(rest).trimStart()}\n`);
  } else {
    const { code, message, ...details } = answer.error;
    process.stderr.write(`Refused (${code}): ${message}\n`);
    if (Object.keys(details).length > 0) process.stderr.write(`${human(details).trimStart()}\n`);
  }
  if (answer.ok) return 0;
  return USAGE_CODES.has(answer.error.code) ? 2 : 1;
}

async function serve(config: Config, parsed: Parsed, json: boolean): Promise<number> {
  const host = String(parsed.flags.host ?? config.host);
  const port = parsed.flags.port !== undefined ? portFrom(String(parsed.flags.port), '--port', config.port) : config.port;
  const { app, created } = Appliance.init(config);
  app.store.startBackgroundCheckpoints();
  if (created) console.error(`Created a new store in ${config.dataDir} (device ${app.store.deviceId}).`);
  // Not on a box whose first admin needs the enrolment code: the demo's admin has a published PIN.
  if (parsed.flags['offer-demo'] && isEmptyCage(app) && !app.enrolmentCodeRequired()) {
    let load = process.env.ASSETTRACK_DEMO === '1';
    if (!load && process.stdin.isTTY && process.env.ASSETTRACK_DEMO !== '0') {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      load = !/^n/i.test((await rl.question('The store is empty. Load the demo cage (3 cases, 40 laptops, 12 holders)? [Y/n] ')).trim());
      rl.close();
    } else if (!load) {
      console.error('The store is empty: run "assettrack seed-demo" (or set ASSETTRACK_DEMO=1) to load the demo cage.');
    }
    if (load) {
      console.error(`Loaded the demo cage: ${seedDemo(app)} events. Badges: ${DEMO_OPERATORS.map((o) => `${o.badge}/PIN ${o.pin} (${o.role})`).join(', ')}.`);
    }
  }
  const { listen } = await import('../http/server.ts'); // only serve needs Express
  const { startDevices } = await import('../intake/start-devices.ts'); // and the device listeners
  const devices = await startDevices(app, config.devices);
  let server;
  try {
    server = await listen(app, host, port, undefined, devices.hub);
  } catch (err) {
    await devices.hub.stop();
    app.close();
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'EADDRINUSE' ? `Port ${port} on ${host} is already in use; stop the other program or set ASSETTRACK_PORT.`
      : `Cannot listen on ${host}:${port} (${code ?? (err as Error).message}).`;
    return print({ ok: false, error: { code: code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'CANNOT_LISTEN', message } }, json);
  }
  // A restore must not swap the store under a running kiosk: it looks for this file and a live pid.
  const pidFile = join(config.dataDir, SERVE_PID_FILE);
  writeFileSync(pidFile, `${process.pid}\n`);
  console.error(`AssetTrack kiosk on http://${host}:${port}/ — data in ${config.dataDir}. Ctrl-C stops it.`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  rmSync(pidFile, { force: true });
  await devices.hub.stop(); // ports closed, GPIO released, before the store closes under a late scan
  app.close();
  return 0;
}

/** --second-operator BADGE --second-pin PIN: the two-person rule's second admin (both or neither). */
function secondAdmin(parsed: Parsed): { badge: string; pin: string } | undefined {
  const badge = parsed.flags['second-operator'];
  const pin = parsed.flags['second-pin'];
  if (badge === undefined && pin === undefined) return undefined;
  if (typeof badge !== 'string' || typeof pin !== 'string') throw new UsageError('Give both --second-operator BADGE and --second-pin PIN.');
  return { badge, pin };
}

async function main(argv: string[]): Promise<number> {
  let json = argv.includes('--json');
  try {
    const parsed = parseArgs(argv);
    json = parsed.flags.json === true;
    if (parsed.command === 'help' || parsed.command === '--help' || parsed.flags.help) {
      if (json) return print({ ok: true, commands: commandList().map(([name, summary]) => ({ name, summary })) }, true);
      process.stdout.write(helpText());
      return 0;
    }
    const config = loadConfig();
    const special = SPECIAL[parsed.command];
    if (special) {
      checkFlags(parsed, special.flags);
      if (parsed.positionals.length > 0) throw new UsageError(`"${parsed.command}" takes no arguments.`);
      if (parsed.command === 'serve') return await serve(config, parsed, json);
      if (parsed.command === 'init') {
        const { app, created, fingerprint } = Appliance.init(config, parsed.flags['device-id'] as string | undefined);
        const answer: Answer = { ok: true, created, device_id: app.store.deviceId, key_fingerprint: fingerprint, data_dir: config.dataDir };
        app.close();
        return print(answer, json);
      }
      const { app } = Appliance.init(config);
      try {
        return print({ ok: true, events: seedDemo(app), operators: DEMO_OPERATORS.map(({ pin: _pin, ...o }) => o) }, json);
      } catch (err) {
        if (err instanceof DomainError) return print(refusal(err), json);
        throw err;
      } finally {
        app.close();
      }
    }
    const exportCommand = EXPORT_COMMANDS[parsed.command];
    if (exportCommand) {
      checkFlags(parsed, exportCommand.flags);
      if (parsed.positionals.length !== 1) throw new UsageError(`"${parsed.command}" takes one ${exportCommand.positional}: assettrack ${parsed.command} ${exportCommand.positional}`);
      const progress = !json && process.stderr.isTTY ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
      return print(await runExportCommand(parsed.command, { positional: parsed.positionals[0]!, flags: parsed.flags, config, progress }), json);
    }
    const op = OPERATIONS[parsed.command];
    if (!op) throw new UsageError(`Unknown command "${parsed.command}". Try: assettrack help`);
    checkFlags(parsed, op.flags);
    const input: Input = {};
    for (const [name, value] of Object.entries(parsed.flags)) input[name.replace(/-/g, '_')] = value;
    if (op.positional?.endsWith('...')) input[op.positional.slice(0, -3)] = parsed.positionals;
    else if (op.positional) {
      if (parsed.positionals.length > 1) throw new UsageError(`"${parsed.command}" takes one ${op.positional.replace(/_ref$/, '')}; got ${parsed.positionals.length}.`);
      if (parsed.positionals[0] !== undefined) input[op.positional] = parsed.positionals[0];
    } else if (parsed.positionals.length > 0) throw new UsageError(`"${parsed.command}" takes no positional arguments.`);
    const app = Appliance.open(config);
    try {
      let actor: Actor = { kind: 'console' };
      if (typeof parsed.flags.operator === 'string') {
        try {
          actor = app.operatorByBadge(parsed.flags.operator);
        } catch (err) {
          if (err instanceof DomainError) return print(refusal(err), json);
          throw err;
        }
      }
      const key = typeof parsed.flags.key === 'string' ? parsed.flags.key : undefined;
      const second = secondAdmin(parsed);
      return print(runOperation(parsed.command, { app, actor, source: 'console', key, second }, input), json);
    } finally {
      app.close();
    }
  } catch (err) {
    if (err instanceof UsageError) {
      return print({ ok: false, error: { code: 'USAGE', message: err.message } }, json);
    }
    if (err instanceof ConfigError) {
      return print({ ok: false, error: { code: 'BAD_CONFIG', message: err.message } }, json);
    }
    if (err instanceof StoreError) {
      print({ ok: false, error: { code: err.code, message: err.message } }, json);
      return 3;
    }
    if (err instanceof DomainError) return print(refusal(err), json);
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));
