// TEST ONLY (assettrack-testbridge): relays TCP connections from LISTEN_HOST:LISTEN_PORT to
// TARGET_HOST:TARGET_PORT, so that QEMU's port forward reaches an appliance listening on loopback.
import net from 'node:net';

const [listenHost, listenPort, targetHost, targetPort] = process.argv.slice(2);
net
  .createServer((client) => {
    const upstream = net.connect(Number(targetPort), targetHost);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  })
  .listen(Number(listenPort), listenHost, () => console.log(`relay ${listenHost}:${listenPort} -> ${targetHost}:${targetPort}`));
