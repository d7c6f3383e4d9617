// Times and durations as people at the cage read them. Used on the server and in the browser alike (same box,
// same clock and time zone), so a hydrated page shows what the server wrote.

export function clockTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

export function dateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function daysText(days: number): string {
  return days === 0 ? 'today' : days === 1 ? '1 day' : `${days} days`;
}

/** The rules' sentences name times in ISO form (2026-03-15T09:12:00.000Z); people read "15 Mar, 09:12". */
export function plainTimes(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, (iso) => dateTime(iso));
}

/** A date people can place in the year: "3 Sept 2026, 14:05" (the last audit export). */
export function fullDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** How far past its return date an asset is: "due back today", "1 day overdue", "3 days overdue". */
export function overdueText(days: number): string {
  return days <= 0 ? 'due back today' : `${days} ${days === 1 ? 'day' : 'days'} overdue`;
}

/** A holder's line in the "by holder" list: "(2 overdue, 1 due today)". */
export function holderDueText(h: { overdue: number; dueToday: number }): string {
  return `(${[h.overdue > 0 ? `${h.overdue} overdue` : '', h.dueToday > 0 ? `${h.dueToday} due today` : ''].filter(Boolean).join(', ')})`;
}

/** A calendar day (YYYY-MM-DD) as people read it: "12 Mar". */
export function dayText(date: string): string {
  const d = new Date(`${date}T12:00:00`);
  return Number.isNaN(d.getTime()) ? date : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}
