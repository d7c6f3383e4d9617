// A simulated OPN-2004 on a pseudo-terminal, for trying the real SerialCradleWatcher without hardware:
//   node device/opn2004/simulate-pty.ts [records] [clockOffsetSeconds]
// prints the port path; start the kiosk with ASSETTRACK_CRADLE_PORT=<that path>. Ctrl-C pulls the scanner.
import { openSerialLink } from './link.ts';
import { openPtyPair } from './pty-pair.ts';
import { CradleSimulator, sampleRecords } from './simulator.ts';

const records = Number(process.argv[2] ?? 40);
const clockOffsetMs = Number(process.argv[3] ?? 0) * 1000;
const pty = await openPtyPair();
const device = await openSerialLink(pty.devicePath);
const simulator = new CradleSimulator({ records: sampleRecords(records), clockOffsetMs, baud: 9600 });
simulator.serve({ write: (b) => device.write(b), onData: (cb) => device.onData(cb), onClose: (cb) => device.onClose(cb), close: () => pty.unplug() });
console.log(`Simulated OPN-2004 ${simulator.deviceId} with ${records} scans docked at ${pty.hostPath}`);

const undock = async (): Promise<void> => {
  await device.close();
  await pty.close();
  console.log(`Undocked; the scanner had ${simulator.records.length} scans left. Requests: ${simulator.requests.join(' ')}`);
  process.exit(0);
};
process.once('SIGINT', () => void undock());
process.once('SIGTERM', () => void undock());
