#!/usr/bin/env python3
"""modules-in-order.py MODULES_DIR OUT_DIR NAME... — copies the kernel modules NAME (from the
modules.dep of MODULES_DIR) and their dependencies into OUT_DIR, and writes OUT_DIR/order: the
file names in the order insmod must load them (dependencies first). Names not built as modules
(built into the kernel) are skipped."""
import os
import shutil
import sys

base, out, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
deps = {}
with open(os.path.join(base, "modules.dep")) as f:
    for line in f:
        path, rest = line.split(":", 1)
        deps[path.strip()] = rest.split()
by_name = {path.rsplit("/", 1)[-1].split(".ko")[0]: path for path in deps}
order = []


def add(path):
    for dep in deps.get(path, []):
        add(dep)
    if path not in order:
        order.append(path)


for name in wanted:
    if name in by_name:
        add(by_name[name])
for path in order:
    shutil.copy(os.path.join(base, path), out)
with open(os.path.join(out, "order"), "w") as f:
    f.write("".join(os.path.basename(p) + "\n" for p in order))
