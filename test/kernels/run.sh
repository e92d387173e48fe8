#!/usr/bin/env bash
# npm run test:kernels — the live-capture tests (dist/test/capture) under a
# second kernel: Debian's distro kernel (6.1: fentry/fexit and kprobes, no sock_send_length /
# sock_recv_length tracepoints) booted by test/kernels/kernel-vm. Runs latency.test.js on this
# machine first (the figure the VM's run compares with), then prints the VM kernel's
# `wireview capture --probe` and runs the tests there as root.
#
# Needs what `npm test` built (dist/, the addon) and qemu-system-x86, cpio, kmod. Exits with the
# tests' status; 125 when qemu cannot start (.ci/run then reports the step as skipped).
#   WV_KERNEL_PACKAGE  kernel package to boot (default: what linux-image-amd64 depends on)
#   WV_KERNEL_TIMEOUT  seconds for the whole VM run (default 1200)
#   WV_KERNEL_TESTS    the dist/test/capture files to run, named without .test.js (e.g. "fallback netns"); all of them by default
set -euo pipefail
cd "$(dirname "$0")/../.."
for f in dist/test/capture/live.js native/build/Release/wireview_capture.node; do
  [[ -f $f ]] || { echo "test:kernels: $f is missing: run npm run build && npm run build:native first" >&2; exit 2; }
done
args=(--timeout "${WV_KERNEL_TIMEOUT:-1200}")
[[ -n ${WV_KERNEL_PACKAGE:-} ]] && args+=(--package "$WV_KERNEL_PACKAGE")
start=$(date +%s)
set +e
# latency.test.js compares the kernel's normalised send/recv latency across kernels: its host run
# (this machine's kernel) writes the figure the VM's run compares with, from the same traffic.
host_status=0
reference=$PWD/dist/kernel-latency-host.json
rm -f "$reference"
if [[ -z ${WV_KERNEL_TESTS:-} || " $WV_KERNEL_TESTS " == *" latency "* || $WV_KERNEL_TESTS == all ]]; then
  echo "== latency.test.js on this machine's kernel ($(uname -r)), the figure the VM compares with"
  WV_LATENCY_OUT=$reference node --test --test-reporter=spec dist/test/capture/latency.test.js
  host_status=$?
fi
export WV_LATENCY_REFERENCE=$reference
# python3 on PATH may be a pyenv shim: a bash script that forks a dozen processes before it runs the
# interpreter, 10 s a start under emulation (every test starts python3). The VM finds the same
# interpreter directly, through a link first on its PATH.
python=$(python3 -c 'import sys; print(sys.executable)')
mkdir -p dist/kernel-vm-bin && ln -sfn "$python" dist/kernel-vm-bin/python3
export PATH=$PWD/dist/kernel-vm-bin:$PATH
test/kernels/kernel-vm "${args[@]}" -- bash test/kernels/in-vm.sh
status=$?
[[ $status -eq 0 && $host_status -ne 0 ]] && status=$host_status
set -e
echo "test:kernels: exit $status after $(( $(date +%s) - start )) s" >&2
exit $status
