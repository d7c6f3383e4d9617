// How the screens talk to the appliance: the JSON API with an idempotency key on every command, the
// kiosk's own header (the server's cross-site check), and refusals returned as plain sentences.

export type Answer = { ok: true; [key: string]: unknown } | { ok: false; error: { code: string; message: string; [key: string]: unknown } };

const HEADERS = { 'content-type': 'application/json', 'x-requested-by': 'assettrack-kiosk' };

/** One id per page load: with it, a tap repeated on the same page is the same request. */
export const PAGE_ID = crypto.randomUUID();

export function newKey(): string {
  return crypto.randomUUID();
}

async function answerOf(res: Promise<Response>): Promise<Answer> {
  try {
    const r = await res;
    const body = (await r.json()) as Answer;
    return body;
  } catch {
    return { ok: false, error: { code: 'NETWORK', message: 'The kiosk could not reach its server. Try again.' } };
  }
}

/** POST /api/commands/NAME. Send the same key again (a double tap, a retry) and it is one command. */
export function command(name: string, input: Record<string, unknown>, key: string): Promise<Answer> {
  return answerOf(fetch(`/api/commands/${encodeURIComponent(name)}`, {
    method: 'POST', headers: { ...HEADERS, 'idempotency-key': key }, body: JSON.stringify(input),
  }));
}

/** POST to a kiosk route (sign-in, sign-out, activity). */
export function post(path: string, body: Record<string, unknown> = {}): Promise<Answer> {
  return answerOf(fetch(path, { method: 'POST', headers: HEADERS, body: JSON.stringify(body) }));
}

export function getJson<T>(path: string): Promise<T | null> {
  return fetch(path, { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? (r.json() as Promise<T>) : null))
    .catch(() => null);
}

/**
 * Records a tap that starts, confirms or cancels something (a UiAction event). Sent with keepalive so a
 * navigation right after the tap does not cancel it; the key makes a double tap one record.
 */
export function recordTap(screen: string, action: string, target = ''): Promise<Answer> {
  return answerOf(fetch('/api/commands/ui-action', {
    method: 'POST', keepalive: true,
    headers: { ...HEADERS, 'idempotency-key': `tap:${PAGE_ID}:${screen}:${action}:${target}` },
    body: JSON.stringify({ screen, action, target }),
  }));
}

/** Records the tap, then opens the next screen. */
export async function tapAndGo(screen: string, action: string, target: string, href: string): Promise<void> {
  await recordTap(screen, action, target);
  location.assign(href);
}
