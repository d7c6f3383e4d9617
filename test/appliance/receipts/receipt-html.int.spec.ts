// Printable hand receipts: the page of one receipt (signature drawn from its strokes, the checkpoint as text
// and QR code, the terms text of the version signed, its exact data embedded), a holder's whole current hand
// receipt, and the kiosk routes that serve both as plain server-rendered HTML.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Command, JsonObject, RecordedEvent, SignatureInput } from '../../../appliance/domain/types.ts';
import { createApi } from '../../../appliance/http/server.ts';
import { checkpointPayload, handReceiptHtml, receiptHtml, RECEIPT_STYLE_HASH, signatureSvg } from '../../../appliance/receipts/receipt-html.ts';
import { currentHandReceipt, receiptAt, termsOfReceipt } from '../../../appliance/receipts/receipt-records.ts';
import { openCage, type Cage } from '../../support/cage.ts';

const SIGNATURE: SignatureInput = { width: 600, height: 200, strokes: [[[10, 150], [40, 120], [80, 160], [120, 90]], [[200, 100], [260, 110]], [[300, 50]]] };
const PATH = 'd="M10 150L40 120L80 160L120 90M200 100L260 110M300 50h0"';
const TERMS = 'I keep the equipment safe & dry, and bring it back by the date <due>.';

let cage: Cage;
afterEach(() => cage.close());

function run(cmd: Command): RecordedEvent[] {
  const outcome = cage.app.execute(cmd, { actor: cage.operator, source: 'touch' }, (events) => events);
  if (!outcome.ok) throw new Error(`${cmd.type} refused: ${outcome.error.code} ${outcome.error.message}`);
  return outcome.response;
}

function issueSigned(): RecordedEvent {
  run({ type: 'SetTerms', text: 'Version one.' });
  run({ type: 'SetTerms', text: TERMS });
  const events = run({ type: 'Issue', tags: ['LT-001', 'LT-002'], holder: 'EMP-1', due: '2026-04-01', requireReceipt: true, receipt: { signature: SIGNATURE } });
  expect(events[0]!.type).toBe('HandReceiptSigned');
  return events[0]!;
}

/** The JSON a receipt page embeds: the exact event data, with its seq. */
function embedded(page: string): { seq: number; data: JsonObject } {
  const m = /<script type="application\/json" id="receipt-data" data-seq="(\d+)">([^<]*)<\/script>/.exec(page);
  expect(m).not.toBeNull();
  return { seq: Number(m![1]), data: JSON.parse(m![2]!) as JsonObject };
}

describe('the receipt page', () => {
  it('draws the signature from its strokes, prints the checkpoint as text and QR code, the terms text signed, and embeds the exact data', async () => {
    cage = openCage();
    cage.operator = cage.admin; // SetTerms is an admin's
    const receipt = issueSigned();
    const record = receiptAt(cage.app.store, receipt.seq)!;
    expect(record.data).toEqual(receipt.data);
    const cp = receipt.data.checkpoint as { seq: number; hash: string; signature: string };
    const page = await receiptHtml({ deviceId: 'TEST-BOX', receipt: record, terms: termsOfReceipt(cage.app.store, record.data) });

    expect(page).toContain(PATH);
    expect(page).toMatch(/<svg class="signature"[^>]* viewBox="0 0 600 200"/);
    // the checkpoint as text: its seq, head hash and the device's signature
    expect(page).toContain(`the device's log stood at event <b>${cp.seq}</b>`);
    expect(page).toContain(`<dd class="mono">${cp.hash}</dd>`);
    expect(page).toContain(`<dd class="mono">${cp.signature}</dd>`);
    const payload = checkpointPayload('TEST-BOX', cp);
    expect(payload).toBe(`assettrack-checkpoint:TEST-BOX:${cp.seq}:${cp.hash}:${cp.signature}`);
    expect(page).toContain(`data-checkpoint="${payload}"`);
    // ...and as a QR code drawn in SVG
    expect(page).toMatch(/<svg class="qr" role="img" aria-label="QR code of checkpoint \d+" xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    // the terms of version 2 (the one signed), escaped
    expect(page).toContain('Version 2, SHA-256');
    expect(page).toContain('I keep the equipment safe &#38; dry, and bring it back by the date &#60;due&#62;.');
    expect(page).not.toContain('Version one.');
    // the people and the equipment
    expect(page).toContain('Bob Baker received the equipment below from Ada Admin');
    expect(page).toMatch(/<td><b>LT-001<\/b><\/td><td>SN-001<\/td><td>laptop<\/td><td><\/td><td>2026-04-01<\/td>/);
    // the exact data, not run as a script, and print CSS for A4 and Letter
    expect(embedded(page)).toEqual({ seq: receipt.seq, data: receipt.data });
    expect(page).toContain('@page { size: portrait; margin: 10mm 15mm; }');
    expect(page).not.toMatch(/<script(?! type="application\/json")/);
  });

  it('prints a badge acknowledgement without a signature, and a return receipt with who brought it back', async () => {
    cage = openCage();
    const issued = run({ type: 'Issue', tags: ['LT-001'], holder: 'EMP-1', requireReceipt: true, receipt: { badge: 'EMP-1' } });
    const page = await receiptHtml({ deviceId: 'TEST-BOX', receipt: receiptAt(cage.app.store, issued[0]!.seq)!, terms: null });
    expect(page).toContain('by scanning their own badge <b>EMP-1</b>');
    expect(page).not.toContain('class="signature"');
    expect(page).toContain('No terms text was in force');
    const back = run({ type: 'Return', tags: ['LT-001'], returnedBy: 'EMP-2', requireReceipt: true, receipt: { signature: SIGNATURE } });
    const ret = await receiptHtml({ deviceId: 'TEST-BOX', receipt: receiptAt(cage.app.store, back[0]!.seq)!, terms: null });
    expect(ret).toContain('<h1>Return receipt</h1>');
    expect(ret).toContain('brought back to the cage by Chloe Chen and checked in by Oscar Operator');
    expect(ret).toContain('Signed on the kiosk screen by Chloe Chen');
    expect(ret).toContain(PATH);
  });

  it('draws any signature it is given as one path a stroke', () => {
    expect(signatureSvg({ width: 100, height: 40, strokes: [[[1, 2], [3, 4]], [], [[5, 6]]] }, 'x')).toContain('d="M1 2L3 4M5 6h0"');
  });
});

describe('the current hand receipt', () => {
  it('lists everything the holder holds now, each with the receipt it was signed under', async () => {
    cage = openCage();
    cage.operator = cage.admin;
    const first = issueSigned();
    cage.clock.advance(60_000);
    const second = run({ type: 'Issue', tags: ['LT-003'], holder: 'EMP-1', requireReceipt: true, receipt: { badge: 'EMP-1' } })[0]!;
    cage.clock.advance(60_000);
    run({ type: 'Issue', tags: ['0042'], holder: 'EMP-1' }); // no receipt
    run({ type: 'Return', tags: ['LT-002'] });
    const holder = cage.app.state().holders.get('H-0001')!;
    const current = currentHandReceipt(cage.app, holder);
    expect(current.assets.map((a) => [a.tag, a.receiptSeq])).toEqual([['LT-001', first.seq], ['LT-003', second.seq], ['0042', null]]);
    expect([...current.receipts.keys()]).toEqual([first.seq, second.seq]);
    expect([...current.terms.keys()]).toEqual([2]);
    const page = await handReceiptHtml({
      deviceId: 'TEST-BOX', at: cage.app.nowIso(), head: current.head, holder, assets: current.assets, receipts: current.receipts, terms: current.terms,
    });
    expect(page).toContain('<h1>Hand receipt: Bob Baker</h1>');
    expect(page).toContain(`<h3>Receipt no. ${first.seq}</h3>`);
    expect(page).toContain('Still held from it: LT-001.');
    expect(page).toContain(`<h3>Receipt no. ${second.seq}</h3>`);
    expect(page).toContain(PATH);
    expect(page).toContain('<h2>Issued without a signed receipt</h2><p>0042:');
    expect(page).not.toMatch(/<b>LT-002<\/b>/);
    expect(page.match(/<svg class="qr"/g)).toHaveLength(2);
    expect(page).toContain('I keep the equipment safe &#38; dry');
  });
});

describe('the kiosk routes', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  async function serve(): Promise<string> {
    const api = createApi(cage.app);
    server = api.listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    const close = server.close.bind(server);
    server.close = (cb?: (err?: Error) => void) => {
      api.locals.stop();
      server!.closeAllConnections();
      return close(cb);
    };
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('serves one receipt and a holder\'s hand receipt as HTML under a policy that allows only their own style', async () => {
    cage = openCage();
    cage.operator = cage.admin;
    const receipt = issueSigned();
    const base = await serve();
    const res = await fetch(`${base}/receipt/${receipt.seq}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain(`style-src ${RECEIPT_STYLE_HASH}`);
    const page = await res.text();
    expect(page).toContain(PATH);
    expect(page).toContain('<a href="/holder/H-0001">Back to Bob Baker</a>');
    expect(page).toContain('<script src="/receipt-print.js" defer></script>');
    expect((await fetch(`${base}/receipt-print.js`)).headers.get('content-type')).toMatch(/javascript/);

    const notReceipt = await fetch(`${base}/receipt/1`);
    expect(notReceipt.status).toBe(404);
    expect(await notReceipt.text()).toContain('Event 1 is not a hand receipt.');
    expect((await fetch(`${base}/receipt/abc`)).status).toBe(404);

    const hand = await fetch(`${base}/holder/EMP-1/hand-receipt`);
    expect(hand.status).toBe(200);
    expect(await hand.text()).toContain(`<h3>Receipt no. ${receipt.seq}</h3>`);
    expect((await fetch(`${base}/holder/NOBODY/hand-receipt`)).status).toBe(404);

    // the holder's kiosk screen links to both
    const screen = await fetch(`${base}/holder/H-0001`, { headers: { accept: 'application/json' } });
    const data = (await screen.json()) as { data: { assets: { tag: string; receiptSeq: number | null; due: string | null }[] } };
    expect(data.data.assets).toEqual([
      expect.objectContaining({ tag: 'LT-001', receiptSeq: receipt.seq, due: '2026-04-01' }),
      expect.objectContaining({ tag: 'LT-002', receiptSeq: receipt.seq, due: '2026-04-01' }),
    ]);
  });
});
