// Starts the devices the configuration names and connects each to intake: scanner listeners report scans
// (intake records them), the cradle watcher hands over uploads (intake commits them before the scanner is
// cleared), GPIO plays what intake decided. Every device's status goes to the hub the kiosk shows.
// A device that is absent or broken is a status line, never a reason for the kiosk not to start.
import type { Appliance } from '../appliance.ts';
import type { DeviceConfig } from '../config.ts';
import type { DeviceStatus } from '../../device/device-status.ts';
import { openFeedback } from '../../device/gpio/open-feedback.ts';
import { SerialCradleWatcher, SimulatedCradleWatcher, type CradleWatcher } from '../../device/opn2004/cradle-watcher.ts';
import { sampleRecords } from '../../device/opn2004/simulator.ts';
import { HidScanner } from '../../device/scanners/hid-scanner.ts';
import { KeyboardWedgeScanner } from '../../device/scanners/keyboard-wedge.ts';
import type { ScanSource } from '../../device/scanners/scan-source.ts';
import { RemovableMediaWatcher } from '../../device/usb/removable-media.ts';
import { SimulatedMedia } from '../../device/usb/simulated-media.ts';
import { join } from 'node:path';
import { loadKioskConfig } from '../http/kiosk-config.ts';
import { AttentionReminder, anyOverdue } from './attention.ts';
import { DeviceHub } from './device-hub.ts';
import { Intake } from './intake.ts';

export interface RunningDevices {
  hub: DeviceHub;
  intake: Intake;
}

export interface StartOptions {
  log?: (line: string) => void;
  /** the cradle's poll interval and protocol timeouts (tests shorten them) */
  cradlePollMs?: number;
  /** the overdue reminder (feedback 'attention' at most once an hour): its overdue days and check interval, or false for none */
  attention?: { overdueDays?: number; checkMs?: number } | false;
}

export async function startDevices(app: Appliance, config: DeviceConfig, options: StartOptions = {}): Promise<RunningDevices> {
  const log = options.log ?? ((line: string) => console.error(line));
  const hub = new DeviceHub();
  const { green, red, buzzer } = config.gpio;
  const feedback = await openFeedback({
    pins: green !== null && red !== null && buzzer !== null ? { green, red, buzzer } : null,
    log,
  });
  hub.update(feedback.status());
  hub.onStop(() => feedback.close());
  const intake = new Intake(app, { feedback, onRecorded: () => hub.recorded() });

  const sources: ScanSource[] = [
    ...config.wedgePaths.map((path) => new KeyboardWedgeScanner({ path, suffix: config.wedgeSuffix || undefined })),
    ...config.hidScanners.map((device) => new HidScanner({ device })),
  ];
  for (const source of sources) {
    source.onStatus((status) => hub.update(status));
    source.onScan((scan) => intake.recordScan(scan));
    hub.onStop(() => source.stop());
    source.start();
    hub.update(source.status());
  }
  if (sources.length === 0) {
    hub.update(status('scanners', 'Scanners', 'not-present', 'No scanner listener configured; a keyboard-wedge scanner types into the kiosk page.'));
  }

  // USB sticks for the audit export: mounts below the configured roots, plus simulated ones when simulating.
  const simulatedMedia = config.simulate ? new SimulatedMedia({ dir: join(app.config.dataDir, 'simulated-usb') }) : null;
  const media = new RemovableMediaWatcher({ roots: config.usbRoots, extraMounts: simulatedMedia ? () => simulatedMedia.mounts() : undefined });
  media.onStatus((s) => hub.update(s));
  media.start();
  hub.update(media.status());
  hub.media = media;
  hub.onStop(() => media.stop());
  if (simulatedMedia) {
    hub.simulator = {
      insertStick: (label) => simulatedMedia.insert(label),
      removeStick: (label) => simulatedMedia.remove(label),
      dockCradle: async () => { throw new Error('The cradle listener is off (ASSETTRACK_CRADLE=0).'); },
    };
  }

  if (config.cradle) {
    const commit = async (upload: Parameters<Intake['commitCradleUpload']>[0]) => intake.commitCradleUpload(upload);
    let watcher: CradleWatcher;
    if (config.simulate) {
      const simulated = new SimulatedCradleWatcher({ commit });
      hub.simulator!.dockCradle = async (records) => {
        // Scans of the last minutes, so each docking brings new records (the same ones would be recorded once).
        await simulated.dock(sampleRecords(records, { start: new Date(app.now().getTime() - records * 20_000), seed: records + app.now().getSeconds() }));
      };
      watcher = simulated;
    } else {
      watcher = new SerialCradleWatcher({ commit, path: config.cradlePath, pollMs: options.cradlePollMs });
    }
    let wasBusy = false;
    watcher.onStatus((s) => {
      hub.update(s);
      // blink while uploading; the session's end plays success or error
      if (s.state === 'busy' && !wasBusy) feedback.play('busy');
      wasBusy = s.state === 'busy';
    });
    watcher.onSession((report) => {
      if (report.ok) log(`Cradle: ${report.result.message}`);
      else log(`Cradle: ${report.error.message}`);
      feedback.play(report.ok && report.result.outcome !== 'not-committed' ? 'success' : 'error');
    });
    hub.onStop(() => watcher.stop());
    watcher.start();
    hub.update(watcher.status());
  }

  // While something is overdue, remind the cage at most once an hour (never over a running cradle upload's blink).
  if (options.attention !== false) {
    const overdueDays = options.attention?.overdueDays ?? loadKioskConfig().overdueDays;
    const reminder = new AttentionReminder({
      overdue: () => !hub.list().some((d) => d.state === 'busy') && anyOverdue(app, overdueDays),
      play: () => feedback.play('attention'),
      now: () => app.now().getTime(),
      checkMs: options.attention?.checkMs,
    });
    reminder.start();
    hub.onStop(() => reminder.stop());
  }
  return { hub, intake };
}

function status(id: string, kind: string, state: DeviceStatus['state'], detail: string): DeviceStatus {
  return { id, kind, state, detail, simulated: false, since: new Date().toISOString() };
}
