// What a route hands to the page renderer: which screen element, its title and its data.
import type { Appliance } from '../../appliance.ts';
import { DomainError } from '../../domain/errors.ts';
import { findAsset } from '../../domain/state.ts';
import type { Actor, Asset, CageState } from '../../domain/types.ts';
import type { OperatorInfo } from '../../../ui/view-types.ts';
import type { DeviceHub } from '../../intake/device-hub.ts';
import type { CustodyLog } from '../custody-log.ts';
import type { KioskConfig } from '../kiosk-config.ts';

export interface ScreenSpec {
  screen: string;
  title: string;
  /** the screen's custom element, e.g. 'idle-screen' */
  tag: string;
  data: unknown;
  status?: number;
  /** instead of a screen: send the browser here */
  redirect?: string;
}

/** What every screen loader may read. */
export interface ScreenContext {
  app: Appliance;
  config: KioskConfig;
  custody: CustodyLog;
  devices: DeviceHub;
  operator: OperatorInfo | null;
}

export function notice(title: string, message: string, status = 200): ScreenSpec {
  return { screen: 'notice', title, tag: 'notice-screen', data: { title, message }, status };
}

/** The asset a screen is about, or the 404 notice that says it is not registered. */
export function assetOrNotice(state: CageState, tag: string): Asset | ScreenSpec {
  try {
    return findAsset(state, tag);
  } catch (err) {
    if (err instanceof DomainError) return notice('Unknown asset', err.message, 404);
    throw err;
  }
}

export function actorOf(operator: OperatorInfo | null): Actor {
  return operator ? { kind: 'operator', id: operator.id, role: operator.role } : { kind: 'system' };
}

export const SIGN_IN_FIRST = notice('Sign in first', 'Sign in first: scan your badge, or sign in with your PIN.', 401);
