#!/usr/bin/env bash
# Boots the appliance image under QEMU (-M virt, Cortex-A72, no KVM: pure emulation) with the image's own
# kernel, initramfs and kernel command line, taken from its firmware partition, and the image as a virtio
# disk (through a qcow2 overlay: the image file is never written). What differs from a Raspberry Pi: the
# console is QEMU's PL011 (ttyAMA0), the screen a virtio GPU, and the disk a virtio disk.
#
#   image/qemu-boot.sh [--image IMG] [--dir DIR] [--port PORT] [--grow SIZE] [--fresh] [--test]
#
#   --image IMG  the image (build/assettrack-arm64.img)
#   --dir DIR    overlay disk, kernel, serial log (serial.log), QEMU monitor socket (monitor.sock)
#                (build/image-test)
#   --port PORT  host port on 127.0.0.1 forwarded to the guest's port 8080 (18080); the guest network is
#                QEMU's user-mode network, restricted (no way out)
#   --grow SIZE  the virtual SD card is this much bigger than the image (1G): first boot grows the data
#                partition into it
#   --fresh      start from a new overlay (a first boot); without it an existing overlay is booted again
#   --test       boot with the test bridge (assettrack-testbridge.service): it gives the network card the
#                address QEMU forwards to, relays it to the appliance on loopback, takes the test's requests
#                on port PORT+1 (hang the appliance), and prints the image's state and logs on the serial
#                console (make image-test)
#
# QEMU runs in the foreground; `echo system_reset | socat - UNIX-CONNECT:DIR/monitor.sock` resets it hard,
# `quit` stops it. Environment: QEMU_CPU (cortex-a72), QEMU_SMP (2), QEMU_MEM (2048, MiB), QEMU_TCG_THREAD
# (multi: one host thread per virtual CPU; single: one for both, about twice as slow, and Chromium then did
# not draw the appliance within 7 minutes; but with multi Node now and then aborts while starting:
# image/README.md, "Known gaps").
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
image=$root/build/assettrack-arm64.img
dir=$root/build/image-test
port=18080
grow=1G
fresh=0
test=0

while [ "$#" -gt 0 ]; do
  case "$1" in
    --image) image=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --grow) grow=$2; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --test) test=1; shift ;;
    *) sed -n '2,27p' "$0" >&2; exit 2 ;;
  esac
done

die() { echo "qemu-boot: error: $*" >&2; exit 1; }
for cmd in qemu-system-aarch64 qemu-img mdir mcopy sfdisk; do
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd is not installed (apt-get install qemu-system-arm qemu-utils mtools fdisk)"
done
[ -f "$image" ] || die "no image at $image (make image)"
mkdir -p "$dir"

# The firmware partition: the first one of the MBR.
start=$(sfdisk --dump "$image" | awk '/^[^#].* : start=/ { sub(/.*start= */, ""); sub(/,.*/, ""); print; exit }')
[ -n "$start" ] || die "$image has no partition table"
fat="$image@@$((start * 512))"
export MTOOLS_SKIP_CHECK=1
kernel=$(mdir -b -i "$fat" ::/ | sed 's|^::/||' | grep '^vmlinuz-' | sort -V | tail -n 1)
initrd=$(mdir -b -i "$fat" ::/ | sed 's|^::/||' | grep '^initrd.img-' | sort -V | tail -n 1)
if [ -z "$kernel" ] || [ -z "$initrd" ]; then die "no vmlinuz-*/initrd.img-* on the firmware partition"; fi
mcopy -o -n -i "$fat" "::/$kernel" "$dir/vmlinuz"
mcopy -o -n -i "$fat" "::/$initrd" "$dir/initrd.img"
mcopy -o -n -i "$fat" ::/cmdline.txt "$dir/cmdline.txt"

# The image's kernel command line, with QEMU's console instead of the Pi's.
cmdline=$(tr -s ' \n' ' ' <"$dir/cmdline.txt" | sed -e 's/console=[^ ]*//g' -e 's/  */ /g' -e 's/^ //')
cmdline="$cmdline console=tty0 console=ttyAMA0,115200"
forward="hostfwd=tcp:127.0.0.1:$port-:8080"
if [ "$test" = 1 ]; then
  cmdline="$cmdline assettrack.testbridge systemd.wants=assettrack-testbridge.service"
  forward="$forward,hostfwd=tcp:127.0.0.1:$((port + 1))-:8081"
fi

disk=$dir/disk.qcow2
if [ "$fresh" = 1 ] || [ ! -f "$disk" ]; then
  rm -f "$disk"
  size=$(qemu-img info --output=json "$image" | sed -n 's/.*"virtual-size": *\([0-9]*\).*/\1/p' | head -n 1)
  qemu-img create -q -f qcow2 -F raw -b "$(readlink -f "$image")" "$disk"
  qemu-img resize -q "$disk" "+$grow"
  echo "qemu-boot: new disk $disk ($((size / 1048576)) MiB image + $grow)" >&2
fi

rm -f "$dir/monitor.sock"
echo "qemu-boot: $kernel, $initrd; kernel command line: $cmdline" >&2
echo "qemu-boot: serial console in $dir/serial.log, monitor $dir/monitor.sock, http://127.0.0.1:$port -> guest :8080" >&2
exec qemu-system-aarch64 \
  -M virt -cpu "${QEMU_CPU:-cortex-a72}" -smp "${QEMU_SMP:-2}" -m "${QEMU_MEM:-2048}" \
  -accel "tcg,thread=${QEMU_TCG_THREAD:-multi}" \
  -kernel "$dir/vmlinuz" -initrd "$dir/initrd.img" -append "$cmdline" \
  -drive "file=$disk,format=qcow2,if=none,id=disk0,cache=writeback" -device virtio-blk-pci,drive=disk0 \
  -netdev "user,id=net0,restrict=on,$forward" -device virtio-net-pci,netdev=net0,romfile= \
  -device virtio-gpu-pci -display none \
  -serial "file:$dir/serial.log" \
  -monitor "unix:$dir/monitor.sock,server,nowait" \
  -pidfile "$dir/qemu.pid"
