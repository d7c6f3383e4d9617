// Printable receipts on the kiosk: GET /receipt/:seq (one hand receipt) and GET /holder/:id/hand-receipt
// (everything a holder holds now, each with the receipt it was signed under). Whole HTML pages rendered on
// the server (appliance/receipts/receipt-html.ts, the same rendering the audit export writes): they need
// none of the kiosk's scripts, only a one-line Print button script of their own.
import express, { type Response } from 'express';
import type { Appliance } from '../appliance.ts';
import { DomainError } from '../domain/errors.ts';
import { findHolder } from '../domain/state.ts';
import { PRINT_SCRIPT, PRINT_SCRIPT_PATH, RECEIPT_CSS, RECEIPT_STYLE_HASH, handReceiptHtml, receiptHtml } from '../receipts/receipt-html.ts';
import { currentHandReceipt, receiptAt, termsOfReceipt } from '../receipts/receipt-records.ts';

/** The receipt pages' own policy: their one style block by hash, scripts only from this box, nothing else. */
const RECEIPT_CSP = [
  "default-src 'none'", "script-src 'self'", `style-src ${RECEIPT_STYLE_HASH}`, "img-src 'self' data:", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

function sendHtml(res: Response, html: string, status = 200): void {
  res.status(status).type('html').set({ 'cache-control': 'no-store', 'content-security-policy': RECEIPT_CSP }).send(html);
}

function notFound(res: Response, message: string): void {
  sendHtml(res, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title><style>${RECEIPT_CSS}</style></head>` +
    `<body><nav class="toolbar"><a href="/">Home</a></nav><h1>Not found</h1><p>${message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p></body></html>\n`, 404);
}

export function receiptRoutes(app: Appliance): express.Router {
  const router = express.Router();

  router.get(PRINT_SCRIPT_PATH, (_req, res) => {
    res.type('text/javascript').set('cache-control', 'no-cache').send(PRINT_SCRIPT);
  });

  router.get('/receipt/:seq', async (req, res) => {
    const text = String(req.params.seq);
    const seq = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
    const receipt = Number.isSafeInteger(seq) ? receiptAt(app.store, seq) : null;
    if (!receipt) return notFound(res, `Event ${text} is not a hand receipt.`);
    const holder = receipt.data.holder;
    const holderId = holder && typeof holder === 'object' && !Array.isArray(holder) && typeof holder.id === 'string' ? holder.id : null;
    const back = holderId && app.state().holders.has(holderId)
      ? { href: `/holder/${encodeURIComponent(holderId)}`, label: `Back to ${String((holder as { name?: unknown }).name ?? holderId)}` } : { href: '/', label: 'Home' };
    sendHtml(res, await receiptHtml({ deviceId: app.store.deviceId, receipt, terms: termsOfReceipt(app.store, receipt.data), kiosk: { back } }));
  });

  router.get('/holder/:id/hand-receipt', async (req, res) => {
    let holder;
    try {
      holder = findHolder(app.state(), String(req.params.id));
    } catch (err) {
      if (err instanceof DomainError) return notFound(res, err.message);
      throw err;
    }
    const current = currentHandReceipt(app, holder);
    sendHtml(res, await handReceiptHtml({
      deviceId: app.store.deviceId, at: app.nowIso(), head: current.head,
      holder: { id: holder.id, name: holder.name, org: holder.org, badge: holder.badge },
      assets: current.assets, receipts: current.receipts, terms: current.terms,
      kiosk: { back: { href: `/holder/${encodeURIComponent(holder.id)}`, label: `Back to ${holder.name}` } },
    }));
  });
  return router;
}
