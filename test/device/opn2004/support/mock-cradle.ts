// A cradle on @serialport/binding-mock: the host side is a real SerialPortMock wrapped by linkOverSerialPort;
// the device side is a CradleLink fed by the mock port's writes, for the simulator to serve. Closing the
// device side is an unplug: the host port closes with a "disconnected" error, as serialport reports it.
import { SerialPortMock } from 'serialport';
import { linkOverSerialPort, type CradleLink } from '../../../../device/opn2004/link.ts';

export interface MockCradle {
  host: CradleLink;
  device: CradleLink;
  port: SerialPortMock;
}

export function createMockPort(path: string, vendorId = '065A'): void {
  // From ESM, the mock binding must be reached through SerialPortMock (the dual-package problem).
  SerialPortMock.binding.createPort(path, { vendorId, productId: '0009' });
}

export async function openMockCradle(path: string): Promise<MockCradle> {
  const port = new SerialPortMock({ path, baudRate: 9600, parity: 'odd', autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const binding = port.port;
  if (!binding) throw new Error('mock port did not open');

  const dataListeners: ((chunk: Uint8Array) => void)[] = [];
  const closeListeners: ((reason: string) => void)[] = [];
  let closed = false;
  const originalWrite = binding.write.bind(binding);
  binding.write = async (buffer: Buffer) => {
    await originalWrite(buffer);
    const copy = Uint8Array.from(buffer);
    for (const l of dataListeners) l(copy);
  };
  port.on('close', () => {
    if (closed) return;
    closed = true;
    for (const l of closeListeners) l('host closed the port');
  });

  const device: CradleLink = {
    async write(bytes) {
      if (closed || !binding.isOpen) throw new Error('mock port closed');
      binding.emitData(Buffer.from(bytes));
    },
    onData: (cb) => void dataListeners.push(cb),
    onClose: (cb) => void closeListeners.push(cb),
    async close() {
      if (closed) return;
      closed = true;
      for (const l of closeListeners) l('unplugged');
      if (port.isOpen) {
        port.close(undefined, Object.assign(new Error('device unplugged'), { disconnected: true }));
      }
    },
  };
  return { host: linkOverSerialPort(port), device, port };
}
