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

export interface DeviceLine {
  name: string;
  state: string;
  ok: boolean;
}

export interface IdleData {
  signedIn: boolean;
  operatorName: string | null;
  counts: Counts;
  events: FeedItem[];
  devices: DeviceLine[];
}
