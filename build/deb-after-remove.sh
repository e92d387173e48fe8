#!/bin/bash
# .deb post-remove (electron-builder fills in ${executable}): the command link and the helper's
# polkit action go with the package.
set -e
if [ -L '/usr/bin/${executable}' ]; then rm -f '/usr/bin/${executable}'; fi
rm -f /usr/share/polkit-1/actions/org.wireview.helper.policy
