#!/usr/bin/env bash
# Inside the kernel VM (see run.sh): the probe report, then the live-capture tests, one file at a
# time (the VM has 2 emulated CPUs; files in parallel would only race for them).
set -uo pipefail
echo "== kernel $(uname -r) ($WV_KERNEL_VM): wireview capture --probe"
start=$(date +%s)
node bin/wireview.js capture --probe || exit $?
echo "(probe: $(( $(date +%s) - start )) s)"
echo "== live-capture tests under $(uname -r)"
shopt -s nullglob
files=()
# by default the capture scenarios; the CLI and app-session files add node processes per test (each
# ~20-30 s to start under emulation) and exercise no other kernel path: WV_KERNEL_TESTS=all runs them too
scenarios="dns filter loopback-tcp netns refusals sockets fallback loss tcpdump"
for f in dist/test/capture/*.test.js; do
  wanted=${WV_KERNEL_TESTS:-$scenarios}
  [[ $wanted == all ]] && wanted=""
  [[ -z $wanted ]] && files+=("$f")
  for part in $wanted; do [[ $f == *"$part"* ]] && { files+=("$f"); break; }; done
done
[[ ${#files[@]} -gt 0 ]] || { echo "test:kernels: no dist/test/capture/*.test.js (npm run build first)" >&2; exit 2; }
node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
