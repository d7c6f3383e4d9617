// The appliance: one open store, the cage state in memory, and the single write path every interface
// (CLI, HTTP, devices) goes through. execute() = catch up → idempotency check → decide → append → answer,
// all inside one IMMEDIATE transaction; the answer is given only after it committed.
import { createHash, createPrivateKey, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { SOFTWARE_VERSION, type Config } from './config.ts';
import { decide } from './domain/decide.ts';
import { ENROLMENT_SUBJECT, enrolmentLocked } from './domain/enrolment.ts';
import { DomainError, refuse } from './domain/errors.ts';
import { findOperatorByBadge } from './domain/state.ts';
import { tagKey } from './domain/tags.ts';
import type { Actor, CageState, Command, DecideContext, EnrolmentGate, Operator, RecordedEvent, Role, Source } from './domain/types.ts';
import { readEnrolmentCode, retireEnrolmentCode } from './enrolment-code.ts';
import { canonicalJson } from './store/canonical.ts';
import { EventStore, StoreError } from './store/event-store.ts';
import { PRIVATE_KEY_FILE, checkPin, ensureDeviceKey, hashPin, pinProblem } from './secrets.ts';
import { lockState, type LockState } from './sign-in-lockout.ts';

export interface ExecuteOptions {
  actor: Actor;
  source: Source;
  /** Idempotency key from the caller: the same key again returns the first answer and writes nothing. */
  key?: string;
  /** Device clock time of the action (a cradle record's own time); default now. */
  occurredAt?: string;
  /** a second admin's badge and PIN, for actions under the two-person rule */
  second?: { badge: string; pin: string };
}

export type Outcome<T> =
  | { ok: true; events: RecordedEvent[]; response: T; replayed: boolean }
  | { ok: false; error: DomainError };

type Respond<T> = (events: RecordedEvent[], state: CageState) => T;

export class Appliance {
  readonly store: EventStore;
  readonly config: Config;
  readonly now: () => Date;
  private cage: CageState;

  private constructor(store: EventStore, config: Config, now: () => Date) {
    this.store = store;
    this.config = config;
    this.now = now;
    this.cage = store.loadState();
  }

  /** Opens an initialized store (StoreError when there is none or it cannot be used). */
  static open(config: Config, now: () => Date = () => new Date()): Appliance {
    const store = EventStore.open(config.dataDir);
    if (store.head().seq === 0) {
      store.close();
      throw new StoreError('STORE_NOT_INITIALIZED', `The store in ${config.dataDir} was never initialized. Run "assettrack init" first.`);
    }
    return new Appliance(store, config, now);
  }

  /** Creates the store and device key if missing; never touches an existing store. */
  static init(config: Config, deviceId?: string, now: () => Date = () => new Date()): { app: Appliance; created: boolean; fingerprint: string } {
    const wanted = deviceId?.trim().toUpperCase();
    if (wanted) {
      const problem = deviceIdProblem(wanted);
      if (problem) throw new DomainError('BAD_DEVICE_ID', problem);
    }
    const store = EventStore.open(config.dataDir, { create: true });
    const key = ensureDeviceKey(config.dataDir);
    const app = new Appliance(store, config, now);
    if (store.head().seq > 0) return { app, created: false, fingerprint: key.fingerprint };
    const id = wanted || defaultDeviceId();
    // The device id (which the genesis hash is derived from) and the first event commit together.
    store.transaction(() => {
      store.setMeta('device_id', id);
      const outcome = app.execute(
        { type: 'InitStore', deviceId: id, keyFingerprint: key.fingerprint, softwareVersion: SOFTWARE_VERSION },
        { actor: { kind: 'system' }, source: 'system' },
        () => null,
      );
      if (!outcome.ok) throw outcome.error;
    });
    return { app, created: true, fingerprint: key.fingerprint };
  }

  close(): void {
    this.store.close();
  }

  /** The current state, caught up with anything another process (the CLI beside the kiosk) recorded. */
  state(): CageState {
    this.store.catchUp(this.cage);
    return this.cage;
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  execute<T>(command: Command, opts: ExecuteOptions, respond: Respond<T>, alsoInTransaction?: (events: RecordedEvent[]) => void): Outcome<T> {
    const fingerprint = createHash('sha256').update(canonicalJson({ command, actor: actorName(opts.actor) })).digest('hex');
    let second: { id: string } | undefined;
    if (opts.second) {
      const checked = this.checkSecondAdmin(opts.second, opts.source);
      if (!checked.ok) return checked;
      second = checked.second;
    }
    try {
      return this.store.transaction((): Outcome<T> => {
        this.store.catchUp(this.cage);
        if (opts.key) {
          const earlier = this.store.db.prepare('SELECT fingerprint, response FROM commands WHERE key = ?').get(opts.key) as
            { fingerprint: string; response: string } | undefined;
          if (earlier) {
            if (earlier.fingerprint !== fingerprint) {
              return { ok: false, error: new DomainError('IDEMPOTENCY_KEY_REUSED', 'This request key was already used for a different command; send a new key.') };
            }
            return { ok: true, events: [], response: JSON.parse(earlier.response) as T, replayed: true };
          }
        }
        const now = this.nowIso();
        const ctx = { ...this.decideContext(opts.actor, opts.occurredAt ?? now), second };
        // A hand receipt names the log's head just before it, signed, so the printed receipt stands alone.
        if ((command.type === 'Issue' || command.type === 'Return') && (command.receipt || command.requireReceipt)) ctx.checkpoint = this.checkpoint();
        // The first admin of a box with a one-time enrolment code must give it: decide() gets the code and the lock.
        if (command.type === 'RegisterOperator' && this.cage.operators.size === 0) ctx.enrolment = this.enrolmentGate() ?? undefined;
        const decision = decide(command, this.cage, ctx);
        if (!decision.ok) return decision;
        const events = this.store.append(this.cage, decision.events, {
          actor: actorName(opts.actor), source: opts.source, occurredAt: opts.occurredAt ?? now, recordedAt: now,
          idempotencyKey: opts.key ?? `auto:${randomUUID()}`,
        });
        alsoInTransaction?.(events);
        const response = respond(events, this.cage);
        if (opts.key) {
          this.store.db.prepare('INSERT INTO commands (key, fingerprint, first_seq, last_seq, response, recorded_at) VALUES (?, ?, ?, ?, ?, ?)')
            .run(opts.key, fingerprint, events[0]?.seq ?? null, events.at(-1)?.seq ?? null, JSON.stringify(response ?? null), now);
        }
        return { ok: true, events, response, replayed: false };
      });
    } catch (err) {
      // The transaction rolled back; the in-memory state may hold half of it. Reload from the tables.
      this.cage = this.store.loadState();
      throw err;
    }
  }

  /** What decide() needs besides state: the time, who acts, and the configured scan rules. */
  decideContext(actor: Actor, now = this.nowIso()): DecideContext {
    const { duplicateWindowMs, maxScanLength, scanPrefixes, custody } = this.config;
    return { now, actor, duplicateWindowMs, maxScanLength, scanPrefixes, custody };
  }

  private signingKey: KeyObject | undefined;

  /** The head of the log now, and the device key's signature of it (base64 over "assettrack-checkpoint:DEVICE:SEQ:HASH"). */
  checkpoint(): { seq: number; hash: string; signature: string } {
    const { seq, hash } = this.store.head();
    this.signingKey ??= createPrivateKey(readFileSync(join(this.config.dataDir, PRIVATE_KEY_FILE)));
    const signature = sign(null, Buffer.from(checkpointText(this.store.deviceId, seq, hash)), this.signingKey).toString('base64');
    return { seq, hash, signature };
  }

  /** The two-person rule's second admin: badge and PIN checked like a sign-in (wrong PINs count toward the lock). */
  private checkSecondAdmin(second: { badge: string; pin: string }, source: Source): { ok: true; second: { id: string } } | { ok: false; error: DomainError } {
    const op = findOperatorByBadge(this.state(), second.badge);
    if (!op || !op.active || op.role !== 'admin') {
      return { ok: false, error: new DomainError('SECOND_ADMIN_FAILED', `No active admin has badge "${second.badge.trim()}".`) };
    }
    const locked = this.refuseIfLocked(op, second.badge, source);
    if (locked) return locked;
    const cred = this.store.db.prepare('SELECT pin_hash FROM credentials WHERE operator_id = ?').get(op.id) as { pin_hash: string } | undefined;
    if (!cred || !checkPin(second.pin, cred.pin_hash)) {
      this.execute({ type: 'SignInFailed', badge: second.badge.slice(0, 64), reason: 'wrong PIN' }, { actor: { kind: 'system' }, source }, () => null);
      return (this.refuseIfLocked(op, second.badge, source, false)) ||
        { ok: false, error: new DomainError('SECOND_ADMIN_FAILED', `The second admin's badge and PIN do not match.`) };
    }
    return { ok: true, second: { id: op.id } };
  }

  /** Replaces the projection tables (and this process's state) with a replay of the log. */
  rewriteProjections(replayed: CageState): void {
    this.store.rewriteProjections(replayed);
    this.cage = this.store.loadState();
  }

  /** The acting operator for a badge (CLI --operator): must exist and be active. */
  operatorByBadge(badge: string): Actor {
    const op = findOperatorByBadge(this.state(), badge);
    if (!op) refuse('UNKNOWN_OPERATOR', `No operator has badge "${badge.trim()}".`);
    if (!op.active) refuse('OPERATOR_INACTIVE', `${op.name} is deactivated.`);
    return { kind: 'operator', id: op.id, role: op.role };
  }

  /** `enrolmentCode`: the box's one-time code, which the first admin gives where the box has one. */
  registerOperator(input: { name: string; badge: string; pin: string; role: Role; enrolmentCode?: string }, opts: ExecuteOptions) {
    const problem = pinProblem(input.pin);
    if (problem) return { ok: false as const, error: new DomainError('BAD_PIN', problem) };
    const pinHash = hashPin(input.pin);
    const outcome = this.execute(
      { type: 'RegisterOperator', name: input.name, badge: input.badge, role: input.role, enrolmentCode: input.enrolmentCode },
      opts,
      (events, state) => {
        const op = state.operators.get(events[0]!.subject)!;
        return { operator: { id: op.id, name: op.name, badge: op.badge, role: op.role } };
      },
      (events) => {
        this.store.db.prepare('INSERT OR REPLACE INTO credentials (operator_id, pin_hash, set_at) VALUES (?, ?, ?)')
          .run(events[0]!.subject, pinHash, events[0]!.recorded_at);
      },
    );
    // The store has an operator now (committed): the one-time code has done its work.
    if (outcome.ok) retireEnrolmentCode(this.config.enrolmentCodeFile);
    else if (outcome.error.code === 'ENROLMENT_CODE_WRONG' || outcome.error.code === 'ENROLMENT_LOCKED') return this.enrolmentCodeFailed(outcome, opts);
    return outcome;
  }

  /** Whether the first admin must give the box's one-time enrolment code (the first-run screen asks for it). */
  enrolmentCodeRequired(): boolean {
    return this.state().operators.size === 0 && readEnrolmentCode(this.config.enrolmentCodeFile) !== null;
  }

  /** The wrong-code lock, derived from the EnrolmentCodeFailed events like the PIN lock: it survives a restart. */
  enrolmentLock(): LockState {
    const failures = this.store.db.prepare("SELECT occurred_at, data FROM events WHERE subject = ? AND type = 'EnrolmentCodeFailed' ORDER BY seq")
      .all(ENROLMENT_SUBJECT) as { occurred_at: string; data: string }[];
    return lockState(failures.filter((f) => (JSON.parse(f.data) as { reason?: string }).reason === 'wrong code').map((f) => f.occurred_at), this.now());
  }

  private enrolmentGate(): EnrolmentGate | null {
    const code = readEnrolmentCode(this.config.enrolmentCodeFile);
    if (code === null) return null;
    const lock = this.enrolmentLock();
    return { code, lockedUntil: lock.until?.toISOString() ?? null, triesLeft: lock.triesLeft };
  }

  /** Records a wrong enrolment code (or a try during the lock); the fifth wrong one answers with the lock. */
  private enrolmentCodeFailed(outcome: { ok: false; error: DomainError }, opts: ExecuteOptions): { ok: false; error: DomainError } {
    const wrong = outcome.error.code === 'ENROLMENT_CODE_WRONG';
    this.execute({ type: 'EnrolmentCodeFailed', reason: wrong ? 'wrong code' : 'locked' }, { actor: opts.actor, source: opts.source }, () => null);
    const lock = wrong ? this.enrolmentLock() : null;
    return lock?.until ? { ok: false, error: enrolmentLocked(lock.until.toISOString(), this.nowIso()) } : outcome;
  }

  /** Badge + PIN → a session token for the HTTP API. A wrong PIN is recorded as an event; five lock the operator. */
  signIn(badge: string, pin: string, source: Source): Outcome<{ token: string; operator: { id: string; name: string; role: string } }> {
    const op = findOperatorByBadge(this.state(), badge);
    const locked = op && this.refuseIfLocked(op, badge, source);
    if (locked) return locked;
    const cred = op && (this.store.db.prepare('SELECT pin_hash FROM credentials WHERE operator_id = ?').get(op.id) as { pin_hash: string } | undefined);
    if (!op || !cred || !checkPin(pin, cred.pin_hash)) {
      const reason = op ? 'wrong PIN' : 'unknown badge';
      this.execute({ type: 'SignInFailed', badge: badge.slice(0, 64), reason }, { actor: { kind: 'system' }, source }, () => null);
      return (op && this.refuseIfLocked(op, badge, source, false)) ||
        { ok: false, error: new DomainError('SIGN_IN_FAILED', 'That badge and PIN do not match an operator.') };
    }
    return this.openSession(op, 'pin', source);
  }

  /**
   * A badge alone (the kiosk's badge scan) → a session. The caller vouches that the badge was scanned at
   * this kiosk; a locked or deactivated operator is refused all the same.
   */
  signInWithBadge(badge: string, source: Source): Outcome<{ token: string; operator: { id: string; name: string; role: string } }> {
    const op = findOperatorByBadge(this.state(), badge);
    if (!op) return { ok: false, error: new DomainError('SIGN_IN_FAILED', `No operator has badge "${badge.trim()}".`) };
    return this.refuseIfLocked(op, badge, source) || this.openSession(op, 'badge', source);
  }

  /** The operator's PIN lock, derived from the sign-in failures recorded since their last sign-in. */
  lockOf(op: Operator): LockState {
    const last = this.store.db.prepare("SELECT coalesce(max(seq), 0) AS seq FROM events WHERE subject = ? AND type = 'OperatorSignedIn'").get(op.id) as { seq: number };
    const failures = this.store.db.prepare(
      "SELECT occurred_at, data FROM events WHERE subject = ? AND type = 'OperatorSignInFailed' AND seq > ? ORDER BY seq",
    ).all(tagKey(op.badge), last.seq) as { occurred_at: string; data: string }[];
    const wrongPins = failures.filter((f) => (JSON.parse(f.data) as { reason?: string }).reason === 'wrong PIN').map((f) => f.occurred_at);
    return lockState(wrongPins, this.now());
  }

  private refuseIfLocked(op: Operator, badge: string, source: Source, record = true): { ok: false; error: DomainError } | null {
    const lock = this.lockOf(op);
    if (!lock.until) return null;
    if (record) this.execute({ type: 'SignInFailed', badge: badge.slice(0, 64), reason: 'locked' }, { actor: { kind: 'system' }, source }, () => null);
    const minutes = Math.max(1, Math.ceil((lock.until.getTime() - this.now().getTime()) / 60_000));
    return {
      ok: false,
      error: new DomainError('OPERATOR_LOCKED', `Too many wrong PINs: ${op.name} can try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, {
        locked_until: lock.until.toISOString(),
      }),
    };
  }

  private openSession(op: Operator, method: 'pin' | 'badge', source: Source): Outcome<{ token: string; operator: { id: string; name: string; role: string } }> {
    const token = randomBytes(32).toString('base64url');
    const expires = new Date(this.now().getTime() + this.config.sessionMinutes * 60_000).toISOString();
    return this.execute(
      { type: 'SignIn', operator: op.id, method },
      { actor: { kind: 'operator', id: op.id, role: op.role }, source },
      () => ({ token, operator: { id: op.id, name: op.name, role: op.role } }),
      (events) => {
        this.store.db.prepare('INSERT INTO sessions (token_hash, operator_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
          .run(tokenHash(token), op.id, events[0]!.recorded_at, expires);
      },
    );
  }

  /** The operator behind a session token, or null when it is unknown, expired or the operator left. */
  sessionActor(token: string): Actor | null {
    const row = this.store.db.prepare('SELECT operator_id, expires_at FROM sessions WHERE token_hash = ?').get(tokenHash(token)) as
      { operator_id: string; expires_at: string } | undefined;
    if (!row || row.expires_at <= this.nowIso()) return null;
    const op = this.state().operators.get(row.operator_id);
    if (!op || !op.active) return null;
    return { kind: 'operator', id: op.id, role: op.role };
  }

  /** Ends a session; `reason` says why in the log ("signed out", or "idle" when the kiosk timed out). */
  signOut(token: string, source: Source, reason = 'signed out'): Outcome<null> {
    const actor = this.sessionActor(token);
    if (!actor || actor.kind !== 'operator') return { ok: false, error: new DomainError('NOT_SIGNED_IN', 'This session is not signed in.') };
    return this.execute({ type: 'SignOut', operator: actor.id, reason }, { actor, source }, () => null, () => {
      this.store.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash(token));
    });
  }
}

export function deviceIdProblem(id: string): string | null {
  return /^[A-Z0-9][A-Z0-9._-]{0,63}$/.test(id) ? null : `Device id "${id}" may hold only letters, digits, ".", "_" and "-" (64 at most).`;
}

export function actorName(actor: Actor): string {
  return actor.kind === 'operator' ? actor.id : actor.kind;
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function defaultDeviceId(): string {
  const host = hostname().toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 12) || 'KIOSK';
  return `AT-${host}-${randomBytes(3).toString('hex').toUpperCase()}`;
}

/** What a receipt's checkpoint signature covers; verify.mjs rebuilds the same text. */
export function checkpointText(deviceId: string, seq: number, hash: string): string {
  return `assettrack-checkpoint:${deviceId}:${seq}:${hash}`;
}
