#!/usr/bin/env bash
# Inside the kernel VM (see run.sh): the probe report, then the live-capture tests, one file at a
# time (the VM has 2 emulated CPUs; files in parallel would only race for them).
set -uo pipefail
echo "== kernel $(uname -r) ($WV_KERNEL_VM): wireview capture --probe"
node bin/wireview.js capture --probe || exit $?
echo "== live-capture tests under $(uname -r)"
mapfile -t files < <(find dist/test/capture dist/test/kernels -name '*.test.js' | sort)
node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
