// The words the screens use for states and conditions, in one place.
import { dateTime, daysText } from './format.ts';
import type { AssetInfo } from './view-types.ts';

export function stateWords(a: AssetInfo): { text: string; tone: 'ok' | 'info' | 'bad' | 'warn' } {
  if (a.state === 'retired') return { text: 'Retired', tone: 'warn' };
  if (a.missing) return { text: 'Missing', tone: 'bad' };
  if (a.state === 'issued') return { text: 'Issued', tone: 'info' };
  return { text: 'In storage', tone: 'ok' };
}

export const conditionWords = (c: string): string => c.replace(/_/g, ' ');

/** "Issued to Bob Baker since 12 Mar, 09:12 (3 days)" or where it is stored. */
export function whereWords(a: AssetInfo): string {
  if (a.state === 'issued') return `Issued to ${a.holder?.name ?? 'someone unknown'} since ${dateTime(a.since)} (${daysText(a.days)})`;
  if (a.state === 'retired') return `Retired since ${dateTime(a.since)}`;
  if (!a.slot) return a.home ? `Not in a slot; its home is ${a.home}` : 'Not in a slot';
  return a.slot === a.home ? `In ${a.slot}, its home slot` : `In ${a.slot}; its home is ${a.home ?? 'not set'}`;
}
