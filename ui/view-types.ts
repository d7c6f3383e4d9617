// The data each screen is rendered from. appliance/http builds it from the cage (screen-data.ts); the
// components only display it, on the server and again, unchanged, when they hydrate in the browser.

export interface OperatorInfo {
  id: string;
  name: string;
  role: 'operator' | 'admin';
}

/** Every page carries this beside its screen (a JSON script block: read by the client, never executed). */
export interface PageContext {
  screen: string;
  operator: OperatorInfo | null;
  /** Seconds without a tap or scan before the kiosk signs the operator out. */
  idleSeconds: number;
  /** Longest pause between the characters of one keyboard-wedge scan. */
  wedgeGapMs: number;
  /** Highest event seq the page was rendered from: live updates continue after it. */
  seq: number;
  deviceId: string;
}

export interface Counts {
  in_storage: number;
  issued: number;
  missing: number;
  overdue: number;
}

export interface FeedItem {
  seq: number;
  at: string;
  text: string;
  /** scan | custody | tap | admin | session | other: picks the marker shown beside the line */
  kind: string;
}

/** The device name the kiosk page's own keyboard-wedge capture records its scans under. */
export const BROWSER_WEDGE_DEVICE = 'kiosk-browser';

export interface DeviceLine {
  name: string;
  state: string;
  ok: boolean;
}

/** A device's status as the server reports it (device/device-status.ts). */
export interface DeviceStatusInfo {
  id: string;
  kind: string;
  state: 'connected' | 'disconnected' | 'error' | 'not-present' | 'busy';
  detail: string;
  simulated: boolean;
  since: string;
  progress?: { done: number; total: number };
}

/** The live "devices" update: the lines the idle screen shows, and each device's status. */
export interface DevicesUpdate {
  lines: DeviceLine[];
  statuses: DeviceStatusInfo[];
}

export interface IdleData {
  signedIn: boolean;
  operatorName: string | null;
  admin: boolean;
  counts: Counts;
  events: FeedItem[];
  devices: DeviceLine[];
  /** cradle uploads waiting for an operator to use or dismiss them */
  pendingBatches: CradleBatchInfo[];
  /** simulated devices run (ASSETTRACK_SIMULATE=1): show the developer panel */
  simulator: boolean;
  /** the cradle's status line while it is busy (uploading), else null */
  cradleBusy: string | null;
  /** the inserted USB stick(s), as the device status says it, or null when none */
  usb: string | null;
  /** the audit export: running or just finished (the export status), and whether one is due */
  exportStatus: DeviceStatusInfo | null;
  audit: AuditExportInfo;
  /** return dates: what is overdue, what is due back today, by holder */
  due: DueInfo;
  /** today's proposed sweep, how many cases are behind, and the sweeps left open */
  sweepPlan: SweepPlan;
}

/** An issued asset at or past its return date. */
export interface DueItem {
  tag: string;
  holder: { id: string; name: string } | null;
  /** the return date (YYYY-MM-DD) */
  due: string;
  /** whole days past it: 0 = due back today */
  days: number;
}

/** Overdue and due-today assets (each list cut to the first few; the counts are the whole). */
export interface DueInfo {
  /** longest overdue first */
  overdue: DueItem[];
  overdueCount: number;
  dueToday: DueItem[];
  dueTodayCount: number;
  /** holders with something overdue or due today, most overdue first */
  byHolder: { id: string; name: string; overdue: number; dueToday: number }[];
}

/** The sweep schedule as the idle screen proposes it. */
export interface SweepPlan {
  /** cases proposed for today, in order */
  today: string[];
  /** cases past their interval or never swept */
  behind: number;
  intervalDays: number;
  /** sweeps started and not finished: the case (or "the whole cage"), who has it, and whether it is the viewer's */
  open: { label: string; href: string; by: string; mine: boolean }[];
}

/** When the last audit export was written, and whether the next one is due. */
export interface AuditExportInfo {
  lastAt: string | null;
  lastBundle: string | null;
  due: boolean;
  dueDays: number;
}

export interface ExportStickInfo {
  label: string;
  mountPoint: string;
  fsType: string;
  readOnly: boolean;
  free: string;
}

export interface ExportData {
  sticks: ExportStickInfo[];
  audit: AuditExportInfo;
  deviceId: string;
  fingerprint: string;
  events: number;
  status: DeviceStatusInfo | null;
  simulator: boolean;
}

export interface CradleBatchInfo {
  batch: string;
  device: string;
  uploadedAt: string;
  count: number;
  status: 'pending' | 'used' | 'dismissed';
  resolvedSeq: number | null;
}

export interface CradleScanRow {
  seq: number;
  value: string;
  /** asset | holder | operator | case | slot | unknown | rejected */
  kind: string;
  ref: string | null;
  reason: string;
  symbology: string;
  scannerTime: string;
  correctedTime: string;
}

export interface CradleBatchData {
  batch: CradleBatchInfo;
  scans: CradleScanRow[];
  /** cases the batch's slots and assets point at, to offer their sweeps first */
  cases: string[];
  signedIn: boolean;
}

/** The cradle upload a batch or sweep screen was opened from, with its scans in the order they were read. */
export interface FromCradle {
  batch: string;
  count: number;
  scans: { kind: string; ref: string | null; value: string }[];
}

export interface ScanInfo {
  /** asset | holder | operator | case | slot | unknown | rejected */
  kind: string;
  ref: string | null;
  value: string;
  source: string;
  device: string;
  duplicate: boolean;
  reason: string;
}

/** One recorded event as the server pushes it over Server-Sent Events. */
export interface LiveEvent extends FeedItem {
  type: string;
  subject: string;
  source: string;
  scan: ScanInfo | null;
}

/** An asset as every screen shows it. */
export interface AssetInfo {
  tag: string;
  serial: string;
  type: string;
  make: string;
  model: string;
  state: 'in_storage' | 'issued' | 'retired';
  missing: boolean;
  condition: string;
  holder: { id: string; name: string } | null;
  since: string;
  /** whole days since `since` */
  days: number;
  home: string | null;
  slot: string | null;
  lastSeenAt: string | null;
}

export interface HolderInfo {
  id: string;
  name: string;
  badge: string | null;
  org: string;
  kind: string;
  active: boolean;
  /** how many assets they hold now */
  holding: number;
}

export type AssetAction = 'issue' | 'return' | 'move' | 'missing' | 'found' | 'condition' | 'retire';

export interface FirstRunData {
  demoAvailable: boolean;
  /** the box drew a one-time enrolment code at first boot: the screen asks for it first (never the code itself) */
  enrolmentCodeRequired: boolean;
}

export interface SignInData {
  operators: { id: string; name: string; role: string; triesLeft: number; lockedMinutes: number }[];
}

export interface AssetScreenData {
  asset: AssetInfo;
  actions: AssetAction[];
  events: FeedItem[];
  signedIn: boolean;
}

export interface IssueData {
  assets: (AssetInfo & { blocker: string | null })[];
  holder: HolderInfo | null;
  /** active holders to pick from (only while no holder is chosen) */
  holders: HolderInfo[];
  undoSeconds: number;
  /** the hand receipt: terms, rules; `dues` is each asset's default return date by tag ("open" = open-ended) */
  receipt: ReceiptSetup;
  dues: Record<string, string>;
}

export interface SlotChoice {
  slot: string;
  /** the asset in it, or null when empty */
  tag: string | null;
}

export interface ReturnData {
  asset: AssetInfo;
  /** the home slot and who is in it now */
  home: SlotChoice | null;
  /** empty slots offered when the home is taken (same case first) */
  empty: string[];
  undoSeconds: number;
  /** the hand receipt; `people` names the holders whose badge may be scanned as "brought back by" */
  receipt: ReceiptSetup;
  people: ReceiptPerson[];
}

export interface ChangeData {
  asset: AssetInfo;
  change: 'move' | 'missing' | 'found' | 'condition' | 'retire';
  /** move: empty slots to choose from */
  empty: string[];
  conditions: string[];
  undoSeconds: number;
}

export interface BatchRow {
  tag: string;
  model: string;
  ready: boolean;
  reason: string;
  /** issue: the default return date its type gives ("open"); return: who holds it now (holder id) */
  due?: string;
  holderId?: string | null;
}

export interface BatchData {
  mode: 'issue' | 'return';
  holder: HolderInfo | null;
  holders: HolderInfo[];
  rows: BatchRow[];
  undoSeconds: number;
  cradle: FromCradle | null;
  /** the hand receipt (issue and return) */
  receipt: ReceiptSetup;
}

export interface SweepChoiceData {
  cases: {
    label: string; slots: number; occupied: number;
    /** when it was last swept (ISO), null = never */
    lastSwept: string | null;
    /** next sweep due (YYYY-MM-DD), whether that is today or earlier, and days past it */
    nextDue: string; due: boolean; daysBehind: number;
    /** part of today's proposed sweep */
    today: boolean;
    /** the operator with a sweep of it open, or null */
    openBy: string | null;
  }[];
  /** who has a sweep of the whole cage open, or null */
  cageOpenBy: string | null;
  intervalDays: number;
}

export interface SweepCase {
  label: string;
  slots: { n: number; slot: string; tag: string | null }[];
}

export interface SweepData {
  /** the case swept, or null for a sweep of the whole cage */
  case: string | null;
  /** the one case, or every case of the cage */
  cases: SweepCase[];
  cradle: FromCradle | null;
  /** why this operator cannot sweep it now (another operator's open sweep), or null: the screen then starts or resumes it */
  refusal: string | null;
  /** the viewer's own open sweep of it, when there is one to resume */
  open: { startedAt: string } | null;
  /** an admin may abandon someone else's forgotten sweep */
  admin: boolean;
}

export interface DashboardData {
  counts: Counts;
  overdueDays: number;
  /** overdue: how many of their assets are past the return date */
  holdings: { id: string; name: string; org: string; count: number; maxDays: number; overdue: number }[];
  due: DueInfo;
  /** the latest returns by someone other than the holder, newest first */
  returnsByOthers: { seq: number; at: string; tag: string; holder: string; by: string }[];
  missing: { tag: string; slot: string | null; home: string | null }[];
  cases: { label: string; slots: { n: number; tag: string | null; state: 'empty' | 'home' | 'away' | 'out' }[] }[];
  /** one point per day, oldest first */
  series: { day: string; issued: number; inStorage: number }[];
}

export interface HistoryData {
  asset: AssetInfo;
  events: { seq: number; at: string; type: string; text: string; actor: string; source: string; kind: string; corrected: boolean }[];
}

export interface HolderData {
  holder: HolderInfo;
  /** the current hand receipt: each asset held now, its due date, and the receipt it was issued under (null: none) */
  assets: { tag: string; model: string; since: string; days: number; due: string | null; receiptSeq: number | null }[];
  custody: { seq: number; at: string; text: string }[];
}

export interface AdminField {
  name: string;
  label: string;
  kind: 'text' | 'number' | 'pin' | 'choice';
  choices?: string[];
  value?: string;
  /** a scan fills this field */
  scans?: boolean;
}

export interface AdminFormData {
  /** the command it sends */
  command: string;
  title: string;
  fields: AdminField[];
  /** fixed values sent along */
  fixed: Record<string, string>;
}

export interface ImportData {
  kind: 'assets' | 'holders';
}

export interface CorrectionData {
  events: { seq: number; at: string; text: string; type: string }[];
}

export interface AdminData {
  sections: { href: string; label: string; hint: string }[];
  deviceId: string;
  /** the device key's fingerprint: what an auditor compares with the one printed by verify.mjs */
  fingerprint: string;
  /** whether the two-person rule is in force now, and why (or why not) */
  twoPerson: { inForce: boolean; why: string };
}

/** The terms text holders sign under (admin): the current version, and a new one to set. */
export interface TermsData {
  current: { version: number; text: string; sha256: string } | null;
  twoPerson: { inForce: boolean; why: string };
  /** whether ASSETTRACK_TWO_PERSON names "terms" (a second admin then confirms while the rule is in force) */
  termsNeedSecond: boolean;
}

export interface FindData {
  code: string;
  message: string;
  /** for an admin: register this unknown code as an asset */
  registerHref: string | null;
}

/** What a screen that confirms an issue or a return needs for its hand receipt (issue 9). */
export interface ReceiptSetup {
  /** ASSETTRACK_RECEIPTS=required: Confirm waits for a signature (or the badge, where allowed) */
  receiptsRequired: boolean;
  /** ASSETTRACK_RECEIPT_BADGE: the person may scan their own badge instead of signing */
  badgeAcknowledgement: boolean;
  /** the terms text the holder signs under, or null when none is set */
  terms: { version: number; text: string } | null;
  /** today on the box (YYYY-MM-DD): the earliest return date */
  today: string;
}

/** Someone named on a receipt by their badge: the holder acknowledging, or who brought things back. */
export interface ReceiptPerson {
  id: string;
  name: string;
  badge: string;
}

/** A finger signature as the signature pad gives it: whole-number points in the pad's pixel grid. */
export interface SignatureValue {
  width: number;
  height: number;
  strokes: [number, number][][];
}
