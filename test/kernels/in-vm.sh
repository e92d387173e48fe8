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
# every capture file by default (CI fails when one of them fails); WV_KERNEL_TESTS names some of
# them instead, without .test.js ("loopback-tcp refusals"); "all" is the default's name
wanted=${WV_KERNEL_TESTS:-all}
[[ $wanted == all ]] && wanted=""
for part in $wanted; do
  [[ -f dist/test/capture/$part.test.js ]] || { echo "test:kernels: no dist/test/capture/$part.test.js (WV_KERNEL_TESTS names files without .test.js)" >&2; exit 2; }
done
for f in dist/test/capture/*.test.js; do
  name=$(basename "$f" .test.js)
  [[ -z $wanted || " $wanted " == *" $name "* ]] && files+=("$f")
done
[[ ${#files[@]} -gt 0 ]] || { echo "test:kernels: no dist/test/capture/*.test.js (npm run build first)" >&2; exit 2; }
# One node process for all the files, one test at a time (run-files.mjs): a node process takes
# 1-30 s to start under emulation (the CLI 10-30 s), which `node --test` (a process per file) paid once per file.
# file-times.mjs prints the time each file took at the end.
node --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./test/kernels/file-times.mjs --test-reporter-destination=stdout \
  test/kernels/run-files.mjs "${files[@]}"
