// One recorded event as a short sentence for people at the kiosk (feeds, timelines, live updates).
import type { CageState, Json, RecordedEvent } from '../domain/types.ts';

const s = (v: Json | undefined): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

export function actorLabel(state: CageState, actor: string): string {
  if (actor === 'system' || actor === 'console') return actor === 'console' ? 'the console' : 'the system';
  return state.operators.get(actor)?.name ?? actor;
}

export type EventKind = 'scan' | 'custody' | 'tap' | 'admin' | 'session' | 'other';

const KIND_BY_TYPE: Record<string, EventKind> = {
  ScanCaptured: 'scan', UiAction: 'tap',
  AssetIssued: 'custody', AssetReturned: 'custody', AssetMoved: 'custody', AssetVerified: 'custody', AssetMarkedMissing: 'custody',
  AssetFound: 'custody', ConditionChanged: 'custody', AssetRetired: 'custody', EventCorrected: 'custody', SweepCompleted: 'custody',
  SweepStarted: 'custody', SweepAbandoned: 'custody', DueDateChanged: 'custody', TermsChanged: 'admin',
  OperatorSignedIn: 'session', OperatorSignedOut: 'session', OperatorSignInFailed: 'session', EnrolmentCodeFailed: 'session',
};

export function eventKind(type: string): EventKind {
  return KIND_BY_TYPE[type] ?? (/Registered|Updated|Deactivated|Reactivated|Imported/.test(type) ? 'admin' : 'other');
}

export function eventText(state: CageState, e: Pick<RecordedEvent, 'type' | 'subject' | 'data' | 'actor'>): string {
  const d = e.data;
  const who = actorLabel(state, e.actor);
  const holder = (id: Json | undefined) => state.holders.get(s(id))?.name ?? s(id);
  switch (e.type) {
    case 'ScanCaptured': {
      if (d.kind === 'rejected') return `Scan rejected: ${s(d.reason)}.`;
      const what = d.kind === 'unknown' ? `unknown code ${s(d.value)}` : `${s(d.kind)} ${s(d.ref) || s(d.value)}`;
      return `Scanned ${what}${d.duplicate ? ' (repeat)' : ''} on ${s(d.source)}.`;
    }
    case 'UiAction': return `${who} tapped ${s(d.action)}${d.target ? ` (${s(d.target)})` : ''} on ${s(d.screen)}.`;
    case 'AssetIssued': return `${who} issued ${e.subject} to ${s(d.holder_name) || holder(d.holder_id)}.`;
    case 'AssetReturned': return `${e.subject} returned by ${s(d.holder_name)} to ${s(d.to_slot)}.`;
    case 'AssetMoved': return `${who} moved ${e.subject} to ${s(d.to_slot)}.`;
    case 'AssetVerified': return `${e.subject} seen in a sweep of ${d.scope === 'cage' ? 'the whole cage' : s(d.case)}: ${s(d.outcome).replace(/_/g, ' ')}.`;
    case 'AssetMarkedMissing': return `${e.subject} marked missing${d.reason ? `: ${s(d.reason)}` : ''}.`;
    case 'AssetFound': return `${e.subject} found${d.reason ? `: ${s(d.reason)}` : ''}.`;
    case 'ConditionChanged': return `${e.subject} is now ${s(d.to).replace(/_/g, ' ')}${d.note ? ` (${s(d.note)})` : ''}.`;
    case 'AssetRetired': return `${who} retired ${e.subject}: ${s(d.reason)}.`;
    case 'AssetRegistered': return `${who} registered ${e.subject}${d.slot ? ` in ${s(d.slot)}` : ''}.`;
    case 'AssetUpdated': return `${who} updated the details of ${e.subject}.`;
    case 'EventCorrected': return `${who} corrected event ${s(d.corrects_seq)} (${s(d.corrects_type)}) of ${e.subject}: ${s(d.reason)}.`;
    case 'SweepCompleted': {
      const n = (k: string) => (Array.isArray(d[k]) ? (d[k] as Json[]).length : 0);
      return `Sweep of ${d.scope === 'cage' ? 'the whole cage' : s(d.case)}: ${n('verified')} verified, ${n('missing')} missing, ${n('unexpected')} unexpected, ${n('wrong_slot')} in the wrong slot.`;
    }
    case 'SweepStarted': return `${who} started a sweep of ${s(d.label)}.`;
    case 'SweepAbandoned': return `${who} abandoned the sweep of ${d.scope === 'CAGE' ? 'the whole cage' : e.subject}${d.reason ? ` (${s(d.reason)})` : ''}.`;
    case 'DueDateChanged': return `${who} changed the return date of ${e.subject} to ${d.to === 'open' ? 'open-ended' : s(d.to)}: ${s(d.reason)}.`;
    case 'TermsChanged': return `${who} set the terms text, version ${s(d.version)}.`;
    case 'HolderRegistered': return `${who} registered holder ${s(d.name)}.`;
    case 'HolderUpdated': return `${who} updated holder ${holder(e.subject)}.`;
    case 'HolderDeactivated': return `${who} deactivated holder ${holder(e.subject)}.`;
    case 'HolderReactivated': return `${who} reactivated holder ${holder(e.subject)}.`;
    case 'CaseRegistered': return `${who} registered case ${s(d.label)} with ${s(d.slots)} slots.`;
    case 'OperatorRegistered': return `${who} enrolled ${s(d.role)} ${s(d.name)}.`;
    case 'OperatorDeactivated': return `${who} deactivated operator ${state.operators.get(e.subject)?.name ?? e.subject}.`;
    case 'OperatorSignedIn': return `${state.operators.get(e.subject)?.name ?? e.subject} signed in (${s(d.method)}).`;
    case 'OperatorSignedOut': return `${state.operators.get(e.subject)?.name ?? e.subject} signed out (${s(d.reason)}).`;
    case 'OperatorSignInFailed': return `Sign-in refused for badge ${s(d.badge)}: ${s(d.reason)}.`;
    case 'EnrolmentCodeFailed': return `First admin's enrolment refused: ${s(d.reason)}.`;
    case 'StoreInitialized': return `Store initialized as ${s(d.device_id)}.`;
    default: return `${e.type} ${e.subject}`.trim() + '.';
  }
}
