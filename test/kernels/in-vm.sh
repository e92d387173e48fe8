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
# by default the capture files that pass under Debian's 6.1 and fit the 8 minutes (docs/kernels.md
# lists the others and why); CI fails when one of them fails. WV_KERNEL_TESTS names files by their
# name without .test.js ("loopback-tcp refusals"), or all (the CLI and app-session files too: each test starts a node
# process, ~20-30 s under emulation, and reaches no other kernel path).
scenarios="dns fallback netns filter-rules refusals loopback-tcp sockets latency loss"
for f in dist/test/capture/*.test.js; do
  wanted=${WV_KERNEL_TESTS:-$scenarios}
  [[ $wanted == all ]] && wanted=""
  [[ -z $wanted ]] && files+=("$f")
  name=$(basename "$f" .test.js)
  for part in $wanted; do [[ $name == "$part" ]] && { files+=("$f"); break; }; done
done
wanted=${WV_KERNEL_TESTS:-$scenarios}
for part in $wanted; do
  [[ $part == all || -f dist/test/capture/$part.test.js ]] || { echo "test:kernels: no dist/test/capture/$part.test.js (WV_KERNEL_TESTS names files without .test.js)" >&2; exit 2; }
done
[[ ${#files[@]} -gt 0 ]] || { echo "test:kernels: no dist/test/capture/*.test.js (npm run build first)" >&2; exit 2; }
# One node process for all the files, one test at a time: node takes 20-30 s to start under
# emulation, which `node --test` (a process per file) paid once per file.
node --test-reporter=spec --input-type=module \
  -e 'for (const f of process.argv.slice(1)) await import(new URL(f, `file://${process.cwd()}/`).href)' "${files[@]}"
