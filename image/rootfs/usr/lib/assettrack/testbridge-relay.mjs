// TEST ONLY (assettrack-testbridge): relays TCP connections from LISTEN_HOST:LISTEN_PORT to
// TARGET_HOST:TARGET_PORT, so that QEMU's port forward reaches an appliance listening on loopback; and, on
// LISTEN_HOST:CONTROL_PORT, answers the test's requests to break the appliance on purpose:
//   POST /hang-appliance   SIGSTOP to the appliance (the healthcheck timer must notice and restart it)
//   GET /diagnostics       a fixed set of read-only looks at the box (sockets, processes, the kiosk's log),
//                          for a test that failed or a person booting the image by hand
import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

const DIAGNOSTICS = `
echo "== ss -tanp"; ss -tanp
echo "== processes"; ps -eo pid,ppid,user,stat,etimes,time,comm,args --sort=pid | cut -c1-4000
echo "== cgroups of the kiosk"; for p in $(pgrep -u kiosk); do echo "$p $(cat /proc/$p/cgroup)"; done
echo "== systemctl status assettrack-kiosk"; systemctl status --no-pager -n 0 assettrack-kiosk.service
echo "== /run/assettrack-kiosk"; ls -la /run/assettrack-kiosk /run/assettrack-enrolment 2>&1
echo "== journal of the kiosk user (last 300)"; journalctl -b --no-pager -n 300 -o short-monotonic _UID=991
`;

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
      if (req.method === 'GET' && req.url === '/diagnostics') {
        execFile('bash', ['-c', DIAGNOSTICS], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
          res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(`${stdout}${stderr}${err ? `\n(${err.message})\n` : ''}`);
        });
        return;
      }
      res.writeHead(404).end();
    })
    .listen(Number(controlPort), listenHost, () => console.log(`test control on ${listenHost}:${controlPort}`));
}
