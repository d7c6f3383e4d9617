// Secrets that never enter the event log (it is handed to auditors): operator PIN hashes and the device key.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scryptSync, sign, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// scrypt cost: ~50 ms per check on a Pi 4 class CPU, so a stolen store cannot be brute-forced cheaply
// and five wrong PINs stay quick at the kiosk.
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function checkPin(pin: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

export function pinProblem(pin: string): string | null {
  return /^\d{4,8}$/.test(pin) ? null : 'A PIN is 4 to 8 digits.';
}

export const PRIVATE_KEY_FILE = 'device-key.pem';
export const PUBLIC_KEY_FILE = 'device-public-key.pem';

/** Creates the device's Ed25519 key once; the private half is readable by the service user only. */
export function ensureDeviceKey(dataDir: string): { publicKeyPem: string; fingerprint: string; created: boolean } {
  const privatePath = join(dataDir, PRIVATE_KEY_FILE);
  const publicPath = join(dataDir, PUBLIC_KEY_FILE);
  let created = false;
  if (!existsSync(privatePath)) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    chmodSync(privatePath, 0o600);
    writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
    created = true;
  }
  const publicKeyPem = existsSync(publicPath)
    ? readFileSync(publicPath, 'utf8')
    : String(createPublicKey(readFileSync(privatePath)).export({ type: 'spki', format: 'pem' }));
  return { publicKeyPem, fingerprint: keyFingerprint(publicKeyPem), created };
}

/** SHA-256 of the DER public key, in groups of four hex digits: what the auditor compares by eye. */
export function keyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  const hex = createHash('sha256').update(der).digest('hex');
  return hex.match(/.{4}/g)!.join(':');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Ed25519 signature of `data` with the device's private key (base64): manifest.sig of an export. */
export function signWithDeviceKey(dataDir: string, data: Uint8Array): string {
  const key = createPrivateKey(readFileSync(join(dataDir, PRIVATE_KEY_FILE)));
  return sign(null, data, key).toString('base64');
}
