// Writing files that must survive a pulled stick or a power cut: each file is written through one file
// descriptor, hashed as it is written, and fsynced before it is closed; directories are fsynced after a
// rename so the new name itself is durable. Errors from the kernel become one sentence for the person.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, statfsSync, writeSync } from 'node:fs';

/** An export or backup step that failed, with what a person should do about it. */
export class MediaError extends Error {
  readonly code: 'STICK_FULL' | 'STICK_READ_ONLY' | 'STICK_REMOVED' | 'TARGET_EXISTS' | 'TARGET_MISSING' | 'WRITE_FAILED' | 'VERIFY_FAILED';
  readonly stage: string;
  readonly errno: string;
  constructor(code: MediaError['code'], stage: string, message: string, errno = '') {
    super(message);
    this.code = code;
    this.stage = stage;
    this.errno = errno;
  }
}

const REMOVED = new Set(['ENOTCONN', 'ECONNABORTED', 'EIO', 'ENODEV', 'ENXIO', 'ESTALE', 'ENOENT', 'EBADF', 'ESHUTDOWN']);

/**
 * Turns a file-system error into a MediaError that says what happened to the stick. A full FAT stick
 * mounted through FUSE answers EPERM rather than ENOSPC, so EPERM is "full" when the free space says so.
 */
export function mediaError(err: unknown, stage: string, target: string): MediaError {
  if (err instanceof MediaError) return err;
  const errno = (err as NodeJS.ErrnoException).code ?? '';
  const free = freeBytes(target);
  if (errno === 'ENOSPC' || errno === 'EDQUOT' || errno === 'EFBIG' || (errno === 'EPERM' && free !== null && free < 1024 * 1024)) {
    return new MediaError('STICK_FULL', stage, `The USB stick is full (${errno} while ${stage}); ${free === null ? '' : `${formatBytes(free)} free. `}Nothing was kept: use a larger stick or free space on it, then export again.`, errno);
  }
  if (errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM') {
    return new MediaError('STICK_READ_ONLY', stage, `The USB stick cannot be written (${errno} while ${stage}): it is read-only or write-protected. Slide its lock switch off, or use another stick.`, errno);
  }
  if (REMOVED.has(errno)) {
    return new MediaError('STICK_REMOVED', stage, `The USB stick went away while ${stage} (${errno}). No complete bundle was left on it: insert it again and export again.`, errno);
  }
  return new MediaError('WRITE_FAILED', stage, `Writing to ${target} failed while ${stage}: ${(err as Error).message}`, errno);
}

export function freeBytes(path: string): number | null {
  try {
    const s = statfsSync(path);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i += 1; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** Bytes gathered before one write(2): one syscall per MB, not per line. */
const BUFFER_BYTES = 1 << 20;

/** One file, written in large pieces, hashed as it goes, fsynced at close. */
export class DurableFile {
  readonly path: string;
  private fd: number;
  private readonly hash: Hash = createHash('sha256');
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  bytes = 0;

  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, 'wx', 0o644);
  }

  /**
   * Encodes text (UTF-8) straight into the file's buffer and writes once about 1 MB has gathered. Each text is
   * encoded on its own, so write whole strings (a line, a document), never half of a surrogate pair.
   */
  write(text: string): void {
    // At most 3 bytes of UTF-8 for each UTF-16 code unit: flush first unless the text surely fits.
    if (this.used + text.length * 3 > BUFFER_BYTES) {
      this.flush();
      if (text.length * 3 > BUFFER_BYTES) {
        this.writeOut(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used);
  }

  private flush(): void {
    if (this.used === 0) return;
    this.writeOut(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private writeOut(buf: Buffer): void {
    this.hash.update(buf);
    for (let off = 0; off < buf.length;) off += writeSync(this.fd, buf, off, buf.length - off);
    this.bytes += buf.length;
  }

  /** Flushes, fsyncs and closes; returns the SHA-256 and size of everything written. */
  close(): { sha256: string; bytes: number } {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }

  /** Closes without caring for errors: the stick may be gone already. */
  abandon(): void {
    if (this.fd < 0) return;
    try { closeSync(this.fd); } catch { /* the stick is gone; nothing to release */ }
    this.fd = -1;
  }
}

export function writeDurable(path: string, content: string): { sha256: string; bytes: number } {
  const file = new DurableFile(path);
  try {
    file.write(content);
    return file.close();
  } catch (err) {
    file.abandon();
    throw err;
  }
}

/** fsync of a directory: makes the names in it (a rename, a new file) durable. */
export function fsyncDir(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } catch (err) {
    // Some FUSE file systems do not implement fsync on directories; the data files are fsynced already.
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL' && (err as NodeJS.ErrnoException).code !== 'ENOSYS') throw err;
  } finally {
    closeSync(fd);
  }
}
