// The command surface shared by the CLI and the JSON API: one entry per command name of docs/cli.md.
// Each entry reads its input, runs a command through Appliance.execute or answers a query, and returns
// the JSON answer ({ok: true, ...} or {ok: false, error: {code, message, ...}}).
import { readFileSync } from 'node:fs';
import type { Appliance, Outcome } from './appliance.ts';
import { parseAssetCsv, parseHolderCsv } from './csv.ts';
import { DomainError } from './domain/errors.ts';
import { findAsset, findCase, findHolder } from './domain/state.ts';
import type { Actor, Command, HolderKind, ImportRowResult, ReceiptInput, RecordedEvent, Role, SignatureInput, Source } from './domain/types.ts';
import { tagKey } from './domain/tags.ts';
import { planAssetImport, planHolderImport } from './domain/import-plan.ts';
import {
  assetQuery, assetView, casesQuery, cradleBatchesQuery, dashboardCounts, historyQuery, holderView, holdingsQuery, missingQuery, overdueQuery,
  sweepScheduleQuery,
} from './queries.ts';
import { ensureDeviceKey } from './secrets.ts';
import { verifyChain } from './store/verify-chain.ts';

export type Input = Record<string, unknown>;

const SCAN_SOURCES: Source[] = ['wedge', 'hid', 'cradle', 'touch'];
export type Answer = { ok: true; [key: string]: unknown } | { ok: false; error: { code: string; message: string; [key: string]: unknown } };

/** Bad input to a command (CLI exit code 2, HTTP 400): missing argument, wrong type, unreadable file. */
export class UsageError extends Error {}

export interface OpContext {
  app: Appliance;
  /** CLI: the --operator, else the console. HTTP: the session's operator, else 'system' (which no rule admits). */
  actor: Actor;
  source: Source;
  key?: string;
  /** a second admin's badge and PIN (--second-operator/--second-pin; "second_operator"/"second_pin" in the API) */
  second?: { badge: string; pin: string };
}

export interface Operation {
  summary: string;
  /** CLI: name of the positional argument(s); "tags..." takes several. */
  positional?: string;
  flags: string[];
  /** whether it records events (HTTP requires an Idempotency-Key for these); import previews do not */
  writes: boolean | ((input: Input) => boolean);
  run(ctx: OpContext, input: Input): Answer;
}

// ---- input helpers ---------------------------------------------------------------------------------
/** How a missing argument is named to a person (CLI flag or API field alike). */
const ARGUMENT_NAMES: Record<string, string> = {
  operator_ref: 'the operator to deactivate (badge or id)', tags: 'at least one asset tag', seq: 'the event number to correct',
};

function text(input: Input, name: string, required: true): string;
function text(input: Input, name: string, required?: false): string | undefined;
function text(input: Input, name: string, required = false): string | undefined {
  const v = input[name];
  if (v === undefined || v === null || v === '' || v === true) {
    if (required) throw new UsageError(`Missing ${ARGUMENT_NAMES[name] ?? name.replace(/_/g, '-')}.`);
    return undefined;
  }
  if (typeof v !== 'string' && typeof v !== 'number') throw new UsageError(`${name} must be text.`);
  return String(v);
}

function list(input: Input, name: string): string[] {
  const v = input[name];
  if (v === undefined || v === null || v === '') return [];
  const items = Array.isArray(v) ? v : String(v).split(',');
  return items.map((x) => String(x).trim()).filter(Boolean);
}

function whole(input: Input, name: string, fallback?: number): number {
  const v = input[name] ?? fallback;
  if (v === undefined || v === '' || v === true) throw new UsageError(`Missing ${ARGUMENT_NAMES[name] ?? name}.`);
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`${name} must be a whole number.`);
  return n;
}

function flag(input: Input, name: string): boolean {
  const v = input[name];
  return v === true || v === 'true' || v === '1' || v === 1;
}

// ---- answers ---------------------------------------------------------------------------------------
export function refusal(error: DomainError): Answer {
  return { ok: false, error: { code: error.code, message: error.message, ...error.details } };
}

const eventList = (events: RecordedEvent[]) => events.map((e) => ({ seq: e.seq, type: e.type, subject: e.subject }));

/** An outcome as an answer; a retried idempotency key says so with "replayed": true. */
export function answerOf(outcome: Outcome<unknown>): Answer {
  if (!outcome.ok) return refusal(outcome.error);
  return { ok: true, ...(outcome.response as Record<string, unknown>), ...(outcome.replayed ? { replayed: true } : {}) };
}

/** Runs a command as the context's actor and shapes the answer. */
function command(ctx: OpContext, cmd: Command, respond: (events: RecordedEvent[]) => Record<string, unknown> = () => ({})): Answer {
  return answerOf(ctx.app.execute(cmd, { actor: ctx.actor, source: ctx.source, key: ctx.key, second: ctx.second }, (events) => ({
    events: eventList(events), ...respond(events),
  })));
}

/** Queries throw DomainError for unknown references; this turns them into answers. */
function query(fn: () => Record<string, unknown>): Answer {
  try {
    return { ok: true, ...fn() };
  } catch (err) {
    if (err instanceof DomainError) return refusal(err);
    throw err;
  }
}

function readInputFile(input: Input): string {
  if (typeof input.csv === 'string') return input.csv;
  if (input.file === undefined) throw new UsageError('Give the CSV file (CLI) or the CSV text in "csv" (API).');
  const file = text(input, 'file', true);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}

function importAnswer(ctx: OpContext, input: Input, kind: 'assets' | 'holders'): Answer {
  let rows;
  try {
    rows = kind === 'assets' ? parseAssetCsv(readInputFile(input)) : parseHolderCsv(readInputFile(input));
  } catch (err) {
    if (err instanceof DomainError) return refusal(err);
    throw err;
  }
  const state = ctx.app.state();
  const preview: ImportRowResult[] = (kind === 'assets'
    ? planAssetImport(state, rows as ReturnType<typeof parseAssetCsv>)
    : planHolderImport(state, rows as ReturnType<typeof parseHolderCsv>)).map((p) => p.result);
  const errors = preview.filter((r) => r.status === 'error').length;
  if (!flag(input, 'commit')) {
    return { ok: true, committed: false, rows: preview, summary: summarize(preview) };
  }
  if (errors > 0) {
    return { ok: false, error: { code: 'IMPORT_HAS_ERRORS', message: `${errors} row(s) have errors; nothing was imported.`, rows: preview, committed: false } };
  }
  const cmd: Command = kind === 'assets'
    ? { type: 'ImportAssets', rows: rows as ReturnType<typeof parseAssetCsv> }
    : { type: 'ImportHolders', rows: rows as ReturnType<typeof parseHolderCsv> };
  // The preview goes into the stored answer, so a retried key returns it as it was, not re-planned.
  return command({ ...ctx, source: 'import' }, cmd, () => ({ committed: true, rows: preview, summary: summarize(preview) }));
}

function summarize(rows: ImportRowResult[]) {
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  return { new: count('new'), update: count('update'), unchanged: count('unchanged'), error: count('error') };
}

/** A hand receipt's acknowledgement from the input: "signature" ({width, height, strokes}) or an --ack-badge. */
function receiptInput(input: Input): ReceiptInput | undefined {
  const signature = input.signature;
  const badge = text(input, 'ack_badge');
  if (signature === undefined && badge === undefined) return undefined;
  if (signature !== undefined && (typeof signature !== 'object' || signature === null)) throw new UsageError('signature is {"width", "height", "strokes": [[[x, y], …], …]}.');
  return { signature: (signature as SignatureInput | undefined) ?? null, badge: badge ?? null };
}

function receiptAnswer(events: RecordedEvent[]): Record<string, unknown> {
  const receipt = events.find((e) => e.type === 'HandReceiptSigned');
  return receipt ? { receipt: { seq: receipt.seq, content_sha256: receipt.data.content_sha256, acknowledgement: receipt.data.acknowledgement } } : {};
}

function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}

/** The asset scans an operator made since their sweep started (the scans are events already). */
function sweepScans(ctx: OpContext, startedSeq: number): { seqs: number[]; tags: string[] } {
  const me = ctx.actor.kind === 'operator' ? ctx.actor.id : ctx.actor.kind;
  const rows = ctx.app.store.db.prepare(
    "SELECT seq, data FROM events WHERE seq > ? AND type = 'ScanCaptured' AND actor = ? ORDER BY seq",
  ).all(startedSeq, me) as { seq: number; data: string }[];
  const seqs: number[] = [];
  const tags: string[] = [];
  for (const r of rows) {
    const d = JSON.parse(r.data) as { kind?: string; ref?: string; duplicate?: boolean };
    if (d.kind !== 'asset' || d.duplicate || !d.ref) continue;
    seqs.push(r.seq);
    if (!tags.includes(d.ref)) tags.push(d.ref);
  }
  return { seqs, tags };
}

function holderKind(input: Input): HolderKind | undefined {
  const kind = text(input, 'kind');
  if (kind !== undefined && kind !== 'person' && kind !== 'team') throw new UsageError('The kind is person or team.');
  return kind;
}

function role(input: Input): Role {
  const r = text(input, 'role') ?? 'operator';
  if (r !== 'operator' && r !== 'admin') throw new UsageError('--role is operator or admin.');
  return r;
}

// ---- the commands ----------------------------------------------------------------------------------
export const OPERATIONS: Record<string, Operation> = {
  'register-case': {
    summary: 'Register a case with numbered slots', flags: ['label', 'slots'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'RegisterCase', label: text(i, 'label', true), slots: whole(i, 'slots') }, (events) => {
      const c = findCase(ctx.app.state(), events[0]!.subject);
      return { case: { label: c.label, slots: c.slots } };
    }),
  },
  'register-asset': {
    summary: 'Register an asset (optionally into its home slot)', flags: ['tag', 'serial', 'type', 'make', 'model', 'notes', 'slot'], writes: true,
    run: (ctx, i) => command(ctx, {
      type: 'RegisterAsset', tag: text(i, 'tag', true), serial: text(i, 'serial', true), assetType: text(i, 'type'),
      make: text(i, 'make'), model: text(i, 'model'), notes: text(i, 'notes'), slot: text(i, 'slot'),
    }, (events) => ({ asset: assetView(ctx.app.state(), findAsset(ctx.app.state(), events[0]!.subject)) })),
  },
  'update-asset': {
    summary: 'Change an asset\'s serial, type, make, model or notes', positional: 'tag', flags: ['serial', 'type', 'make', 'model', 'notes'], writes: true,
    run: (ctx, i) => command(ctx, {
      type: 'UpdateAsset', tag: text(i, 'tag', true), serial: text(i, 'serial'), assetType: text(i, 'type'),
      make: text(i, 'make'), model: text(i, 'model'), notes: text(i, 'notes'),
    }, () => ({ asset: assetView(ctx.app.state(), findAsset(ctx.app.state(), text(i, 'tag', true))) })),
  },
  'register-holder': {
    summary: 'Register a person or team who can hold equipment', flags: ['name', 'badge', 'org', 'kind'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'RegisterHolder', name: text(i, 'name', true), badge: text(i, 'badge'), org: text(i, 'org'), kind: holderKind(i) },
      (events) => ({ holder: holderView(ctx.app.state().holders.get(events[0]!.subject)!) })),
  },
  'update-holder': {
    summary: 'Change a holder\'s name, badge, organization or kind', positional: 'holder', flags: ['name', 'badge', 'org', 'kind'], writes: true,
    run: (ctx, i) => command(ctx, {
      type: 'UpdateHolder', holder: text(i, 'holder', true), name: text(i, 'name'), badge: i.badge === undefined ? undefined : String(i.badge ?? ''),
      org: text(i, 'org'), kind: holderKind(i),
    }, (events) => ({ holder: holderView(ctx.app.state().holders.get(events[0]!.subject)!) })),
  },
  'deactivate-holder': {
    summary: 'Deactivate a holder (they can no longer receive equipment)', positional: 'holder', flags: ['reason'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'DeactivateHolder', holder: text(i, 'holder', true), reason: text(i, 'reason') },
      (events) => ({ holder: holderView(ctx.app.state().holders.get(events[0]!.subject)!) })),
  },
  'reactivate-holder': {
    summary: 'Reactivate a deactivated holder', positional: 'holder', flags: ['reason'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'ReactivateHolder', holder: text(i, 'holder', true), reason: text(i, 'reason') },
      (events) => ({ holder: holderView(ctx.app.state().holders.get(events[0]!.subject)!) })),
  },
  'register-operator': {
    summary: 'Register an operator or admin with badge and PIN (the first admin of a new box: with its --enrolment-code)',
    flags: ['name', 'badge', 'pin', 'role', 'enrolment-code'], writes: true,
    run: (ctx, i) => {
      const outcome = ctx.app.registerOperator(
        { name: text(i, 'name', true), badge: text(i, 'badge', true), pin: text(i, 'pin', true), role: role(i), enrolmentCode: text(i, 'enrolment_code') },
        { actor: ctx.actor, source: ctx.source, key: ctx.key, second: ctx.second },
      );
      return answerOf(outcome);
    },
  },
  'deactivate-operator': {
    summary: 'Deactivate an operator', positional: 'operator_ref', flags: ['reason'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'DeactivateOperator', operator: text(i, 'operator_ref', true), reason: text(i, 'reason') }),
  },
  issue: {
    summary: 'Issue assets to a holder (all or nothing), due back --due DATE (default by type; "none" = open-ended)', positional: 'tags...',
    flags: ['holder', 'reason', 'batch', 'due', 'ack-badge'], writes: true,
    run: (ctx, i) => command(ctx, {
      type: 'Issue', tags: list(i, 'tags'), holder: text(i, 'holder', true), reason: text(i, 'reason'), batch: text(i, 'batch'), due: text(i, 'due'),
      receipt: receiptInput(i), requireReceipt: ctx.source === 'touch',
    }, (events) => receiptAnswer(events)),
  },
  return: {
    summary: 'Return assets to their home slots, or one asset to --slot; --returned-by BADGE when not the holder', positional: 'tags...',
    flags: ['slot', 'batch', 'returned-by', 'ack-badge'], writes: true,
    run: (ctx, i) => command(ctx, {
      type: 'Return', tags: list(i, 'tags'), slot: text(i, 'slot'), batch: text(i, 'batch'), returnedBy: text(i, 'returned_by'),
      receipt: receiptInput(i), requireReceipt: ctx.source === 'touch',
    }, (events) => receiptAnswer(events)),
  },
  'extend-due': {
    summary: 'Change an issued asset\'s return date (--due DATE or none) with a reason', positional: 'tag', flags: ['due', 'reason'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'ExtendDue', tag: text(i, 'tag', true), due: text(i, 'due', true), reason: text(i, 'reason') ?? '' },
      (events) => ({ tag: events[0]!.subject, from: events[0]!.data.from, to: events[0]!.data.to })),
  },
  'set-terms': {
    summary: 'Change the terms text holders sign under (admin; a new version)', flags: ['text', 'file'], writes: true,
    run: (ctx, i) => {
      const textIn = typeof i.text === 'string' ? i.text : i.file !== undefined ? readTextFile(text(i, 'file', true)) : undefined;
      if (textIn === undefined) throw new UsageError('Give the terms as --text "…" or --file FILE.');
      return command(ctx, { type: 'SetTerms', text: textIn }, (events) => ({ terms: { version: events[0]!.data.version, sha256: events[0]!.data.sha256 } }));
    },
  },
  terms: {
    summary: 'The terms text holders sign under now', flags: [], writes: false,
    run: (ctx) => ({ ok: true, terms: ctx.app.state().terms }),
  },
  'sweep-start': {
    summary: 'Start (or resume) a sweep of a case, or of the whole cage with --cage', positional: 'case', flags: ['cage'], writes: true,
    run: (ctx, i) => {
      const cage = flag(i, 'cage');
      const box = text(i, 'case');
      if (cage === (box !== undefined)) throw new UsageError('Give either a case or --cage, not both.');
      return command(ctx, cage ? { type: 'StartSweep', cage: true } : { type: 'StartSweep', case: box }, (events) => {
        const open = ctx.app.state().openSweeps.get(cage ? 'CAGE' : findCase(ctx.app.state(), box!).key)!;
        return { resumed: events.length === 0, sweep: { scope: open.label, started_seq: open.startedSeq, started_at: open.startedAt }, seen: sweepScans(ctx, open.startedSeq).tags };
      });
    },
  },
  'sweep-abandon': {
    summary: 'Give up an open sweep without a result (its operator, or an admin)', positional: 'case', flags: ['cage', 'reason'], writes: true,
    run: (ctx, i) => {
      const cage = flag(i, 'cage');
      const box = text(i, 'case');
      if (cage === (box !== undefined)) throw new UsageError('Give either a case or --cage, not both.');
      return command(ctx, cage ? { type: 'AbandonSweep', cage: true, reason: text(i, 'reason') } : { type: 'AbandonSweep', case: box, reason: text(i, 'reason') });
    },
  },
  'sweep-schedule': {
    summary: 'When each case was last swept and is next due; today\'s proposed sweep', flags: [], writes: false,
    run: (ctx) => query(() => sweepScheduleQuery(ctx.app.state(), ctx.app.now(), ctx.app.config.custody.sweepIntervalDays)),
  },
  move: {
    summary: 'Move an asset in storage to another empty slot (re-homes it)', positional: 'tag', flags: ['slot'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'Move', tag: text(i, 'tag', true), slot: text(i, 'slot', true) }),
  },
  sweep: {
    summary: 'Inventory sweep of a case (TAG or TAG@N seen) or of the whole cage with --cage (TAG or TAG@CASE/N seen)', positional: 'case', flags: ['seen', 'cage', 'batch'], writes: true,
    run: (ctx, i) => {
      const cage = flag(i, 'cage');
      const box = text(i, 'case');
      if (cage === (box !== undefined)) {
        throw new UsageError('Give either a case to sweep or --cage ("cage": true in the API) for the whole cage, not both.');
      }
      // A forgotten --seen would mark the whole case missing: it must be given, empty only on purpose.
      if (i.seen === undefined || i.seen === true) {
        throw new UsageError(`Give the tags seen in the ${cage ? 'cage' : 'case'} (--seen TAG,TAG… or "seen" in the API); give it empty when the ${cage ? 'cage' : 'case'} was empty.`);
      }
      const seen = list(i, 'seen');
      const batch = text(i, 'batch');
      // A sweep that was started names the scans made since: they are its evidence.
      const state = ctx.app.state();
      const open = state.openSweeps.get(cage ? 'CAGE' : (state.cases.get(tagKey(box!))?.key ?? ''));
      const scanSeqs = open ? sweepScans(ctx, open.startedSeq).seqs : [];
      const answer = command(ctx, cage ? { type: 'Sweep', cage: true, seen, batch, scanSeqs } : { type: 'Sweep', case: box!, seen, batch, scanSeqs });
      if (!answer.ok) return answer;
      const summary = ctx.app.store.event((answer.events as { seq: number }[]).at(-1)!.seq)!.data;
      return {
        ...answer, case: summary.case, ...(cage ? { scope: summary.scope, cases: summary.cases } : {}),
        expected: summary.expected, verified: summary.verified, missing: summary.missing, unexpected: summary.unexpected, wrong_slot: summary.wrong_slot, found: summary.found,
      };
    },
  },
  'mark-missing': {
    summary: 'Mark an asset missing', positional: 'tag', flags: ['reason'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'MarkMissing', tag: text(i, 'tag', true), reason: text(i, 'reason') }),
  },
  found: {
    summary: 'Record a missing asset as found', positional: 'tag', flags: ['reason'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'Found', tag: text(i, 'tag', true), reason: text(i, 'reason') }),
  },
  condition: {
    summary: 'Change an asset\'s condition (operational, degraded, in_repair, out_of_service)', positional: 'tag', flags: ['condition', 'note'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'ChangeCondition', tag: text(i, 'tag', true), condition: text(i, 'condition', true), note: text(i, 'note') }),
  },
  retire: {
    summary: 'Retire an asset (admin)', positional: 'tag', flags: ['reason'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'Retire', tag: text(i, 'tag', true), reason: text(i, 'reason') ?? '' }),
  },
  correct: {
    summary: 'Correct a mistaken event by a new event that references it (admin)', positional: 'seq', flags: ['reason'], writes: true,
    run: (ctx, i) => {
      const target = ctx.app.store.event(whole(i, 'seq'));
      if (!target) return refusal(new DomainError('UNKNOWN_EVENT', `There is no event ${i.seq}.`));
      return command(ctx, { type: 'Correct', target, reason: text(i, 'reason') ?? '' });
    },
  },
  scan: {
    summary: 'Record a scan through intake and classify it', positional: 'text', flags: ['source', 'device'], writes: true,
    run: (ctx, i) => {
      const raw = typeof i.text === 'string' ? i.text : '';
      const source = (text(i, 'source') ?? 'wedge') as Source;
      if (!SCAN_SOURCES.includes(source)) throw new UsageError(`--source is one of ${SCAN_SOURCES.join(', ')}.`);
      const outcome = ctx.app.execute(
        { type: 'RecordScan', text: raw, rawHex: Buffer.from(raw, 'utf8').toString('hex'), source, device: text(i, 'device') ?? 'console' },
        // The event's source says how the scan reached the log (kiosk page, API client, console); data.source
        // says which kind of scanner read it. Badge sign-in trusts only scans that came through the kiosk.
        { actor: ctx.actor, source: ctx.source, key: ctx.key },
        (events) => {
          const e = events[0]!;
          return { scan: { seq: e.seq, kind: e.data.kind, value: e.data.value, ref: e.data.ref, duplicate: e.data.duplicate, reason: e.data.reason } };
        },
      );
      return answerOf(outcome);
    },
  },
  'cradle-batches': {
    summary: 'Uploads from the batch scanner cradle (--pending: only those not yet used or dismissed)', flags: ['pending'], writes: false,
    run: (ctx, i) => query(() => cradleBatchesQuery(ctx.app, flag(i, 'pending'))),
  },
  'cradle-dismiss': {
    summary: 'Dismiss a pending cradle upload without changing custody', positional: 'batch', flags: ['reason'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'DismissCradleBatch', batch: text(i, 'batch', true), reason: text(i, 'reason') }),
  },
  'ui-action': {
    summary: 'Record a tap on the kiosk (screen, action, target)', flags: ['screen', 'action', 'target'], writes: true,
    run: (ctx, i) => command(ctx, { type: 'RecordUiAction', screen: text(i, 'screen', true), action: text(i, 'action', true), target: text(i, 'target') ?? '' }),
  },
  'import-assets': {
    summary: 'Preview an asset CSV; --commit applies it all or nothing', positional: 'file', flags: ['commit'], writes: (i) => flag(i, 'commit'),
    run: (ctx, i) => importAnswer(ctx, i, 'assets'),
  },
  'import-holders': {
    summary: 'Preview a holder CSV; --commit applies it all or nothing', positional: 'file', flags: ['commit'], writes: (i) => flag(i, 'commit'),
    run: (ctx, i) => importAnswer(ctx, i, 'holders'),
  },
  asset: {
    summary: 'Show one asset', positional: 'tag', flags: [], writes: false,
    run: (ctx, i) => query(() => assetQuery(ctx.app.state(), text(i, 'tag', true))),
  },
  history: {
    summary: 'Every event of one asset, oldest first', positional: 'tag', flags: [], writes: false,
    run: (ctx, i) => query(() => historyQuery(ctx.app, text(i, 'tag', true))),
  },
  holdings: {
    summary: 'Who holds what right now (one holder, or everyone holding something)', positional: 'holder', flags: [], writes: false,
    run: (ctx, i) => query(() => holdingsQuery(ctx.app.state(), ctx.app.now(), text(i, 'holder'))),
  },
  holder: {
    summary: 'Show one holder', positional: 'holder', flags: [], writes: false,
    run: (ctx, i) => query(() => ({ holder: holderView(findHolder(ctx.app.state(), text(i, 'holder', true))) })),
  },
  overdue: {
    summary: 'Assets issued for at least --days days (default 14)', flags: ['days'], writes: false,
    run: (ctx, i) => query(() => overdueQuery(ctx.app.state(), ctx.app.now(), whole(i, 'days', 14))),
  },
  missing: {
    summary: 'Assets marked missing', flags: [], writes: false,
    run: (ctx) => query(() => missingQuery(ctx.app.state())),
  },
  cases: {
    summary: 'Cases and their slot occupancy', flags: [], writes: false,
    run: (ctx) => query(() => casesQuery(ctx.app.state())),
  },
  dashboard: {
    summary: 'Counts for the dashboard', flags: ['days'], writes: false,
    run: (ctx, i) => query(() => ({ counts: dashboardCounts(ctx.app.state(), ctx.app.now(), whole(i, 'days', 14)), head: ctx.app.store.head() })),
  },
  verify: {
    summary: 'Walk the hash chain; exit 1 naming the first bad event', flags: [], writes: false,
    run: (ctx) => {
      const report = verifyChain(ctx.app.store);
      if (report.ok) return { ok: true, count: report.count, head: report.head };
      return { ok: false, error: { code: report.code, message: report.message, seq: report.seq, count: report.count } };
    },
  },
  rebuild: {
    summary: 'Replay every event; --check compares with the live projections, without it rewrites them', flags: ['check'], writes: false,
    run: (ctx, i) => {
      if (!flag(i, 'check') && ctx.actor.kind !== 'console') {
        return refusal(new DomainError('CONSOLE_REQUIRED', 'Rewriting the projections is done from a shell on the box (assettrack rebuild).'));
      }
      const started = performance.now();
      const replayed = ctx.app.store.replay();
      const differences = ctx.app.store.diffProjections(replayed);
      const ms = Math.round(performance.now() - started);
      if (flag(i, 'check')) {
        if (differences.length === 0) return { ok: true, differences, events: replayed.seq, ms };
        return { ok: false, error: { code: 'PROJECTION_DIFFERS', message: `${differences.length} projection row(s) differ from a replay of the log.`, differences } };
      }
      ctx.app.rewriteProjections(replayed);
      return { ok: true, rewritten: differences.length, differences, events: replayed.seq, ms };
    },
  },
  key: {
    summary: 'The device key fingerprint', flags: [], writes: false,
    run: (ctx) => ({ ok: true, fingerprint: ensureDeviceKey(ctx.app.config.dataDir).fingerprint, device_id: ctx.app.store.deviceId }),
  },
};

export function runOperation(name: string, ctx: OpContext, input: Input): Answer {
  const op = OPERATIONS[name];
  if (!op) throw new UsageError(`Unknown command "${name}".`);
  try {
    return op.run(ctx, input);
  } catch (err) {
    if (err instanceof DomainError) return refusal(err);
    throw err;
  }
}

