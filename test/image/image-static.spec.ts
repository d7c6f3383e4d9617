// Static checks of the Raspberry Pi image's pieces (image/), cheap enough for every CI run: shellcheck on the
// image's scripts, `systemd-analyze verify` on its units, its udev rules (and the scanner rules generated
// from assettrack.txt) parsed by the real udevadm, and the pieces that must agree with each other (fstab and
// the build's partition ids, the settings file and README's configuration table, the kiosk's start page
// and Chromium's URL allow-list). The full build and QEMU boot are `make image` / `make image-test`.
//
// Tools: shellcheck, systemd-analyze (systemd), udevadm (udev), unshare (util-linux); udevadm runs in a
// private mount namespace, so root is needed. .ci/run installs them: in CI (CI=true) a missing tool fails
// the check; elsewhere the check is skipped with a warning.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { which } from '../support/which.ts';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const IMAGE = join(ROOT, 'image');
const FILES = join(IMAGE, 'rootfs');
const UNITS = join(FILES, 'etc/systemd/system');
const IN_CI = process.env.CI === 'true';


/** A check that needs these tools: skipped (with a warning) when one is missing, except in CI, where it fails. */
function needs(tools: string[], extra: string[] = []): { run: boolean; missing: string[] } {
  const missing = [...tools.filter((t) => which(t) === null), ...extra];
  if (missing.length > 0 && !IN_CI) console.warn(`SKIPPED test/image check: ${missing.join(', ')} missing (.ci/run installs shellcheck, systemd, udev).`);
  return { run: missing.length === 0 || IN_CI, missing };
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out.sort();
}

function run(command: string, args: string[], options: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', cwd: options.cwd, input: options.input, timeout: 120_000 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

const temps: string[] = [];
function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Every shell script of the image: image/*.sh, the helpers under /usr/lib/assettrack, the initramfs hook. */
function shellScripts(): string[] {
  const scripts = readdirSync(IMAGE).filter((f) => f.endsWith('.sh')).map((f) => join(IMAGE, f));
  for (const f of files(FILES)) {
    const head = readFileSync(f, 'utf8').slice(0, 40);
    if (/^#!\/(usr\/)?bin\/(env )?(ba)?sh\b/.test(head)) scripts.push(f);
  }
  return scripts.sort();
}

/** Runs assettrack-site-config on a settings file; returns the env file and udev rules it writes. */
function siteConfig(text: string): { env: string; rules: string; log: string; status: number | null } {
  const dir = temp('site-config-');
  writeFileSync(join(dir, 'assettrack.txt'), text);
  const r = run('bash', [join(FILES, 'usr/lib/assettrack/assettrack-site-config'), join(dir, 'assettrack.txt'), join(dir, 'env'), join(dir, 'rules')]);
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
  return { env: read('env'), rules: read('rules'), log: r.out, status: r.status };
}

describe('image scripts', () => {
  const tools = needs(['shellcheck']);
  it.runIf(tools.run)('pass shellcheck (all severities)', () => {
    expect(tools.missing, 'shellcheck is not installed (.ci/run installs it)').toEqual([]);
    const scripts = shellScripts();
    expect(scripts.map((s) => relative(ROOT, s))).toEqual(expect.arrayContaining(['image/build.sh', 'image/qemu-boot.sh']));
    const r = run('shellcheck', ['--severity=style', '--external-sources', ...scripts]);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('systemd units', () => {
  const tools = needs(['systemd-analyze']);
  it.runIf(tools.run)('pass systemd-analyze verify (against image/rootfs, with the packaged programs stubbed)', () => {
    expect(tools.missing, 'systemd-analyze is not installed (.ci/run installs systemd)').toEqual([]);
    const root = temp('units-');
    cpSync(FILES, root, { recursive: true });
    const units = readdirSync(UNITS).filter((f) => /\.(service|timer|socket|mount|path|target)$/.test(f));
    expect(units.length).toBeGreaterThan(8);
    // Programs the units run that come from Debian packages or the build (Node), not from image/rootfs.
    for (const unit of units) {
      for (const line of readFileSync(join(UNITS, unit), 'utf8').split('\n')) {
        const m = /^Exec[A-Za-z]*=[-@:+!]*(\/\S+)/.exec(line);
        if (!m || !m[1]) continue;
        const program = join(root, m[1]);
        if (existsSync(program)) continue;
        mkdirSync(dirname(program), { recursive: true });
        writeFileSync(program, '#!/bin/sh\n');
        chmodSync(program, 0o755);
      }
    }
    const r = run('systemd-analyze', ['verify', `--root=${root}`, '--man=no', '--recursive-errors=no', ...units.map((u) => join(root, 'etc/systemd/system', u))], { cwd: join(root, 'etc/systemd/system') });
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  it('every unit the build enables exists, and the test bridge is not enabled', () => {
    const build = readFileSync(join(IMAGE, 'build.sh'), 'utf8');
    const enable = /systemctl --root="\$rootfs" --quiet enable ((?:[^\n\\]|\\\n)*)/.exec(build)?.[1] ?? '';
    const enabled = enable.replace(/\\\n/g, ' ').split(/\s+/).filter((u) => /\.(service|timer)$/.test(u));
    expect(enabled).toEqual(expect.arrayContaining(['seatd.service', 'assettrack.service', 'assettrack-kiosk.service', 'assettrack-firstboot.service', 'assettrack-healthcheck.timer']));
    for (const unit of enabled.filter((u) => u.startsWith('assettrack'))) expect(existsSync(join(UNITS, unit)), unit).toBe(true);
    expect(readdirSync(UNITS).filter((u) => /^assettrack.*\.(service|timer)$/.test(u) && !u.includes('healthcheck.service') && !u.includes('clock-save.service') && u !== 'assettrack-testbridge.service').sort()).toEqual(enabled.filter((u) => u.startsWith('assettrack')).sort());
    expect(enabled).not.toContain('assettrack-testbridge.service');
    expect(readFileSync(join(UNITS, 'assettrack-testbridge.service'), 'utf8')).toMatch(/^ConditionKernelCommandLine=assettrack\.testbridge$/m);
  });

  it('the appliance service: dedicated user, data partition, restart, watchdog, hardening', () => {
    const unit = readFileSync(join(UNITS, 'assettrack.service'), 'utf8');
    for (const line of [
      'User=assettrack', 'RequiresMountsFor=/var/lib/assettrack', 'EnvironmentFile=/etc/assettrack/assettrack.env', 'Restart=always',
      'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'CapabilityBoundingSet=', 'IPAddressDeny=any',
      'IPAddressAllow=localhost', 'DevicePolicy=closed',
    ]) {
      expect(unit.split('\n'), line).toContain(line);
    }
    expect(readFileSync(join(UNITS, 'assettrack-healthcheck.timer'), 'utf8')).toMatch(/^OnUnitActiveSec=15$/m);
    expect(readFileSync(join(FILES, 'etc/systemd/system.conf.d/10-assettrack-watchdog.conf'), 'utf8')).toMatch(/^RuntimeWatchdogSec=\d+s$/m);
  });
});

describe('udev rules', () => {
  const notRoot = process.getuid?.() === 0 ? [] : ['root (udevadm runs in a private mount namespace)'];
  const tools = needs(['udevadm', 'unshare'], notRoot);
  const site = siteConfig('SCANNER_USB_IDS=05E0:1200\r\nASSETTRACK_HID_SCANNERS=0c2e:0b61\n');

  it.runIf(tools.run)('parse without a complaint in udevadm (the image rules and the generated scanner rules)', () => {
    expect(tools.missing, 'udevadm/unshare missing or not root (.ci/run installs udev and runs as root)').toEqual([]);
    const dir = temp('udev-');
    const rules = join(dir, 'rules.d');
    mkdirSync(rules);
    for (const f of readdirSync(join(FILES, 'etc/udev/rules.d'))) cpSync(join(FILES, 'etc/udev/rules.d', f), join(rules, f));
    writeFileSync(join(rules, '70-assettrack-scanners.rules'), site.rules);
    // The image's groups, so that an unknown group in a rule is a typo and not this machine's lack of them.
    const group = join(dir, 'group');
    writeFileSync(group, `${readFileSync('/etc/group', 'utf8').trimEnd()}\nassettrack:x:990:\ngpio:x:992:assettrack\n`);
    const script = [
      'set -e',
      `mkdir -p /etc/udev/rules.d`,
      `mount -t tmpfs tmpfs /etc/udev/rules.d`,
      `cp ${rules}/* /etc/udev/rules.d/`,
      `mount --bind ${group} /etc/group`,
      'udevadm test --action=add /sys/class/net/lo 2>&1',
    ].join('\n');
    const r = run('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script]);
    const ours = readdirSync(rules);
    for (const f of ours) expect(r.out, `udevadm did not read ${f}`).toContain(`Reading rules file: /etc/udev/rules.d/${f}`);
    const complaints = r.out.split('\n').filter((l) => ours.some((f) => l.startsWith(`/etc/udev/rules.d/${f}:`)));
    expect(complaints).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('the generated scanner rules hide each scanner from the compositor and give it to the appliance', () => {
    expect(site.status).toBe(0);
    const lines = site.rules.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toEqual([
      'ACTION!="remove", SUBSYSTEM=="input", KERNEL=="event[0-9]*", ENV{ID_VENDOR_ID}=="05e0", ENV{ID_MODEL_ID}=="1200", ENV{LIBINPUT_IGNORE_DEVICE}="1", GROUP="assettrack", MODE="0640"',
      'ACTION!="remove", SUBSYSTEM=="hidraw", ATTRS{idVendor}=="05e0", ATTRS{idProduct}=="1200", GROUP="assettrack", MODE="0660"',
      'ACTION!="remove", SUBSYSTEM=="input", KERNEL=="event[0-9]*", ENV{ID_VENDOR_ID}=="0c2e", ENV{ID_MODEL_ID}=="0b61", ENV{LIBINPUT_IGNORE_DEVICE}="1", GROUP="assettrack", MODE="0640"',
      'ACTION!="remove", SUBSYSTEM=="hidraw", ATTRS{idVendor}=="0c2e", ATTRS{idProduct}=="0b61", GROUP="assettrack", MODE="0660"',
      'ACTION!="remove", SUBSYSTEM=="input", KERNEL=="event[0-9]*", ENV{ID_VENDOR_ID}=="05e0", ENV{ID_MODEL_ID}=="1200", ENV{ID_INPUT_KEYBOARD}=="1", SYMLINK+="assettrack/wedge-05e0-1200"',
    ]);
    expect(site.env).toContain("ASSETTRACK_HID_SCANNERS='0c2e:0b61'\n");
    expect(site.env).toContain("ASSETTRACK_WEDGE_DEVICES='/dev/assettrack/wedge-05e0-1200'\n");
    expect(site.env).not.toContain('SCANNER_USB_IDS');
  });

  it('assettrack.txt: quoted for systemd and bash, fixed settings and unsafe values refused', () => {
    const r = siteConfig([
      '# comment',
      'ASSETTRACK_SCAN_PREFIXES=asset=LT-,LAP-;operator=OPR-',
      '  ASSETTRACK_GPIO_GREEN = "17"',
      'ASSETTRACK_HOST=0.0.0.0',
      'ASSETTRACK_DATA_DIR=/tmp',
      'ASSETTRACK_DUE_DAYS=$(reboot)',
      'PATH=/tmp',
      'SCANNER_USB_IDS=nope',
    ].join('\n'));
    expect(r.status).toBe(0);
    expect(r.env.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(["ASSETTRACK_SCAN_PREFIXES='asset=LT-,LAP-;operator=OPR-'", "ASSETTRACK_GPIO_GREEN='17'"]);
    expect(r.log).toMatch(/ASSETTRACK_HOST is fixed by the image/);
    expect(r.log).toMatch(/ASSETTRACK_DATA_DIR is fixed by the image/);
    expect(r.log).toMatch(/ASSETTRACK_DUE_DAYS holds a quote, backslash, dollar/);
    expect(r.log).toMatch(/not NAME=value/);
    expect(r.log).toMatch(/'nope' is not a USB id/);
    expect(r.rules.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([]);
  });

  it('the cradle, GPIO and USB stick rules say what the device READMEs ask for', () => {
    const cradle = readFileSync(join(FILES, 'etc/udev/rules.d/70-assettrack-cradle.rules'), 'utf8');
    expect(cradle).toMatch(/SUBSYSTEM=="tty".*ttyUSB\[0-9\]\*\|ttyACM\[0-9\]\*.*ATTRS\{idVendor\}=="065a".*GROUP="assettrack", MODE="0660"/);
    const usb = readFileSync(join(FILES, 'etc/udev/rules.d/80-assettrack-usb.rules'), 'utf8');
    expect(usb).toMatch(/systemd-mount --no-block --collect --automount=no --options=\$env\{ASSETTRACK_USB_OPTIONS\} \$devnode \$env\{ASSETTRACK_USB_DIR\}/);
    expect(usb).toMatch(/ASSETTRACK_USB_DIR\}="\/media\/\$env\{ID_FS_LABEL\}"/);
    expect(usb).toMatch(/flush,noexec,nodev,nosuid,uid=assettrack,gid=assettrack/);
    expect(readFileSync(join(FILES, 'etc/udev/rules.d/70-assettrack-gpio.rules'), 'utf8')).toMatch(/chgrp -R gpio \/sys%p/);
  });
});

describe('image configuration', () => {
  it('fstab: read-only root and a journaled data partition by the build’s PARTUUIDs; logs in RAM', () => {
    const build = readFileSync(join(IMAGE, 'build.sh'), 'utf8');
    const disk = /^DISK_ID=0x([0-9a-f]{8})$/m.exec(build)?.[1];
    expect(disk).toBeTruthy();
    const fstab = readFileSync(join(FILES, 'etc/fstab'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/\s+/));
    const at = (dir: string) => fstab.find((f) => f[1] === dir);
    expect(at('/')?.[0]).toBe(`PARTUUID=${disk}-02`);
    expect(at('/')?.[3]?.split(',')).toContain('ro');
    expect(at('/var/lib/assettrack')?.slice(0, 3)).toEqual([`PARTUUID=${disk}-03`, '/var/lib/assettrack', 'ext4']);
    for (const dir of ['/var/log', '/tmp', '/media']) expect(at(dir)?.[2], dir).toBe('tmpfs');
    expect(readFileSync(join(FILES, 'etc/systemd/journald.conf.d/10-assettrack.conf'), 'utf8')).toMatch(/^Storage=volatile$/m);
    expect(readFileSync(join(FILES, 'etc/default/raspi-extra-cmdline'), 'utf8')).toMatch(/^ro /);
  });

  it('assettrack.env sets only settings README.md documents', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const env = readFileSync(join(FILES, 'etc/assettrack/assettrack.env'), 'utf8').split('\n').filter((l) => /^[A-Z]/.test(l));
    expect(env.length).toBeGreaterThan(3);
    for (const line of env) {
      const name = line.split('=')[0] ?? '';
      expect(readme, `${name} is not in README.md's configuration table`).toContain(`\`${name}\``);
    }
    const settings = Object.fromEntries(env.map((l) => l.split('=') as [string, string]));
    expect(settings).toMatchObject({ ASSETTRACK_DATA_DIR: '/var/lib/assettrack', ASSETTRACK_HOST: '127.0.0.1', ASSETTRACK_PORT: '8080', ASSETTRACK_SIMULATE: '0' });
  });

  it('the kiosk: Chromium may open only the appliance and its start page; no first-run, restore or crash prompts', () => {
    const policy = JSON.parse(readFileSync(join(FILES, 'etc/chromium/policies/managed/assettrack.json'), 'utf8')) as Record<string, unknown>;
    expect(policy.URLBlocklist).toEqual(['*']);
    expect(policy.URLAllowlist).toEqual(['http://127.0.0.1:8080', 'file:///run/assettrack-kiosk/start.html']);
    const browser = readFileSync(join(FILES, 'usr/lib/assettrack/assettrack-kiosk-browser'), 'utf8');
    for (const flag of ['--kiosk', '--no-first-run', '--disable-session-crashed-bubble', '--hide-crash-restore-bubble', '--touch-events=enabled', '--ozone-platform=wayland']) {
      expect(browser).toContain(flag);
    }
    expect(browser).toContain('url="file://$run/start.html"');
    expect(readFileSync(join(UNITS, 'assettrack-kiosk.service'), 'utf8')).toMatch(/^RuntimeDirectory=assettrack-kiosk$/m);
    const packages = readFileSync(join(IMAGE, 'packages.txt'), 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
    expect(packages).toEqual(expect.arrayContaining(['linux-image-arm64', 'raspi-firmware', 'cage', 'chromium', 'seatd', 'systemd-sysv', 'udev']));
  });

  it('image/rootfs scripts are executable', () => {
    for (const f of files(join(FILES, 'usr/lib/assettrack')).filter((f) => !f.endsWith('.mjs'))) {
      expect(statSync(f).mode & 0o111, relative(ROOT, f)).not.toBe(0);
    }
  });
});
