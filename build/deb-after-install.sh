#!/bin/bash
# .deb post-install (electron-builder fills in ${sanitizedProductName} and ${executable}): what
# electron-builder's own script does that we need — the command link, chrome-sandbox's mode, the
# MIME and desktop databases — plus the helper's polkit action, with exec.path naming this
# package's binary (pkexec matches the action by the program it runs).
set -e
app='/opt/${sanitizedProductName}'
ln -sf "$app/${executable}" '/usr/bin/${executable}'
if [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
  chmod 0755 "$app/chrome-sandbox" || true
else
  # the SUID sandbox only where unprivileged user namespaces are off
  chmod 4755 "$app/chrome-sandbox" || true
fi
mkdir -p /usr/share/polkit-1/actions
sed "s#<annotate key=\"org.freedesktop.policykit.exec.path\">[^<]*</annotate>#<annotate key=\"org.freedesktop.policykit.exec.path\">$app/${executable}</annotate>#" \
  "$app/resources/org.wireview.helper.policy" > /usr/share/polkit-1/actions/org.wireview.helper.policy
if hash update-mime-database 2>/dev/null; then update-mime-database /usr/share/mime || true; fi
if hash update-desktop-database 2>/dev/null; then update-desktop-database /usr/share/applications || true; fi
