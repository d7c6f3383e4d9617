// TEST ONLY (assettrack-testbridge): relays TCP connections from LISTEN_HOST:LISTEN_PORT to
// TARGET_HOST:TARGET_PORT, so that QEMU's port forward reaches an appliance listening on loopback; and, on
// LISTEN_HOST:CONTROL_PORT, answers the test's requests to break the appliance on purpose:
//   POST /hang-appliance   SIGSTOP to the appliance (the healthcheck timer must notice and restart it)
import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

const [listenHost, listenPort, targetHost, targetPort, controlPort] = process.argv.slice(2);
net
  .createServer((client) => {
    const upstream = net.connect(Number(targetPort), targetHost);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  })
  .listen(Number(listenPort), listenHost, () => console.log(`relay ${listenHost}:${listenPort} -> ${targetHost}:${targetPort}`));

if (controlPort) {
  http
    .createServer((req, res) => {
      if (req.method === 'POST' && req.url === '/hang-appliance') {
        execFile('systemctl', ['kill', '--signal=SIGSTOP', 'assettrack.service'], (err) => {
          res.writeHead(err ? 500 : 200, { 'Content-Type': 'text/plain' });
          res.end(err ? String(err) : 'stopped\n');
        });
        return;
      }
      res.writeHead(404).end();
    })
    .listen(Number(controlPort), listenHost, () => console.log(`test control on ${listenHost}:${controlPort}`));
}
