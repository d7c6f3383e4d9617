#!/usr/bin/env node
// verify.mjs: checks an AssetTrack audit bundle offline, with plain Node 18 or newer and nothing else.
//
//   node verify.mjs [BUNDLE_DIR] [--previous PREVIOUS_BUNDLE_DIR] [--json] [--threads N]
//
// BUNDLE_DIR defaults to the folder this file is in. Exit 0 only when every check holds; 1 when one fails;
// 2 for bad usage. This file is written from docs/event-format.md alone (the canonical encoding and the
// hash rule), not from the appliance's code, so it is an independent check of what the appliance wrote.
// The appliance copies this very file into every bundle and runs it on the bundle it just wrote.
import crypto, { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

export const BUNDLE_FORMAT = 'assettrack-audit-export';
export const BUNDLE_FORMAT_VERSION = 1;
export const EVENT_FORMAT_VERSION = 1;
/** Files that are not listed in the manifest's file table: the manifest itself and its signature. */
const UNLISTED = new Set(['manifest.json', 'manifest.sig']);
const CHUNK = 4 * 1024 * 1024;
const HEX64 = /^[0-9a-f]{64}$/;

// ---- the canonical encoding (docs/event-format.md, "Canonical JSON") -----------------------------
/** JSON with object members sorted by key (UTF-16 code units), no whitespace, integers only. */
export function canonical(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string': return JSON.stringify(value);
    case 'boolean': return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw new TypeError(`not an integer: ${value}`);
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
      const keys = Object.keys(value).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) out += `${i ? ',' : ''}${JSON.stringify(keys[i])}:${canonical(value[keys[i]])}`;
      return `${out}}`;
    }
    default: throw new TypeError(`cannot encode a ${typeof value}`);
  }
}

/** The canonical bytes of an event: its ten hashed members in key order (not prev_hash, not hash). */
export function canonicalEvent(e) {
  const q = JSON.stringify;
  return `{"actor":${q(e.actor)},"data":${canonical(e.data)},"id":${q(e.id)},"idempotency_key":${q(e.idempotency_key)},` +
    `"occurred_at":${q(e.occurred_at)},"recorded_at":${q(e.recorded_at)},"seq":${e.seq},"source":${q(e.source)},` +
    `"subject":${q(e.subject)},"type":${q(e.type)}}`;
}

export function sha256Hex(data) {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The hash rule: hex SHA-256 of prev_hash (ASCII) followed by the canonical text (UTF-8). Node 21.7 and newer
 * have a one-shot crypto.hash, much cheaper for a million short inputs; older Node takes the streaming path.
 * Both hash the same bytes: prev_hash is ASCII, and `canon` is well-formed (JSON.stringify escapes lone surrogates).
 */
const eventHash = typeof crypto.hash === 'function'
  ? (prev, canon) => crypto.hash('sha256', prev + canon, 'hex')
  : (prev, canon) => createHash('sha256').update(prev).update(canon).digest('hex');

/**
 * True when every object in `value` already has its keys in canonical (sorted) order and every number is an
 * integer: then JSON.stringify(value) writes exactly what canonical(value) writes (same members in the same
 * order, strings and integers written alike), in one native call. False (or a throw) sends the caller to
 * canonical() itself.
 */
function inCanonicalOrder(value) {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean': return true;
    case 'number': return Number.isSafeInteger(value);
    case 'object': {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!inCanonicalOrder(value[i])) return false;
        return true;
      }
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        if (i > 0 && !(keys[i - 1] < keys[i])) return false;
        if (!inCanonicalOrder(value[keys[i]])) return false;
      }
      return true;
    }
    default: return false;
  }
}

/**
 * canonicalEvent(e) for an event whose members memberProblem() accepted (text members are strings, seq a
 * safe integer, data an object). When its data is in canonical order the ten members are written by one
 * JSON.stringify of an object built in sorted key order; otherwise (or for a number that is not an integer)
 * canonicalEvent() itself encodes, sorts or throws.
 */
function canonicalEventOf(e) {
  if (!inCanonicalOrder(e.data)) return canonicalEvent(e);
  return JSON.stringify({
    actor: e.actor, data: e.data, id: e.id, idempotency_key: e.idempotency_key, occurred_at: e.occurred_at,
    recorded_at: e.recorded_at, seq: e.seq, source: e.source, subject: e.subject, type: e.type,
  });
}

export function genesisHash(deviceId) {
  return sha256Hex(`assettrack-genesis:${deviceId}`);
}

/** SHA-256 of the DER public key in groups of four hex digits, as the kiosk's admin screen shows it. */
export function keyFingerprint(publicKeyPem) {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return sha256Hex(der).match(/.{4}/g).join(':');
}

const EVENT_MEMBERS = ['actor', 'data', 'hash', 'id', 'idempotency_key', 'occurred_at', 'prev_hash', 'recorded_at', 'seq', 'source', 'subject', 'type'];
const TEXT_MEMBERS = ['actor', 'id', 'idempotency_key', 'occurred_at', 'recorded_at', 'source', 'subject', 'type'];

const NOT_HEX = 'its prev_hash or hash is not 64 lowercase hex digits';

/** What is wrong with the members of an event line, or null; all but the hex form of prev_hash and hash. */
function shapeProblem(e) {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return 'it is not a JSON object';
  const keys = Object.keys(e);
  if (keys.length !== EVENT_MEMBERS.length || !EVENT_MEMBERS.every((k) => k in e)) return `its members are not exactly ${EVENT_MEMBERS.join(', ')}`;
  if (!Number.isSafeInteger(e.seq)) return 'its seq is not a whole number';
  for (const k of TEXT_MEMBERS) if (typeof e[k] !== 'string') return `its ${k} is not text`;
  if (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data)) return 'its data is not an object';
  return null;
}

function hexForm(e) {
  return HEX64.test(e.prev_hash) && HEX64.test(e.hash);
}

// ---- reading the event log of a bundle -------------------------------------------------------------
// A large log is checked in parallel: events.ndjson is cut into byte ranges at line ends, each range is
// walked in a worker thread (every line parsed, its hash recomputed, linked to the line before it in the
// range), and this thread joins the ranges: each range's first event must follow the previous range's last
// one (seq and prev_hash). The result, and the first problem reported, are what one walk from the first
// line to the last gives. Meanwhile this thread computes the SHA-256 of the files.

/** Below this size the log is walked in this thread: starting workers would cost more than it saves. */
const PARALLEL_FROM_BYTES = 32 * 1024 * 1024;
const MIN_RANGE_BYTES = 16 * 1024 * 1024;
const MAX_THREADS = 8;

function defaultThreads() {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(MAX_THREADS, n || 1));
}

/**
 * Walks the lines of events.ndjson between byte `start` (a line start) and byte `end` (just after a line's
 * newline, or the end of the file). `want` lists seqs whose hashes the caller needs (the previous export's
 * head, receipts and their checkpoints); of those, `keep` lists the events wanted whole (the receipts). The
 * seqs of HandReceiptSigned events after `receiptsAfter` are listed too. Stops at the first problem, given
 * as { line, text } with "{line}" in the text where the line's number in the whole file goes. `fromStart`:
 * the range starts at line 1 (event 1 names the device; the chain starts from its genesis value); any other
 * range reports its first event (firstLine) for the join.
 */
function walkRange(path, start, end, { want, keep, receiptsAfter, fromStart }) {
  const found = [];
  const kept = [];
  const receiptSeqs = [];
  const counts = {};
  const fd = openSync(path, 'r');
  let buf = Buffer.allocUnsafe(CHUNK);
  let have = 0;
  let pos = start;
  let line = 0;
  let expected = 1;
  let prev = null;
  let deviceId = null;
  let keyFromLog = null;
  let firstLine = null;
  let first = null;
  let last = null;
  let problem = null;
  // The checks of one line, in this order: JSON, members, seq, event 1, link, canonical encoding, hash. The
  // hex form of prev_hash and hash is a member check, but it is made only when a later check fails (it is
  // then reported instead, as if made first): when the link and the hash hold, prev_hash equals and hash
  // equals a 64-hex-digit digest, so the form holds and the regular expressions need not run a million times.
  const fail = (e, text) => { problem = { line, text: hexForm(e) ? text : `events.ndjson line {line}: ${NOT_HEX}` }; };
  const take = (text) => {
    line += 1;
    if (problem) return;
    let e;
    try { e = JSON.parse(text); } catch { problem = { line, text: 'events.ndjson line {line} is not valid JSON' }; return; }
    const bad = shapeProblem(e);
    if (bad) { problem = { line, text: `events.ndjson line {line}: ${bad}` }; return; }
    if (line === 1 && !fromStart) {
      // Its seq and its link to the range before are checked where the ranges are joined.
      firstLine = { seq: e.seq, prevHash: e.prev_hash, hexOk: hexForm(e) };
      expected = e.seq;
      prev = e.prev_hash;
    }
    if (e.seq !== expected) {
      fail(e, `events.ndjson line {line}: event ${e.seq} where event ${expected} was expected (an event was removed, added or reordered)`);
      return;
    }
    if (line === 1 && fromStart) {
      if (e.type !== 'StoreInitialized' || typeof e.data.device_id !== 'string') { fail(e, 'event 1 is not the StoreInitialized event that names the device'); return; }
      deviceId = e.data.device_id;
      keyFromLog = typeof e.data.key_fingerprint === 'string' ? e.data.key_fingerprint : null;
      prev = genesisHash(deviceId);
    }
    if (e.prev_hash !== prev) { fail(e, `event ${e.seq}: its prev_hash does not link to the event before it`); return; }
    let canon;
    try { canon = canonicalEventOf(e); } catch (err) { fail(e, `event ${e.seq}: its data cannot be encoded canonically (${err.message})`); return; }
    if (eventHash(prev, canon) !== e.hash) {
      fail(e, `event ${e.seq}: its content does not match its hash (altered after it was written)`);
      return;
    }
    if (want.has(e.seq)) {
      found.push([e.seq, e.hash]);
      if (keep.has(e.seq)) kept.push([e.seq, e]);
    }
    if (e.seq > receiptsAfter && e.type === RECEIPT_TYPE) receiptSeqs.push(e.seq);
    counts[e.type] = (counts[e.type] ?? 0) + 1;
    if (!first) first = { seq: e.seq, hash: e.hash };
    last = { seq: e.seq, hash: e.hash };
    prev = e.hash;
    expected += 1;
  };
  try {
    // Read into one buffer; decode the complete lines of each read as one string (a newline byte never
    // falls inside a UTF-8 sequence) and move the unfinished line to the start of the buffer.
    while (pos < end && !problem) {
      if (have === buf.length) { // one line longer than the buffer: make room
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const n = readSync(fd, buf, have, Math.min(buf.length - have, end - pos), pos);
      if (n === 0) break; // (the file became shorter while it was read)
      pos += n;
      const stop = have + n;
      const lastNl = buf.lastIndexOf(10, stop - 1);
      if (lastNl === -1) { have = stop; continue; } // (the carried bytes hold no newline)
      const text = buf.toString('utf8', 0, lastNl);
      let from = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
        take(text.slice(from, nl));
        from = nl + 1;
      }
      take(text.slice(from));
      buf.copy(buf, 0, lastNl + 1, stop);
      have = stop - lastNl - 1;
    }
  } finally {
    closeSync(fd);
  }
  if (have > 0 && !problem) problem = { line: line + 1, text: 'events.ndjson ends in the middle of a line (line {line}): the file was cut short' };
  return { lines: line, firstLine, first, last, deviceId, keyFromLog, counts, found, kept, receiptSeqs, problem };
}

/**
 * Byte ranges of about equal size, each starting at a line start: `threads` of them when asked for, else
 * (auto) one per processor for a large file and one for a small file.
 */
function splitRanges(path, size, threads, auto) {
  const n = !auto ? threads : size < PARALLEL_FROM_BYTES ? 1 : Math.max(1, Math.min(threads, Math.floor(size / MIN_RANGE_BYTES)));
  const cuts = [0];
  if (n > 1) {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.allocUnsafe(1024 * 1024);
      for (let i = 1; i < n; i++) {
        // The first line start at or after this share of the file (past the previous cut).
        let at = Math.max(Math.floor((size * i) / n), cuts[cuts.length - 1] + 1);
        let cut = -1;
        while (at < size && cut === -1) {
          const got = readSync(fd, buf, 0, buf.length, at - 1);
          if (got === 0) break;
          const nl = buf.subarray(0, got).indexOf(10);
          if (nl !== -1) cut = at - 1 + nl + 1;
          else at += got;
        }
        if (cut === -1 || cut >= size) break;
        cuts.push(cut);
      }
    } finally {
      closeSync(fd);
    }
  }
  return cuts.map((s, i) => [s, i + 1 < cuts.length ? cuts[i + 1] : size]);
}

/** One range walked in a worker thread (this very file); in this thread if a worker cannot be started. */
function walkRangeInWorker(path, start, end, opts) {
  return new Promise((resolveWalk) => {
    let settled = false;
    const inThread = () => {
      if (settled) return;
      settled = true;
      resolveWalk(walkRange(path, start, end, opts));
    };
    let worker;
    try {
      worker = new Worker(new URL(import.meta.url), {
        // A small young generation: each worker's heap stays small (the export runs in the kiosk's process).
        resourceLimits: { maxYoungGenerationSizeMb: 8 },
        workerData: { assettrackVerifyRange: { path, start, end, want: [...opts.want], keep: [...opts.keep], receiptsAfter: opts.receiptsAfter, fromStart: opts.fromStart } },
      });
    } catch {
      inThread();
      return;
    }
    worker.once('message', (r) => {
      settled = true;
      resolveWalk({ ...r, inWorker: true });
    });
    worker.once('error', inThread);
    worker.once('exit', inThread); // (after a message this does nothing)
  });
}

/**
 * Walks events.ndjson (in worker threads when it is large) and joins the ranges; with them the SHA-256 of
 * the file (computed here meanwhile) and of `alsoHash` (the other files, read one after the other).
 */
async function walkEvents(path, want, keep, receiptsAfter, { threads, auto }, alsoHash) {
  const size = statSync(path).size;
  const ranges = splitRanges(path, size, threads, auto);
  const opts = { want, keep, receiptsAfter, fromStart: true };
  let results;
  let hashes;
  if (ranges.length === 1) {
    results = [walkRange(path, 0, size, opts)];
    hashes = await hashFiles([path, ...alsoHash]);
  } else {
    const walks = ranges.map(([s, e], i) => walkRangeInWorker(path, s, e, { ...opts, fromStart: i === 0 }));
    hashes = await hashFiles([path, ...alsoHash]);
    results = await Promise.all(walks);
  }
  const walk = { sha256: hashes[0], otherHashes: hashes.slice(1), parts: results.length, workers: results.filter((r) => r.inWorker).length, count: 0, first: null, last: null, deviceId: null, keyFromLog: null,
    counts: {}, found: new Map(), kept: new Map(), receiptSeqs: [], problem: null };
  let lines = 0;
  for (const [i, r] of results.entries()) {
    const f = r.firstLine;
    if (i > 0 && f) {
      const expected = walk.count + 1;
      const at = lines + 1;
      if (f.seq !== expected) {
        walk.problem = f.hexOk ? `events.ndjson line ${at}: event ${f.seq} where event ${expected} was expected (an event was removed, added or reordered)`
          : `events.ndjson line ${at}: ${NOT_HEX}`;
      } else if (f.prevHash !== walk.last?.hash) {
        walk.problem = f.hexOk ? `event ${f.seq}: its prev_hash does not link to the event before it` : `events.ndjson line ${at}: ${NOT_HEX}`;
      }
    }
    if (!walk.problem && r.problem) walk.problem = r.problem.text.replace('{line}', String(lines + r.problem.line));
    if (walk.problem) break;
    if (i === 0) {
      walk.deviceId = r.deviceId;
      walk.keyFromLog = r.keyFromLog;
    }
    for (const [type, n] of Object.entries(r.counts)) walk.counts[type] = (walk.counts[type] ?? 0) + n;
    for (const [seq, hash] of r.found) walk.found.set(seq, hash);
    for (const [seq, e] of r.kept) walk.kept.set(seq, e);
    walk.receiptSeqs.push(...r.receiptSeqs);
    walk.first ??= r.first;
    if (r.last) {
      walk.last = r.last;
      walk.count = r.last.seq;
    }
    lines += r.lines;
  }
  return walk;
}

// ---- the bundle ------------------------------------------------------------------------------------
/**
 * Verifies the bundle in `dir` (and, with options.previous, that it continues that earlier bundle).
 * options.threads: the log is checked in that many parts in parallel (1: in this thread alone); without it,
 * in one part per processor (up to options.maxThreads, default 8) when events.ndjson is large.
 * Resolves to { ok, checks: [{ok, what}], failures: [text], manifest, count, head, deviceId, fingerprint }.
 */
export async function verifyBundle(dir, options = {}) {
  const asked = Number.isSafeInteger(options.threads) && options.threads > 0;
  const cap = Number.isSafeInteger(options.maxThreads) && options.maxThreads > 0 ? options.maxThreads : MAX_THREADS;
  const parallel = { threads: asked ? options.threads : Math.min(defaultThreads(), cap), auto: !asked };
  const checks = [];
  const check = (ok, what) => { checks.push({ ok, what }); return ok; };
  const result = (extra = {}) => {
    const failures = checks.filter((c) => !c.ok).map((c) => c.what);
    return { ok: failures.length === 0 && checks.length > 0, checks, failures, dir, ...extra };
  };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) { check(false, `${dir} is not a folder`); return result(); }

  // 1. The manifest and its signature by the device key.
  let manifestBytes;
  let manifest;
  try {
    manifestBytes = readFileSync(join(dir, 'manifest.json'));
    manifest = JSON.parse(manifestBytes.toString('utf8'));
  } catch (err) {
    check(false, `manifest.json cannot be read (${err.code ?? err.message})`);
    return result();
  }
  if (!check(manifest.format === BUNDLE_FORMAT && manifest.format_version === BUNDLE_FORMAT_VERSION,
    manifest.format === BUNDLE_FORMAT && manifest.format_version === BUNDLE_FORMAT_VERSION
      ? `manifest.json: ${BUNDLE_FORMAT} version ${BUNDLE_FORMAT_VERSION}`
      : `manifest.json is not an ${BUNDLE_FORMAT} of version ${BUNDLE_FORMAT_VERSION} (this verifier knows only that one)`)) return result({ manifest });
  const manifestSha256 = sha256Hex(manifestBytes);
  let fingerprint = null;
  let publicKey = null;
  try {
    const pem = readFileSync(join(dir, 'device-public-key.pem'), 'utf8');
    fingerprint = keyFingerprint(pem);
    publicKey = createPublicKey(pem);
    const signature = Buffer.from(readFileSync(join(dir, 'manifest.sig'), 'utf8').trim(), 'base64');
    const signed = verifySignature(null, manifestBytes, publicKey, signature);
    check(signed, signed ? `manifest.sig: manifest.json is signed by the device key ${fingerprint}`
      : 'manifest.sig: the signature does not match manifest.json and device-public-key.pem (the manifest was edited, or signed by another key)');
  } catch (err) {
    check(false, `manifest.sig or device-public-key.pem cannot be used (${err.code ?? err.message})`);
  }
  if (fingerprint) {
    check(manifest.key_fingerprint === fingerprint, manifest.key_fingerprint === fingerprint
      ? 'device-public-key.pem is the key the manifest names'
      : `device-public-key.pem has fingerprint ${fingerprint} but the manifest names ${manifest.key_fingerprint}`);
  }

  // 2. Every file is the one the manifest lists, byte for byte, and nothing else is there.
  const files = manifest.files && typeof manifest.files === 'object' ? manifest.files : {};
  const present = listFiles(dir);
  for (const name of present) {
    if (!UNLISTED.has(name) && !(name in files)) check(false, `${name} is in the folder but not in the manifest (added after export)`);
  }
  let fileFailures = 0;
  const toHash = []; // hashed while the events are walked, below
  for (const [name, expected] of Object.entries(files)) {
    if (name === 'events.ndjson') continue;
    const path = join(dir, name);
    if (!existsSync(path)) { fileFailures += 1; check(false, `${name} is listed in the manifest but missing`); continue; }
    toHash.push({ name, expected, path });
  }

  // 3. The event log: every hash recomputed, gapless, chained from the device's genesis value.
  const prevExport = manifest.previous_export ?? null;
  const want = new Set(prevExport && Number.isSafeInteger(prevExport.seq) ? [prevExport.seq] : []);
  // The hand receipts are read first: the walk then keeps their events and their checkpoints' hashes.
  const receipts = readReceipts(dir, files);
  const keep = new Set();
  for (const r of receipts) {
    if (r.seq === null) continue;
    want.add(r.seq);
    keep.add(r.seq);
    if (r.checkpoint && Number.isSafeInteger(r.checkpoint.seq)) want.add(r.checkpoint.seq);
  }
  let previous = null;
  if (options.previous) {
    previous = await verifyBundle(options.previous, asked ? { threads: options.threads } : { maxThreads: cap });
    if (previous.head) want.add(previous.head.seq);
  }
  const ndjson = join(dir, 'events.ndjson');
  const others = toHash.map((f) => f.path);
  const walk = existsSync(ndjson)
    ? await walkEvents(ndjson, want, keep, prevExport && Number.isSafeInteger(prevExport.seq) ? prevExport.seq : 0, parallel, others)
    : null;
  const otherHashes = walk ? walk.otherHashes : await hashFiles(others);
  for (const [i, f] of toHash.entries()) {
    if (otherHashes[i] !== f.expected.sha256) { fileFailures += 1; check(false, `${f.name} does not match its SHA-256 in the manifest (altered)`); }
  }
  if (!walk) { check(false, 'events.ndjson is missing'); return result({ manifest, fingerprint, manifestSha256 }); }
  const listed = files['events.ndjson'];
  if (!listed || walk.sha256 !== listed.sha256) { fileFailures += 1; check(false, 'events.ndjson does not match its SHA-256 in the manifest (altered)'); }
  if (fileFailures === 0) check(true, `${Object.keys(files).length} files match their SHA-256 in the manifest`);
  if (walk.problem) check(false, walk.problem);
  else {
    check(true, `events.ndjson: ${walk.count} events, seq 1 to ${walk.count} without a gap, every hash recomputed and chained from the genesis of ${walk.deviceId}`);
    const m = manifest.events ?? {};
    const agrees = m.count === walk.count && m.first_seq === (walk.first?.seq ?? 0) && m.last_seq === (walk.last?.seq ?? 0) &&
      m.first_hash === (walk.first?.hash ?? null) && m.last_hash === (walk.last?.hash ?? null);
    check(agrees, agrees ? 'the manifest\'s seq range, count, first and last hash match the log' : 'the manifest\'s seq range, count or first/last hash do not match events.ndjson');
    const headOk = manifest.head?.seq === walk.last?.seq && manifest.head?.hash === walk.last?.hash;
    check(headOk, headOk ? `head: event ${walk.last.seq}, ${walk.last.hash}` : `the manifest's head is not the last event of the log (events were removed or added at the end)`);
    check(manifest.device_id === walk.deviceId, manifest.device_id === walk.deviceId ? `device ${walk.deviceId}` : `the manifest names device ${manifest.device_id} but the log was started by ${walk.deviceId}`);
    if (fingerprint && walk.keyFromLog) {
      check(walk.keyFromLog === fingerprint, walk.keyFromLog === fingerprint ? 'the signing key is the one the log was started with (event 1)'
        : `the signing key ${fingerprint} is not the key the log was started with (${walk.keyFromLog})`);
    }
    const counted = JSON.stringify(sortedObject(walk.counts)) === JSON.stringify(sortedObject(manifest.counts_by_type ?? {}));
    check(counted, counted ? 'the counts by event type match the log' : 'the manifest\'s counts by event type do not match the log');
    checkReceipts(receipts, walk, publicKey, check);
    if (prevExport) {
      const linked = walk.found.get(prevExport.seq) === prevExport.hash;
      check(linked, linked ? `the previous export's head (event ${prevExport.seq}) is part of this chain`
        : `the previous export's head (event ${prevExport.seq}, ${prevExport.hash}) is not part of this chain: history was rewritten between exports`);
    }
  }

  // 4. The quarter before: verified itself, same device and key, and continued by this one.
  if (previous) {
    check(previous.ok, previous.ok ? `the previous bundle ${basename(resolve(options.previous))} verifies`
      : `the previous bundle does not verify: ${previous.failures[0]}`);
    if (previous.manifest) {
      const p = previous.manifest;
      const same = p.device_id === manifest.device_id && p.key_fingerprint === manifest.key_fingerprint;
      check(same, same ? 'the previous bundle is from the same device and key' : 'the previous bundle is from another device or key');
      const named = prevExport && prevExport.seq === p.head?.seq && prevExport.hash === p.head?.hash && prevExport.manifest_sha256 === previous.manifestSha256;
      check(!!named, named ? `this bundle names that bundle as the previous export (head ${p.head.seq})`
        : 'this bundle does not name that bundle as its previous export (another quarter is missing in between, or the wrong folder was given)');
      const continued = p.head && walk.found.get(p.head.seq) === p.head.hash;
      check(!!continued, continued ? `this chain continues the previous one from event ${p.head.seq}`
        : `this chain does not contain the previous bundle's head (event ${p.head?.seq}): history was rewritten between the exports`);
    }
  }
  const head = walk.last ? { seq: walk.last.seq, hash: walk.last.hash } : null;
  return result({ manifest, manifestSha256, fingerprint, deviceId: walk.deviceId, count: walk.count, head, countsByType: walk.counts,
    parts: walk.parts, workers: walk.workers });
}

// ---- hand receipts (docs/event-format.md, "The audit bundle") -------------------------------------
const RECEIPT_TYPE = 'HandReceiptSigned';
const RECEIPT_NAME = /^receipts\/receipt-(\d+)\.html$/;
const RECEIPT_DATA = /<script type="application\/json" id="receipt-data" data-seq="(\d+)">([^<]*)<\/script>/g;

/**
 * Every receipts/…html the manifest lists: its seq (from its name), and the event data it embeds as
 * <script type="application/json" id="receipt-data" data-seq="SEQ">, or why that cannot be read.
 */
function readReceipts(dir, files) {
  const out = [];
  for (const name of Object.keys(files).sort()) {
    if (!name.startsWith('receipts/')) continue;
    const r = { name, seq: null, data: null, checkpoint: null, problem: null };
    out.push(r);
    const m = RECEIPT_NAME.exec(name);
    if (!m) { r.problem = 'is not named receipts/receipt-<seq>.html'; continue; }
    r.seq = Number(m[1]);
    let text;
    try { text = readFileSync(join(dir, name), 'utf8'); } catch { r.problem = 'cannot be read'; continue; } // (missing: reported above)
    const blocks = [...text.matchAll(RECEIPT_DATA)];
    if (blocks.length !== 1) { r.problem = 'does not hold exactly one receipt-data block'; continue; }
    if (Number(blocks[0][1]) !== r.seq) { r.problem = `its receipt data names event ${blocks[0][1]}, not the event of its name`; continue; }
    try { r.data = JSON.parse(blocks[0][2]); } catch { r.problem = 'its receipt data is not valid JSON'; continue; }
    if (typeof r.data !== 'object' || r.data === null || Array.isArray(r.data)) { r.problem = 'its receipt data is not a JSON object'; r.data = null; continue; }
    const c = r.data.checkpoint;
    r.checkpoint = typeof c === 'object' && c !== null && !Array.isArray(c) ? c : null;
  }
  return out;
}

/** What the device key signs for a receipt's checkpoint. */
function checkpointText(deviceId, seq, hash) {
  return `assettrack-checkpoint:${deviceId}:${seq}:${hash}`;
}

/** Why one receipt does not hold, or null: its own hash, its event in the log, its checkpoint and the checkpoint's signature. */
function receiptProblem(r, walk, publicKey) {
  if (r.problem) return r.problem;
  const { content_sha256: stated, ...content } = r.data;
  let canon;
  try { canon = canonical(r.data); } catch (err) { return `its receipt data cannot be encoded canonically (${err.message})`; }
  if (typeof stated !== 'string' || stated !== sha256Hex(canonical(content))) return 'its content_sha256 is not the SHA-256 of its content (the receipt was altered)';
  const e = walk.kept.get(r.seq);
  if (!e) return `event ${r.seq} is not in events.ndjson`;
  if (e.type !== RECEIPT_TYPE) return `event ${r.seq} is a ${e.type}, not a ${RECEIPT_TYPE}`;
  if (canonical(e.data) !== canon) {
    const members = [...new Set([...Object.keys(e.data), ...Object.keys(r.data)])].sort()
      .filter((k) => !(k in e.data) || !(k in r.data) || canonical(e.data[k]) !== canonical(r.data[k]));
    return `its data is not the data of event ${r.seq} in events.ndjson (${members.join(', ')} differ: the receipt was altered)`;
  }
  const cp = r.checkpoint;
  if (!cp || !Number.isSafeInteger(cp.seq) || cp.seq < 0 || typeof cp.hash !== 'string' || typeof cp.signature !== 'string') return 'it names no checkpoint (seq, hash, signature)';
  if (cp.seq >= r.seq) return `its checkpoint (event ${cp.seq}) is not before the receipt`;
  const point = cp.seq === 0 ? genesisHash(walk.deviceId) : walk.found.get(cp.seq);
  if (point !== cp.hash) return `its checkpoint (event ${cp.seq}, ${cp.hash}) is not a point of this chain`;
  if (!publicKey) return 'its checkpoint signature cannot be checked without a usable device-public-key.pem';
  let signed = false;
  try {
    signed = verifySignature(null, Buffer.from(checkpointText(walk.deviceId, cp.seq, cp.hash), 'utf8'), publicKey, Buffer.from(cp.signature, 'base64'));
  } catch { /* not a signature at all */ }
  return signed ? null : 'its checkpoint signature does not verify with device-public-key.pem';
}

/** The hand receipts: each holds; and the period's every HandReceiptSigned has one. */
function checkReceipts(receipts, walk, publicKey, check) {
  let failures = 0;
  for (const r of receipts) {
    const why = receiptProblem(r, walk, publicKey);
    if (why) { failures += 1; check(false, `${r.name}${r.seq !== null ? ` (receipt ${r.seq})` : ''}: ${why}`); }
  }
  const present = new Set(receipts.map((r) => r.seq));
  for (const seq of walk.receiptSeqs) {
    if (!present.has(seq)) { failures += 1; check(false, `receipts/receipt-${seq}.html is not in the bundle: event ${seq} is a ${RECEIPT_TYPE} of this period`); }
  }
  if (failures === 0 && receipts.length > 0) {
    check(true, `${receipts.length} hand receipt(s) in receipts/: each holds the exact data of its ${RECEIPT_TYPE} event and its content hash, ` +
      'and names a checkpoint of this chain before it, signed by the device key');
  }
}

/**
 * SHA-256 of each file (null for one that cannot be read), one after the other, each read in pieces
 * (events.csv is as large as the log: it is not held in memory whole) without blocking this thread.
 */
async function hashFiles(paths) {
  const out = [];
  const buf = Buffer.allocUnsafe(CHUNK);
  for (const path of paths) {
    const hash = createHash('sha256');
    let file = null;
    try {
      file = await open(path, 'r');
      for (;;) {
        const { bytesRead } = await file.read(buf, 0, CHUNK, null);
        if (bytesRead === 0) break;
        hash.update(buf.subarray(0, bytesRead));
      }
      out.push(hash.digest('hex'));
    } catch {
      out.push(null);
    } finally {
      await file?.close().catch(() => {});
    }
  }
  return out;
}

function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, name));
    else out.push(name);
  }
  return out;
}

function sortedObject(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The report as an auditor reads it. */
export function describe(report) {
  const m = report.manifest ?? {};
  const lines = [`AssetTrack audit bundle ${basename(resolve(report.dir))}`];
  if (m.device_id) lines.push(`Device ${m.device_id}, software ${m.software_version}, exported ${m.created_at}`);
  if (report.fingerprint) lines.push(`Device key fingerprint: ${report.fingerprint}`, '  (compare it with the fingerprint on the kiosk\'s admin screen and in your records of this box)');
  lines.push('');
  for (const c of report.checks) lines.push(`  ${c.ok ? 'OK  ' : 'FAIL'}  ${c.what}`);
  lines.push('', report.ok ? `VERIFIED: ${report.count} events up to event ${report.head?.seq}; nothing in this bundle was changed after the device signed it.`
    : `NOT VERIFIED: ${report.failures.length} check(s) failed. Do not rely on this bundle.`);
  return `${lines.join('\n')}\n`;
}

const USAGE = 'Usage: node verify.mjs [BUNDLE_DIR] [--previous PREVIOUS_BUNDLE_DIR] [--json] [--threads N]\n';

async function main(argv) {
  let dir = null;
  let previous = null;
  let json = false;
  let threads;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--previous') previous = argv[++i] ?? null;
    else if (a === '--threads') {
      threads = Number(argv[++i]);
      if (!Number.isSafeInteger(threads) || threads < 1) { process.stderr.write(`--threads needs a whole number of 1 or more.\n${USAGE}`); return 2; }
    } else if (a === '--help' || a === '-h') { process.stdout.write(USAGE); return 0; }
    else if (a.startsWith('--')) { process.stderr.write(`Unknown option ${a}. ${USAGE}`); return 2; }
    else dir = a;
  }
  if (argv.includes('--previous') && !previous) { process.stderr.write('--previous needs the folder of the previous bundle.\n'); return 2; }
  const report = await verifyBundle(dir ?? dirname(fileURLToPath(import.meta.url)), { previous, threads });
  if (json) {
    const { manifest: _m, checks, ...rest } = report;
    process.stdout.write(`${JSON.stringify({ ...rest, checks })}\n`);
  } else process.stdout.write(describe(report));
  return report.ok ? 0 : 1;
}

if (!isMainThread && workerData && workerData.assettrackVerifyRange) {
  // A worker thread started by walkRangeInWorker(): one range of the log, and the result back.
  const w = workerData.assettrackVerifyRange;
  parentPort.postMessage(walkRange(w.path, w.start, w.end, { want: new Set(w.want), keep: new Set(w.keep), receiptsAfter: w.receiptsAfter, fromStart: w.fromStart }));
} else if (isMainThread && process.argv[1] && realpathSync(resolve(process.argv[1])) === realpathSync(fileURLToPath(import.meta.url))) {
  process.exitCode = await main(process.argv.slice(2));
}
