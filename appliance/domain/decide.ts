// decide(command, state, context): the custody rules. Pure: no I/O, no clock, no randomness —
// time and the acting person come in through the context. Returns the events to record, or a refusal.
import { classifyScan, isDuplicateScan, normalizeScan } from '../intake/classify.ts';
import { decideCradleUpload, decideDismissBatch, markFromBatch } from '../intake/cradle-batch.ts';
import { ENROLMENT_SUBJECT, checkEnrolmentCode } from './enrolment.ts';
import { DomainError, refuse } from './errors.ts';
import { planAssetImport, planHolderImport } from './import-plan.ts';
import { checkNewBarcode, findAsset, findCase, findHolder, findOperator, keyOfSlotText, resolveSlot, slotOccupant, type ResolvedSlot } from './state.ts';
import { tagKey } from './tags.ts';
import { contentHash, dueFor, issueReceipt, returnReceipt, returnedBy } from './receipts.ts';
import { requireSecondAdmin } from './two-person.ts';
import { sweepStart, sweepAbandon, refuseIfOpenByOther } from './sweep-sessions.ts';
import {
  CONDITIONS, type Asset, type CageState, type Command, type DecideContext, type Holder, type JsonObject, type NewEvent,
} from './types.ts';

export type Decision = { ok: true; events: NewEvent[] } | { ok: false; error: DomainError };

export function decide(command: Command, state: CageState, ctx: DecideContext): Decision {
  try {
    const events = decideOrThrow(command, state, ctx);
    return { ok: true, events: 'batch' in command && command.batch ? markFromBatch(state, command.batch, events) : events };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, error: err };
    throw err;
  }
}

export const MAX_SLOTS_PER_CASE = 200;

function requireOperator(state: CageState, ctx: DecideContext): void {
  if (ctx.actor.kind !== 'operator') {
    refuse('OPERATOR_REQUIRED', 'A signed-in operator must confirm this; give the operator badge.');
  }
  const op = state.operators.get(ctx.actor.id);
  if (!op || !op.active) refuse('OPERATOR_INACTIVE', 'This operator is not active; ask an admin.');
}

function requireAdmin(state: CageState, ctx: DecideContext): void {
  if (ctx.actor.kind === 'console') return; // a shell on the box is already an administrator's
  requireOperator(state, ctx);
  if (ctx.actor.kind === 'operator' && ctx.actor.role !== 'admin') {
    refuse('ADMIN_REQUIRED', 'Only an admin can do this.');
  }
}

function holderName(state: CageState, id: string | null): string {
  return (id && state.holders.get(id)?.name) || 'nobody';
}

/** Reasons this asset cannot be issued now, or null. */
function issueBlocker(state: CageState, asset: Asset): DomainError | null {
  if (asset.state === 'retired') return new DomainError('ASSET_RETIRED', `${asset.tag} is retired and cannot be issued.`);
  if (asset.state === 'issued') {
    return new DomainError('ALREADY_ISSUED', `${asset.tag} is already issued to ${holderName(state, asset.holderId)} since ${asset.since}.`);
  }
  if (asset.missing) return new DomainError('ASSET_MISSING', `${asset.tag} is marked missing; record it as found before issuing it.`);
  if (asset.condition === 'in_repair' || asset.condition === 'out_of_service') {
    return new DomainError('ASSET_NOT_SERVICEABLE', `${asset.tag} is ${asset.condition.replace(/_/g, ' ')} and cannot be issued.`);
  }
  return null;
}

/** All-or-nothing: collect every problem of a batch, refuse once with all of them. */
function refuseBatch(verb: string, total: number, problems: { tag: string; error: DomainError }[]): void {
  if (problems.length === 0) return;
  const first = problems[0]!;
  if (total === 1) throw first.error;
  refuse(
    'BATCH_REFUSED',
    `${problems.length} of ${total} assets cannot be ${verb}, so none was: ${problems.map((p) => p.error.message).join(' ')}`,
    { problems: problems.map((p) => ({ tag: p.tag, code: p.error.code, message: p.error.message })) },
  );
}

function uniqueAssets(state: CageState, refs: string[]): Asset[] {
  if (refs.length === 0) refuse('NO_ASSETS', 'Scan or name at least one asset.');
  const seen = new Set<string>();
  const assets: Asset[] = [];
  for (const ref of refs) {
    const asset = findAsset(state, ref);
    if (seen.has(asset.key)) refuse('DUPLICATE_IN_BATCH', `${asset.tag} appears twice in this batch.`);
    seen.add(asset.key);
    assets.push(asset);
  }
  return assets;
}

function activeHolder(state: CageState, ref: string): Holder {
  const holder = findHolder(state, ref);
  if (!holder.active) refuse('HOLDER_INACTIVE', `${holder.name} is deactivated and cannot receive equipment.`);
  return holder;
}

function decideOrThrow(command: Command, state: CageState, ctx: DecideContext): NewEvent[] {
  switch (command.type) {
    case 'InitStore':
      if (state.seq !== 0) refuse('ALREADY_INITIALIZED', 'This store is already initialized.');
      return [{
        type: 'StoreInitialized', subject: command.deviceId,
        data: { device_id: command.deviceId, key_fingerprint: command.keyFingerprint, software_version: command.softwareVersion },
      }];

    case 'RegisterCase': {
      requireAdmin(state, ctx);
      const label = checkNewBarcode(state, 'case label', command.label);
      if (!Number.isInteger(command.slots) || command.slots < 1 || command.slots > MAX_SLOTS_PER_CASE) {
        refuse('BAD_SLOT_COUNT', `A case has between 1 and ${MAX_SLOTS_PER_CASE} slots; "${command.slots}" is not that.`);
      }
      return [{ type: 'CaseRegistered', subject: label, data: { label, slots: command.slots } }];
    }

    case 'RegisterAsset':
    case 'ImportAssets': {
      requireAdmin(state, ctx);
      if (command.type === 'RegisterAsset') checkNewBarcode(state, 'asset tag', command.tag);
      const rows = command.type === 'ImportAssets' ? command.rows : [{ ...command, row: 1 }];
      const plan = planAssetImport(state, rows);
      const errors = plan.filter((p) => p.result.status === 'error');
      if (command.type === 'RegisterAsset' && errors.length > 0) throw errors[0]!.error;
      if (errors.length > 0) {
        refuse('IMPORT_HAS_ERRORS', `${errors.length} row(s) have errors; nothing was imported.`, {
          rows: plan.map((p) => p.result),
        });
      }
      return plan.flatMap((p) => p.events);
    }

    case 'UpdateAsset': {
      requireAdmin(state, ctx);
      const asset = findAsset(state, command.tag);
      if (asset.state === 'retired') refuse('ASSET_RETIRED', `${asset.tag} is retired and cannot be edited.`);
      const from: JsonObject = {};
      const to: JsonObject = {};
      const fields: [keyof Asset, string | undefined][] = [
        ['serial', command.serial], ['type', command.assetType], ['make', command.make], ['model', command.model], ['notes', command.notes],
      ];
      for (const [field, value] of fields) {
        if (value === undefined || value.trim() === asset[field]) continue;
        from[field] = asset[field] as string;
        to[field] = value.trim();
      }
      if (typeof to.serial === 'string') {
        if (!to.serial) refuse('BAD_SERIAL', 'The serial number cannot be empty.');
        const other = state.serials.get(tagKey(to.serial));
        if (other && other !== asset.key) refuse('DUPLICATE_SERIAL', `Serial ${to.serial} belongs to ${state.assets.get(other)?.tag}.`);
      }
      if (Object.keys(to).length === 0) refuse('NO_CHANGE', `${asset.tag} already has these details.`);
      return [{ type: 'AssetUpdated', subject: asset.tag, data: { from, to } }];
    }

    case 'RegisterHolder':
    case 'ImportHolders': {
      requireAdmin(state, ctx);
      if (command.type === 'RegisterHolder') {
        const badge = command.badge?.trim() ? checkNewBarcode(state, 'badge', command.badge) : null;
        const name = command.name.trim();
        if (!name) refuse('BAD_NAME', 'A holder needs a name.');
        const kind = command.kind ?? 'person';
        if (kind !== 'person' && kind !== 'team') refuse('BAD_KIND', 'A holder is a person or a team.');
        const id = `H-${String(state.counters.holders + 1).padStart(4, '0')}`;
        return [{ type: 'HolderRegistered', subject: id, data: { id, name, badge, org: command.org?.trim() ?? '', kind } }];
      }
      const plan = planHolderImport(state, command.rows);
      const errors = plan.filter((p) => p.result.status === 'error');
      if (errors.length > 0) {
        refuse('IMPORT_HAS_ERRORS', `${errors.length} row(s) have errors; nothing was imported.`, { rows: plan.map((p) => p.result) });
      }
      return plan.flatMap((p) => p.events);
    }

    case 'UpdateHolder': {
      requireAdmin(state, ctx);
      const holder = findHolder(state, command.holder);
      const from: JsonObject = {};
      const to: JsonObject = {};
      for (const field of ['name', 'org', 'kind'] as const) {
        const value = command[field]?.trim();
        if (value === undefined || value === holder[field]) continue;
        if (field === 'name' && !value) refuse('BAD_NAME', 'A holder needs a name.');
        if (field === 'kind' && value !== 'person' && value !== 'team') refuse('BAD_KIND', 'A holder is a person or a team.');
        from[field] = holder[field];
        to[field] = value;
      }
      if (command.badge !== undefined && tagKey(command.badge) !== tagKey(holder.badge ?? '')) {
        to.badge = command.badge.trim() ? checkNewBarcode(state, 'badge', command.badge) : null;
        from.badge = holder.badge;
      }
      if (Object.keys(to).length === 0) refuse('NO_CHANGE', `${holder.name} already has these details.`);
      return [{ type: 'HolderUpdated', subject: holder.id, data: { from, to } }];
    }

    case 'DeactivateHolder':
    case 'ReactivateHolder': {
      requireAdmin(state, ctx);
      const holder = findHolder(state, command.holder);
      const activate = command.type === 'ReactivateHolder';
      if (holder.active === activate) {
        refuse(activate ? 'ALREADY_ACTIVE' : 'ALREADY_INACTIVE', `${holder.name} is already ${activate ? 'active' : 'deactivated'}.`);
      }
      const holding = [...state.assets.values()].filter((a) => a.holderId === holder.id).map((a) => a.tag);
      return [{
        type: activate ? 'HolderReactivated' : 'HolderDeactivated', subject: holder.id,
        data: { reason: command.reason?.trim() ?? '', still_holding: holding },
      }];
    }

    case 'RegisterOperator': {
      // The very first operator of a new box enrols without signing in, and must be an admin; on a box that
      // drew a one-time enrolment code at first boot, only with that code.
      const firstEnrolment = state.operators.size === 0;
      if (firstEnrolment && ctx.enrolment) checkEnrolmentCode(ctx.enrolment, command.enrolmentCode, ctx.now);
      if (firstEnrolment && command.role !== 'admin') refuse('FIRST_MUST_BE_ADMIN', 'The first operator enrolled must be an admin.');
      if (!firstEnrolment) requireAdmin(state, ctx);
      const badge = checkNewBarcode(state, 'badge', command.badge);
      const name = command.name.trim();
      if (!name) refuse('BAD_NAME', 'An operator needs a name.');
      if (command.role !== 'operator' && command.role !== 'admin') refuse('BAD_ROLE', 'The role is operator or admin.');
      const second = !firstEnrolment && command.role === 'admin' ? requireSecondAdmin(state, ctx, 'admin', 'Enrolling an admin') : {};
      const id = `O-${String(state.counters.operators + 1).padStart(4, '0')}`;
      return [{ type: 'OperatorRegistered', subject: id, data: { id, name, badge, role: command.role, ...second } }];
    }

    case 'DeactivateOperator': {
      requireAdmin(state, ctx);
      const op = findOperator(state, command.operator);
      if (!op.active) refuse('ALREADY_INACTIVE', `${op.name} is already deactivated.`);
      const admins = [...state.operators.values()].filter((o) => o.active && o.role === 'admin');
      if (op.role === 'admin' && admins.length === 1) refuse('LAST_ADMIN', `${op.name} is the last active admin; register another admin first.`);
      return [{ type: 'OperatorDeactivated', subject: op.id, data: { reason: command.reason?.trim() ?? '' } }];
    }

    case 'SignIn': {
      const op = findOperator(state, command.operator);
      if (!op.active) refuse('OPERATOR_INACTIVE', `${op.name} is deactivated and cannot sign in.`);
      return [{ type: 'OperatorSignedIn', subject: op.id, data: { method: command.method, role: op.role } }];
    }
    case 'SignInFailed':
      return [{ type: 'OperatorSignInFailed', subject: tagKey(command.badge), data: { badge: command.badge, reason: command.reason } }];
    case 'EnrolmentCodeFailed':
      return [{ type: 'EnrolmentCodeFailed', subject: ENROLMENT_SUBJECT, data: { reason: command.reason } }];
    case 'SignOut': {
      const op = findOperator(state, command.operator);
      return [{ type: 'OperatorSignedOut', subject: op.id, data: { reason: command.reason } }];
    }

    case 'Issue': {
      requireOperator(state, ctx);
      const holder = activeHolder(state, command.holder);
      const assets = uniqueAssets(state, command.tags);
      const problems = assets.flatMap((a) => {
        const error = issueBlocker(state, a);
        return error ? [{ tag: a.tag, error }] : [];
      });
      refuseBatch('issued', assets.length, problems);
      const dues = new Map(assets.map((a) => [a.key, dueFor(a, ctx, command.due)]));
      const receipt = issueReceipt(state, ctx, holder, assets, dues, command.receipt, command.requireReceipt === true);
      const issued: NewEvent[] = assets.map((a) => ({
        type: 'AssetIssued', subject: a.tag,
        data: {
          holder_id: holder.id, holder_name: holder.name, from_slot: a.slot, since_before: a.since,
          batch_size: assets.length, reason: command.reason?.trim() ?? '', due: dues.get(a.key)!,
          ...(receipt ? { receipt_seq: state.seq + 1 } : {}),
        },
      }));
      return receipt ? [receipt, ...issued] : issued;
    }

    case 'ExtendDue': {
      requireOperator(state, ctx);
      const asset = findAsset(state, command.tag);
      if (asset.state !== 'issued') refuse('NOT_ISSUED', `${asset.tag} is not issued; only an issued asset has a return date.`);
      if (!command.reason.trim()) refuse('REASON_REQUIRED', 'Say why the return date changes.');
      const to = dueFor(asset, ctx, command.due);
      const from = asset.due ?? 'open';
      if (to === from) refuse('NO_CHANGE', `${asset.tag} is already due ${to === 'open' ? 'open-ended' : to}.`);
      return [{ type: 'DueDateChanged', subject: asset.tag, data: { holder_id: asset.holderId, from, to, reason: command.reason.trim() } }];
    }

    case 'SetTerms': {
      requireAdmin(state, ctx);
      const text = command.text.replace(/\r\n/g, '\n').trim();
      if (!text) refuse('BAD_TERMS', 'The terms text is empty.');
      if (text.length > 20_000) refuse('BAD_TERMS', 'The terms text is longer than 20,000 characters.');
      if (state.terms?.text === text) refuse('NO_CHANGE', `These are already the terms (version ${state.terms.version}).`);
      const second = requireSecondAdmin(state, ctx, 'terms', 'Changing the terms text');
      const version = (state.terms?.version ?? 0) + 1;
      return [{ type: 'TermsChanged', subject: `terms-v${version}`, data: { version, text, sha256: contentHash({ text }), ...second } }];
    }

    case 'StartSweep':
      requireOperator(state, ctx);
      return sweepStart(state, ctx, command.cage ? null : findCase(state, command.case ?? '').key);

    case 'AbandonSweep':
      requireOperator(state, ctx);
      return sweepAbandon(state, ctx, command.cage ? null : findCase(state, command.case ?? '').key, command.reason);

    case 'Return': {
      requireOperator(state, ctx);
      const assets = uniqueAssets(state, command.tags);
      const holderIds = new Set(assets.map((a) => a.holderId));
      const holderOfAll = holderIds.size === 1 ? state.holders.get([...holderIds][0] ?? '') ?? null : null;
      const by = returnedBy(state, command.returnedBy, holderOfAll);
      if (command.slot && assets.length > 1) {
        refuse('SLOT_FOR_BATCH', 'A batch returns every asset to its home slot; return assets one by one to choose slots.');
      }
      const claimed = new Map<string, string>(); // slot key → tag, within this batch
      const problems: { tag: string; error: DomainError }[] = [];
      const events: NewEvent[] = [];
      for (const a of assets) {
        try {
          if (a.state !== 'issued') {
            refuse('NOT_ISSUED', `${a.tag} is ${a.state === 'retired' ? 'retired' : 'in storage'}, not issued; there is nothing to return.`);
          }
          const target = command.slot ?? a.home;
          if (!target) refuse('NO_HOME_SLOT', `${a.tag} has no home slot; choose an empty slot.`);
          const slot = resolveSlot(state, target);
          const occupant = slotOccupant(state, slot);
          const chooser = command.slot ? 'Slot' : 'Its home slot';
          if (occupant && occupant.key !== a.key) {
            refuse('SLOT_OCCUPIED', `${chooser} ${slot.text} holds ${occupant.tag}; choose an empty slot for ${a.tag}.`, { slot: slot.text });
          }
          if (claimed.has(slot.key)) refuse('SLOT_OCCUPIED', `${slot.text} is also the home of ${claimed.get(slot.key)} in this batch.`);
          claimed.set(slot.key, a.tag);
          events.push({
            type: 'AssetReturned', subject: a.tag,
            data: {
              holder_id: a.holderId, holder_name: holderName(state, a.holderId), to_slot: slot.text,
              since_before: a.since, batch_size: assets.length, due_before: a.due,
              ...(by.by ? { returned_by: by.by, returned_by_holder: by.by.kind === 'holder' && by.by.id === a.holderId } : {}),
            },
          });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          problems.push({ tag: a.tag, error: err });
        }
      }
      refuseBatch('returned', assets.length, problems);
      const receipt = returnReceipt(state, ctx, assets, by.by, command.receipt, command.requireReceipt === true, holderOfAll);
      if (!receipt) return events;
      return [receipt, ...events.map((e) => ({ ...e, data: { ...e.data, receipt_seq: state.seq + 1 } }))];
    }

    case 'Move': {
      requireOperator(state, ctx);
      const asset = findAsset(state, command.tag);
      if (asset.state === 'retired') refuse('ASSET_RETIRED', `${asset.tag} is retired and cannot be moved.`);
      if (asset.state === 'issued') refuse('ASSET_ISSUED', `${asset.tag} is issued to ${holderName(state, asset.holderId)}; return it to a slot instead.`);
      const slot = resolveSlot(state, command.slot);
      const occupant = slotOccupant(state, slot);
      if (occupant?.key === asset.key) refuse('NO_CHANGE', `${asset.tag} is already in ${slot.text}.`);
      if (occupant) refuse('SLOT_OCCUPIED', `Slot ${slot.text} holds ${occupant.tag}.`, { slot: slot.text });
      return [{ type: 'AssetMoved', subject: asset.tag, data: { from_slot: asset.slot, to_slot: slot.text, home_before: asset.home } }];
    }

    case 'Sweep': {
      requireOperator(state, ctx);
      const scopeKey = command.cage ? null : findCase(state, command.case).key;
      const open = refuseIfOpenByOther(state, ctx, scopeKey);
      const events = decideSweep(state, command.cage ? cageScope(state) : caseScope(state, scopeKey!), command.seen);
      const done = events[events.length - 1]!;
      // Finishing a sweep that was started (and perhaps resumed) names where it began and the scans it used.
      done.data = { ...done.data, started_seq: open?.startedSeq ?? null, scan_seqs: command.scanSeqs ?? [] };
      return events;
    }

    case 'MarkMissing': {
      requireOperator(state, ctx);
      const asset = findAsset(state, command.tag);
      if (asset.state === 'retired') refuse('ASSET_RETIRED', `${asset.tag} is retired; it cannot be marked missing.`);
      if (asset.missing) refuse('ALREADY_MISSING', `${asset.tag} is already marked missing.`);
      return [{ type: 'AssetMarkedMissing', subject: asset.tag, data: { reason: command.reason?.trim() ?? '' } }];
    }
    case 'Found': {
      requireOperator(state, ctx);
      const asset = findAsset(state, command.tag);
      if (!asset.missing) refuse('NOT_MISSING', `${asset.tag} is not marked missing.`);
      return [{ type: 'AssetFound', subject: asset.tag, data: { reason: command.reason?.trim() ?? '' } }];
    }

    case 'ChangeCondition': {
      requireOperator(state, ctx);
      const asset = findAsset(state, command.tag);
      if (asset.state === 'retired') refuse('ASSET_RETIRED', `${asset.tag} is retired and cannot be edited.`);
      const condition = command.condition.trim().toLowerCase().replace(/[\s-]+/g, '_');
      if (!(CONDITIONS as readonly string[]).includes(condition)) {
        refuse('BAD_CONDITION', `"${command.condition}" is not a condition; use one of: ${CONDITIONS.join(', ')}.`);
      }
      if (condition === asset.condition) refuse('NO_CHANGE', `${asset.tag} is already ${condition.replace(/_/g, ' ')}.`);
      return [{ type: 'ConditionChanged', subject: asset.tag, data: { from: asset.condition, to: condition, note: command.note?.trim() ?? '' } }];
    }

    case 'Retire': {
      requireAdmin(state, ctx);
      const asset = findAsset(state, command.tag);
      if (!command.reason.trim()) refuse('REASON_REQUIRED', 'Say why the asset is retired.');
      if (asset.state === 'retired') refuse('ALREADY_RETIRED', `${asset.tag} is already retired.`);
      if (asset.state === 'issued') refuse('ASSET_ISSUED', `${asset.tag} is issued to ${holderName(state, asset.holderId)}; return it before retiring it.`);
      const second = requireSecondAdmin(state, ctx, 'retire', `Retiring ${asset.tag}`);
      return [{ type: 'AssetRetired', subject: asset.tag, data: { reason: command.reason.trim(), from_slot: asset.slot, since_before: asset.since, ...second } }];
    }

    case 'Correct': {
      // An operator's own Undo within the minute is theirs alone; any other correction is an admin's, under the rule.
      if (isOwnRecentChange(ctx, command.target)) return [decideCorrection(state, command.target, command.reason)];
      requireAdmin(state, ctx);
      const correction = decideCorrection(state, command.target, command.reason);
      const second = requireSecondAdmin(state, ctx, 'correction', `Correcting event ${command.target.seq}`);
      return [{ ...correction, data: { ...correction.data, ...second } }];
    }

    case 'RecordScan':
      return [decideScan(state, ctx, command)];

    case 'RecordCradleUpload':
      return decideCradleUpload(state, ctx, command);

    case 'DismissCradleBatch':
      requireOperator(state, ctx);
      return decideDismissBatch(state, command);

    case 'RecordExport':
      requireAdmin(state, ctx);
      if (command.headSeq > state.seq) refuse('EXPORT_AHEAD', `The bundle claims event ${command.headSeq}, but the log ends at ${state.seq}.`);
      return [{
        type: 'ExportWritten', subject: state.deviceId,
        data: {
          bundle: command.bundle, target: command.target, manifest_sha256: command.manifestSha256, count: command.count,
          head_seq: command.headSeq, head_hash: command.headHash, bytes: command.bytes,
          previous_head_seq: command.previous?.seq ?? null, previous_head_hash: command.previous?.hash ?? null,
          backup: command.backup ? { file: command.backup.file, sha256: command.backup.sha256, head_seq: command.backup.headSeq } : null,
        },
      }];

    case 'RecordExportFailed':
      requireAdmin(state, ctx);
      return [{
        type: 'ExportFailed', subject: state.deviceId,
        data: { bundle: command.bundle, target: command.target, stage: command.stage, code: command.code, reason: command.reason },
      }];

    case 'RecordRestore':
      requireAdmin(state, ctx);
      if (command.forced && !command.reason.trim()) refuse('REASON_REQUIRED', 'A forced restore needs a reason; it goes into the log.');
      const second = requireSecondAdmin(state, ctx, 'restore', 'Restoring a backup');
      return [{
        type: 'StoreRestored', subject: state.deviceId,
        data: {
          file: command.file, sha256: command.sha256, backup_head_seq: command.backupHead.seq, backup_head_hash: command.backupHead.hash,
          replaced_head_seq: command.replacedHead?.seq ?? null, replaced_head_hash: command.replacedHead?.hash ?? null,
          previous_kept_at: command.previousKeptAt, last_export_seq: command.lastExport?.seq ?? null,
          last_export_hash: command.lastExport?.hash ?? null, forced: command.forced, reason: command.reason, ...second,
        },
      }];

    case 'RecordUiAction':
      return [{ type: 'UiAction', subject: command.screen, data: { screen: command.screen, action: command.action, target: command.target } }];
  }
}

/**
 * What a sweep covers. One case: its assets are expected, "TAG@N" says where in it a tag was seen. The
 * whole cage: every asset in any case is expected, "TAG@CASE/N" says where a tag was seen.
 */
interface SweepScope {
  /** the SweepCompleted subject and the name used in reasons */
  subject: string;
  name: string;
  /** whether an asset's recorded slot is one this sweep covers */
  covers(slot: string | null): boolean;
  /** the slot a "TAG@…" position names, refusing one outside the scope */
  position(raw: string, where: string): ResolvedSlot;
  /** AssetVerified.data.case for an asset seen at a slot (or nowhere in particular) */
  caseOf(seenAt: ResolvedSlot | null): string | null;
  /** extra SweepCompleted data */
  summary(expected: Asset[], result: SweepResult, seenAt: Map<string, string | null>): JsonObject;
}

interface SweepResult {
  verified: string[]; missing: string[]; unexpected: string[]; wrong_slot: string[]; found: string[];
}

function caseScope(state: CageState, caseKey: string): SweepScope {
  const box = state.cases.get(caseKey)!;
  return {
    subject: box.label, name: box.label,
    covers: (slot) => slot !== null && keyOfSlotText(slot).startsWith(`${caseKey}/`),
    position(raw, where) {
      const n = Number(where);
      if (!(Number.isInteger(n) && n >= 1 && n <= box.slots)) refuse('BAD_SLOT', `"${raw}": case ${box.label} has slots 1 to ${box.slots}.`);
      return { key: `${caseKey}/${n}`, text: `${box.label}/${n}`, caseLabel: box.label, n };
    },
    caseOf: () => box.label,
    summary: () => ({ case: box.label }),
  };
}

function cageScope(state: CageState): SweepScope {
  return {
    subject: 'CAGE', name: 'the whole cage',
    covers: (slot) => slot !== null,
    position(raw, where) {
      if (!where.includes('/')) refuse('BAD_SLOT', `"${raw}": in a sweep of the whole cage, say the case too, as TAG@CASE/N.`);
      return resolveSlot(state, where);
    },
    caseOf: (seenAt) => seenAt?.caseLabel ?? null,
    summary(expected, result, seenAt) {
      // Per case: what was recorded there, and what was seen out of place in it.
      const cases: Record<string, Record<string, number>> = {};
      for (const box of [...state.cases.values()].sort((a, b) => a.key.localeCompare(b.key))) {
        cases[box.label] = { expected: 0, verified: 0, missing: 0, wrong_slot: 0, unexpected: 0 };
      }
      const labelOf = (slot: string | null) => (slot ? state.cases.get(keyOfSlotText(slot).split('/')[0]!)?.label : undefined);
      const count = (slot: string | null, what: string) => {
        const c = cases[labelOf(slot) ?? ''];
        if (c) c[what] = (c[what] ?? 0) + 1;
      };
      const byTag = new Map(expected.map((a) => [a.tag, a.slot]));
      for (const a of expected) count(a.slot, 'expected');
      for (const tag of result.verified) count(byTag.get(tag) ?? null, 'verified');
      for (const tag of result.missing) count(byTag.get(tag) ?? null, 'missing');
      for (const [tag, where] of seenAt) {
        if (result.wrong_slot.includes(tag)) count(where ?? byTag.get(tag) ?? null, 'wrong_slot');
        else if (result.unexpected.includes(tag)) count(where, 'unexpected');
      }
      return { case: null, scope: 'cage', cases };
    },
  };
}

/** A sweep: what the case (or the whole cage) should hold against what was scanned. "TAG@…" says where a tag was seen. */
function decideSweep(state: CageState, scope: SweepScope, seenRaw: string[]): NewEvent[] {
  const expected = [...state.assets.values()]
    .filter((a) => scope.covers(a.slot))
    .sort((a, b) => a.key.localeCompare(b.key));
  const result: SweepResult = { verified: [], missing: [], unexpected: [], wrong_slot: [], found: [] };
  /** where each tag of the result was seen, if said */
  const seenAt = new Map<string, string | null>();
  const events: NewEvent[] = [];
  const seenKeys = new Set<string>();
  for (const raw of seenRaw) {
    const at = raw.lastIndexOf('@');
    const text = (at > 0 ? raw.slice(0, at) : raw).trim();
    const position = at > 0 ? scope.position(raw, raw.slice(at + 1).trim()) : null;
    if (!text) continue;
    const asset = state.assets.get(tagKey(text));
    if (!asset) {
      if (!result.unexpected.includes(text)) {
        result.unexpected.push(text);
        seenAt.set(text, position?.text ?? null);
      }
      continue;
    }
    if (seenKeys.has(asset.key)) continue;
    seenKeys.add(asset.key);
    seenAt.set(asset.tag, position?.text ?? null);
    let outcome: string;
    if (asset.state !== 'in_storage') {
      outcome = 'unexpected';
      result.unexpected.push(asset.tag);
    } else if (!scope.covers(asset.slot) || (position !== null && keyOfSlotText(asset.slot!) !== position.key)) {
      outcome = 'wrong_slot';
      result.wrong_slot.push(asset.tag);
    } else {
      outcome = 'verified';
      result.verified.push(asset.tag);
    }
    if (asset.state !== 'retired') {
      events.push({
        type: 'AssetVerified', subject: asset.tag,
        data: { case: scope.caseOf(position), seen_at: position?.text ?? null, recorded_slot: asset.slot, outcome, ...(scope.subject === 'CAGE' ? { scope: 'cage' } : {}) },
      });
    }
    if (asset.missing) {
      result.found.push(asset.tag);
      events.push({ type: 'AssetFound', subject: asset.tag, data: { reason: `seen in sweep of ${scope.name}` } });
    }
  }
  for (const asset of expected) {
    if (seenKeys.has(asset.key)) continue;
    result.missing.push(asset.tag);
    if (!asset.missing) {
      events.push({ type: 'AssetMarkedMissing', subject: asset.tag, data: { reason: `not seen in sweep of ${scope.name}` } });
    }
  }
  events.push({
    type: 'SweepCompleted', subject: scope.subject,
    data: { ...scope.summary(expected, result, seenAt), expected: expected.map((a) => a.tag), ...result },
  });
  return events;
}

/**
 * The kiosk's Undo: an operator may correct their own change for a short while after making it (the
 * kiosk offers Undo for 10 s; the rule allows a minute so a slow tap at the end is not refused).
 * Anything older, or anyone else's, is an admin's correction.
 */
export const UNDO_WINDOW_MS = 60_000;

function isOwnRecentChange(ctx: DecideContext, target: { actor: string; occurred_at: string }): boolean {
  if (ctx.actor.kind !== 'operator' || target.actor !== ctx.actor.id) return false;
  const age = Date.parse(ctx.now) - Date.parse(target.occurred_at);
  return age >= 0 && age <= UNDO_WINDOW_MS;
}

const CORRECTABLE = ['AssetIssued', 'AssetReturned', 'AssetMoved', 'AssetMarkedMissing', 'AssetFound', 'ConditionChanged', 'AssetRetired', 'HolderDeactivated'];

function decideCorrection(state: CageState, target: { seq: number; type: string; subject: string; data: JsonObject }, reason: string): NewEvent {
  if (!reason.trim()) refuse('REASON_REQUIRED', 'Say why the event is corrected.');
  if (!CORRECTABLE.includes(target.type)) {
    refuse('NOT_CORRECTABLE', `Event ${target.seq} (${target.type}) cannot be corrected; correctable: ${CORRECTABLE.join(', ')}.`);
  }
  const base = { corrects_seq: target.seq, corrects_type: target.type, reason: reason.trim() };
  if (target.type === 'HolderDeactivated') {
    const holder = findHolder(state, target.subject);
    if (holder.active) refuse('NOT_CORRECTABLE', `${holder.name} is active again already.`);
    return { type: 'EventCorrected', subject: holder.id, data: { ...base, entity: 'holder', restore: { active: true } } };
  }
  const asset = findAsset(state, target.subject);
  if (asset.lastChangeSeq !== target.seq) {
    refuse('NOT_LATEST', `Only the latest change to ${asset.tag} can be corrected; event ${asset.lastChangeSeq} came after ${target.seq}.`);
  }
  const d = target.data;
  const freeSlot = (slot: unknown): string | null => {
    if (typeof slot !== 'string' || !slot) return null;
    const resolved = resolveSlot(state, slot);
    const occupant = slotOccupant(state, resolved);
    if (occupant && occupant.key !== asset.key) refuse('SLOT_OCCUPIED', `Slot ${resolved.text} now holds ${occupant.tag}; move it first.`);
    return resolved.text;
  };
  let restore: JsonObject;
  switch (target.type) {
    case 'AssetIssued':
      restore = { state: 'in_storage', holder_id: null, slot: freeSlot(d.from_slot), since: d.since_before ?? null };
      break;
    case 'AssetReturned':
      restore = { state: 'issued', holder_id: d.holder_id ?? null, slot: null, since: d.since_before ?? null, ...(d.due_before !== undefined ? { due: d.due_before } : {}) };
      break;
    case 'AssetMoved':
      restore = { slot: freeSlot(d.from_slot), home: d.home_before ?? null };
      break;
    case 'AssetMarkedMissing':
      restore = { missing: false };
      break;
    case 'AssetFound':
      restore = { missing: true };
      break;
    case 'ConditionChanged':
      restore = { condition: d.from ?? 'operational' };
      break;
    default: // AssetRetired
      restore = { state: 'in_storage', slot: freeSlot(d.from_slot), since: d.since_before ?? null };
  }
  return { type: 'EventCorrected', subject: asset.tag, data: { ...base, entity: 'asset', restore } };
}

function decideScan(state: CageState, ctx: DecideContext, cmd: Extract<Command, { type: 'RecordScan' }>): NewEvent {
  const scan = classifyScan(state, ctx, normalizeScan(cmd.text));
  const duplicate = scan.data.kind !== 'rejected' && isDuplicateScan(state, ctx, cmd.source, cmd.device, String(scan.data.value));
  return {
    type: 'ScanCaptured', subject: scan.subject,
    data: { raw_hex: cmd.rawHex, source: cmd.source, device: cmd.device, ...(cmd.symbology ? { symbology: cmd.symbology } : {}), duplicate, ...scan.data },
  };
}
