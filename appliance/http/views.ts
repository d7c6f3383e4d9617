// Cage entities as the kiosk's view types (ui/view-types.ts).
import type { Asset, CageState, Holder } from '../domain/types.ts';
import type { AssetInfo, HolderInfo } from '../../ui/view-types.ts';

export function daysSince(iso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 86_400_000));
}

export function assetInfo(state: CageState, a: Asset, now: Date): AssetInfo {
  const holder = a.holderId ? state.holders.get(a.holderId) : undefined;
  return {
    tag: a.tag, serial: a.serial, type: a.type, make: a.make, model: a.model, state: a.state, missing: a.missing,
    condition: a.condition, holder: holder ? { id: holder.id, name: holder.name } : null, since: a.since,
    days: daysSince(a.since, now), home: a.home, slot: a.slot, lastSeenAt: a.lastSeenAt,
  };
}

/** How many assets each holder has now (one pass over the assets). */
export function holdingCounts(state: CageState): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of state.assets.values()) if (a.state === 'issued' && a.holderId) counts.set(a.holderId, (counts.get(a.holderId) ?? 0) + 1);
  return counts;
}

export function holderInfo(h: Holder, holding: Map<string, number>): HolderInfo {
  return { id: h.id, name: h.name, badge: h.badge, org: h.org, kind: h.kind, active: h.active, holding: holding.get(h.id) ?? 0 };
}

/** Active holders, by name: the list a holder is picked from. */
export function activeHolders(state: CageState): HolderInfo[] {
  const holding = holdingCounts(state);
  return [...state.holders.values()].filter((h) => h.active).sort((a, b) => a.name.localeCompare(b.name)).map((h) => holderInfo(h, holding));
}

/** Empty slots, those of `nearCase` first, then case by case in label order. */
export function emptySlots(state: CageState, nearCase?: string): string[] {
  const cases = [...state.cases.values()].sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
  const near = nearCase?.toUpperCase();
  cases.sort((a, b) => Number(b.label.toUpperCase() === near) - Number(a.label.toUpperCase() === near));
  const out: string[] = [];
  for (const c of cases) {
    for (let n = 1; n <= c.slots; n++) if (!state.slots.has(`${c.key}/${n}`)) out.push(`${c.label}/${n}`);
  }
  return out;
}

export const caseOfSlot = (slot: string | null): string | undefined => (slot ? slot.slice(0, slot.lastIndexOf('/')) : undefined);
