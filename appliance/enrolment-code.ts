// The file of the box's one-time admin enrolment code (ASSETTRACK_ENROLMENT_CODE_FILE; first boot writes it,
// image/README.md): read while no operator is enrolled, deleted once the first one is.
import { readFileSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDir } from './export/durable-files.ts';

/** The code (the file's first line, trimmed), or null when there is no setting, no file or an empty one. */
export function readEnrolmentCode(file: string | null): string | null {
  if (!file) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    // Any other error (a file the service may not read) is not "no code": it fails the command, logged.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return text.split(/\r?\n/, 1)[0]!.trim() || null;
}

/** Deletes the code for good (unlink, then fsync of its folder). A failure is logged, never fatal. */
export function retireEnrolmentCode(file: string | null, log: (line: string) => void = (line) => console.error(line)): void {
  if (!file) return;
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`Could not delete the enrolment code ${file}: ${(err as Error).message}`);
    return;
  }
  try {
    fsyncDir(dirname(file));
  } catch (err) {
    log(`Deleted the enrolment code ${file}, but could not sync its folder: ${(err as Error).message}`);
  }
}
