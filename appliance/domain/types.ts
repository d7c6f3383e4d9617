// The custody vocabulary: entities held in state, the events that change them, the commands that ask for change.

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type AssetState = 'in_storage' | 'issued' | 'retired';
export const CONDITIONS = ['operational', 'degraded', 'in_repair', 'out_of_service'] as const;
export type Condition = (typeof CONDITIONS)[number];
export type HolderKind = 'person' | 'team';
export type Role = 'operator' | 'admin';
export const SOURCES = ['touch', 'wedge', 'hid', 'cradle', 'import', 'system', 'console', 'api'] as const;
export type Source = (typeof SOURCES)[number];

export interface Asset {
  tag: string;
  key: string;
  serial: string;
  type: string;
  make: string;
  model: string;
  notes: string;
  state: AssetState;
  missing: boolean;
  condition: Condition;
  holderId: string | null;
  /** When the current state began: issue time while issued, return/registration time in storage. */
  since: string;
  /** Slots are kept as written at registration, e.g. "CASE-13/6". */
  home: string | null;
  slot: string | null;
  lastSeenAt: string | null;
  /** The last event that changed this asset: only that one can be corrected. */
  lastChangeSeq: number;
  /** While issued: the expected return date (YYYY-MM-DD), "open" (open-ended), or null (issued before due dates existed). */
  due: string | null;
}

export interface Holder {
  id: string;
  name: string;
  badge: string | null;
  org: string;
  kind: HolderKind;
  active: boolean;
}

export interface Operator {
  id: string;
  name: string;
  badge: string;
  role: Role;
  active: boolean;
}

export interface Case {
  label: string;
  key: string;
  slots: number;
  /** when a sweep of this case (or of the whole cage) last completed */
  lastSweptAt: string | null;
}

/** A sweep an operator started and has not finished: its scans are events already, so it can be resumed. */
export interface OpenSweep {
  /** a case key, or "CAGE" */
  scope: string;
  label: string;
  operator: string;
  startedSeq: number;
  startedAt: string;
}

/** The terms text a holder signs under; each change is a new version. */
export interface Terms {
  version: number;
  text: string;
  sha256: string;
}

/** A return made by someone other than the holder (the dashboard lists the latest). */
export interface ReturnByOther {
  seq: number;
  at: string;
  tag: string;
  holder: string;
  by: string;
}

/** One stroke of a finger signature: points in the pad's pixel grid, whole numbers (canonical JSON has no fractions). */
export type Stroke = [number, number][];

export interface SignatureInput {
  width: number;
  height: number;
  strokes: Stroke[];
}

/** How the person taking or bringing back equipment acknowledged it at the kiosk. */
export interface ReceiptInput {
  signature?: SignatureInput | null;
  /** the holder's own badge, scanned as acknowledgement (where config allows) */
  badge?: string | null;
}

/** Scans uploaded from a batch scanner's cradle: custody changes only when an operator uses them. */
export interface CradleBatch {
  id: string;
  /** the cradle device id as recorded (opn2004:<16 digits>) */
  device: string;
  uploadedAt: string;
  /** seqs of its ScanCaptured events: firstSeq … lastSeq - 1; lastSeq is the CradleUploaded event */
  firstSeq: number;
  lastSeq: number;
  count: number;
  status: 'pending' | 'used' | 'dismissed';
  resolvedSeq: number | null;
}

/** What the idle screen's "audit export due" and the next export's link to this one need. */
export interface LastExport {
  /** seq of the ExportWritten event */
  seq: number;
  at: string;
  bundle: string;
  /** the last event the bundle holds */
  headSeq: number;
  headHash: string;
  manifestSha256: string;
}

/** Every barcode the cage knows, whatever it names: tags, badges and case labels share one namespace. */
export interface BarcodeOwner {
  kind: 'asset' | 'holder' | 'operator' | 'case';
  ref: string;
}

export interface CageState {
  deviceId: string;
  /** Seq of the last event applied. */
  seq: number;
  assets: Map<string, Asset>;
  holders: Map<string, Holder>;
  operators: Map<string, Operator>;
  cases: Map<string, Case>;
  /** slot key "CASEKEY/N" → asset key */
  slots: Map<string, string>;
  barcodes: Map<string, BarcodeOwner>;
  /** serial key → asset key */
  serials: Map<string, string>;
  /** source+device → last scanned value and time, for the duplicate window */
  lastScans: Map<string, { value: string; at: string }>;
  /** record key of every cradle record already recorded → seq of its scan: a re-upload records nothing twice */
  cradleRecords: Map<string, number>;
  cradleBatches: Map<string, CradleBatch>;
  openSweeps: Map<string, OpenSweep>;
  terms: Terms | null;
  /** the latest returns by someone other than the holder, newest first (at most 50) */
  returnsByOthers: ReturnByOther[];
  /** the last audit export that was written and verified (ExportWritten), or null */
  lastExport: LastExport | null;
  counters: { holders: number; operators: number };
  /** Projection rows evolve changed; the store writes them and clears the set. */
  touched: Set<string> | null;
}

/** An event as decide() proposes it. */
export interface NewEvent {
  type: string;
  subject: string;
  data: JsonObject;
}

/** What evolve() needs from a stored event. */
export interface AppliedEvent extends NewEvent {
  seq: number;
  occurred_at: string;
  actor: string;
}

export interface RecordedEvent extends AppliedEvent {
  id: string;
  source: string;
  recorded_at: string;
  idempotency_key: string;
  prev_hash: string;
  hash: string;
}

export type Actor =
  | { kind: 'operator'; id: string; role: Role }
  | { kind: 'console' }
  | { kind: 'system' };

export interface DecideContext {
  now: string;
  actor: Actor;
  /** Scans of the same value from the same source within this window are one scan. */
  duplicateWindowMs: number;
  maxScanLength: number;
  /** Optional code prefixes that name what an unregistered code looks like (intake). */
  scanPrefixes: ScanPrefixes;
  custody?: CustodyRules;
  /** a second admin whose badge and PIN the appliance checked, for the two-person rule */
  second?: { id: string };
  /** the log's head before this command, signed by the device key: the checkpoint a hand receipt carries */
  checkpoint?: { seq: number; hash: string; signature: string };
  /** while no operator is enrolled and the box has a one-time enrolment code: the code and the wrong-code lock */
  enrolment?: EnrolmentGate;
}

/** What decide() needs to admit the first admin on a box with a one-time enrolment code (the appliance reads it). */
export interface EnrolmentGate {
  /** the code as the file holds it (first line, trimmed) */
  code: string;
  /** when the lock after five wrong codes ends (ISO time), or null */
  lockedUntil: string | null;
  /** wrong codes still allowed before the lock */
  triesLeft: number;
}

/** Configurable custody rules (issue 9): due dates, receipts, sweep interval, the two-person rule. */
export interface CustodyRules {
  /** days until due by asset type ("*" for any other); null = open-ended */
  dueDays: Record<string, number | null>;
  /** the kiosk refuses an issue or return without the holder's signature (or badge, where allowed) */
  receiptsRequired: boolean;
  /** the holder may scan their own badge instead of signing */
  badgeAcknowledgement: boolean;
  sweepIntervalDays: number;
  /** actions that need a second admin: retire, restore, correction, admin, terms */
  twoPerson: string[];
}

export type PrefixedKind = 'asset' | 'operator' | 'holder' | 'case';
export type ScanPrefixes = Partial<Record<PrefixedKind, string[]>>;

/** One record uploaded from a batch scanner, as intake hands it to the log. */
export interface CradleRecordInput {
  /** identity of the record independent of its position (device, time, symbology, data, occurrence) */
  key: string;
  text: string;
  rawHex: string;
  symbology: string;
  /** the scanner's own clock reading (evidence), and that reading corrected by the measured offset */
  scannerTime: string;
  correctedTime: string;
}

export interface AssetFields {
  tag: string;
  serial: string;
  assetType?: string;
  make?: string;
  model?: string;
  notes?: string;
  slot?: string | null;
}

export type Command =
  | { type: 'InitStore'; deviceId: string; keyFingerprint: string; softwareVersion: string }
  | { type: 'RegisterCase'; label: string; slots: number }
  | ({ type: 'RegisterAsset' } & AssetFields)
  | { type: 'UpdateAsset'; tag: string; serial?: string; assetType?: string; make?: string; model?: string; notes?: string }
  | { type: 'RegisterHolder'; name: string; badge?: string; org?: string; kind?: HolderKind }
  | { type: 'UpdateHolder'; holder: string; name?: string; badge?: string; org?: string; kind?: HolderKind }
  | { type: 'DeactivateHolder'; holder: string; reason?: string }
  | { type: 'ReactivateHolder'; holder: string; reason?: string }
  /** enrolmentCode: the box's one-time code, for the first admin where the box has one */
  | { type: 'RegisterOperator'; name: string; badge: string; role: Role; enrolmentCode?: string }
  | { type: 'DeactivateOperator'; operator: string; reason?: string }
  | { type: 'SignIn'; operator: string; method: 'badge' | 'pin' }
  | { type: 'SignInFailed'; badge: string; reason: string }
  /** a first-admin enrolment refused for a wrong code ("wrong code"), or during the lock ("locked") */
  | { type: 'EnrolmentCodeFailed'; reason: 'wrong code' | 'locked' }
  | { type: 'SignOut'; operator: string; reason: string }
  /** batch: the pending cradle batch this issue, return or sweep was made from */
  /** due: YYYY-MM-DD, or "none" for open-ended; default from the asset type. requireReceipt: the kiosk's path */
  | { type: 'Issue'; tags: string[]; holder: string; reason?: string; batch?: string; due?: string; receipt?: ReceiptInput; requireReceipt?: boolean }
  /** returnedBy: the badge of whoever brought it back, when scanned */
  | { type: 'Return'; tags: string[]; slot?: string; batch?: string; receipt?: ReceiptInput; returnedBy?: string; requireReceipt?: boolean }
  | { type: 'ExtendDue'; tag: string; due: string; reason: string }
  | { type: 'SetTerms'; text: string }
  | { type: 'StartSweep'; case?: string; cage?: boolean }
  | { type: 'AbandonSweep'; case?: string; cage?: boolean; reason?: string }
  | { type: 'Move'; tag: string; slot: string }
  | { type: 'Sweep'; case: string; cage?: false; seen: string[]; batch?: string; scanSeqs?: number[] }
  /** a sweep of the whole cage: every case at once; seen tags may say where as TAG@CASE/N */
  | { type: 'Sweep'; cage: true; case?: undefined; seen: string[]; batch?: string; scanSeqs?: number[] }
  | { type: 'MarkMissing'; tag: string; reason?: string }
  | { type: 'Found'; tag: string; reason?: string }
  | { type: 'ChangeCondition'; tag: string; condition: string; note?: string }
  | { type: 'Retire'; tag: string; reason: string }
  | { type: 'Correct'; target: AppliedEvent; reason: string }
  | { type: 'RecordScan'; text: string; rawHex: string; source: Source; device: string; symbology?: string | null }
  | {
    type: 'RecordCradleUpload'; device: string; serial: string; firmware: string;
    clockOffsetMs: number; scannerClock: string; hostClock: string; records: CradleRecordInput[];
  }
  | { type: 'DismissCradleBatch'; batch: string; reason?: string }
  | { type: 'RecordUiAction'; screen: string; action: string; target: string }
  /** an audit bundle was written and read back verified (data as recorded: see docs/event-format.md) */
  | { type: 'RecordExport'; bundle: string; target: string; manifestSha256: string; count: number; headSeq: number; headHash: string; bytes: number;
    previous: { seq: number; hash: string } | null; backup: { file: string; sha256: string; headSeq: number } | null }
  | { type: 'RecordExportFailed'; bundle: string; target: string; stage: string; code: string; reason: string }
  /** the database was replaced by a backup; recorded as the first event after the restored head */
  | { type: 'RecordRestore'; file: string; sha256: string; backupHead: { seq: number; hash: string }; replacedHead: { seq: number; hash: string } | null;
    previousKeptAt: string | null; lastExport: { seq: number; hash: string } | null; forced: boolean; reason: string }
  | { type: 'ImportAssets'; rows: AssetImportRow[] }
  | { type: 'ImportHolders'; rows: HolderImportRow[] };

export interface AssetImportRow extends AssetFields {
  row: number;
}

export interface HolderImportRow {
  row: number;
  name: string;
  badge?: string;
  org?: string;
  kind?: string;
}

export interface ImportRowResult {
  row: number;
  key: string;
  status: 'new' | 'unchanged' | 'update' | 'error';
  message: string;
}
