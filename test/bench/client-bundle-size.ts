// Benchmark 5c: the browser bundle the kiosk page loads, freshly built: bytes as served, gzip and brotli.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildClient } from '../../ui/build-client.ts';
import { round } from './stats.ts';

export interface BundleSize {
  kb: number;
  gzipKb: number;
  brotliKb: number;
}

export async function measureBundle(): Promise<BundleSize> {
  const { file } = await buildClient();
  const bytes = readFileSync(file);
  return {
    kb: round(bytes.length / 1024, 1),
    gzipKb: round(gzipSync(bytes, { level: 9 }).length / 1024, 1),
    brotliKb: round(brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length / 1024, 1),
  };
}
