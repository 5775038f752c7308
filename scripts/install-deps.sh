#!/bin/sh
# install-deps.sh PACKAGE...: installs the Debian packages among these that
# the machine lacks (a fresh Debian 12 has none of pagerace's extras), and
# nothing when all are there.  Needs root for apt-get, as CI and developers
# have.
missing=
for pkg in "$@"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: need root to install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
