#!/bin/bash
# make deb: the Debian packages, built with dpkg-buildpackage (debhelper,
# dh-dkms) from a copy of the tracked files, into OUT (build/deb).
# VMX_DEB_VERSION=X makes the copy version X first (the upgrade test's
# "next version").
set -eu
. "$(dirname "$0")/common.sh"

out=${1:-$VMX_BUILD/deb}
version=$(dpkg-parsechangelog -l "$VMX_TOP/debian/changelog" -S Version)
# One version everywhere: the changelog's, dkms.conf's, the DKMS source path.
grep -q "^PACKAGE_VERSION=\"$version\"$" "$VMX_TOP/dkms.conf" ||
	die "dkms.conf's PACKAGE_VERSION is not the changelog's $version"
grep -q "usr/src/vmx-$version/" "$VMX_TOP/debian/vmx-dkms.install" ||
	die "debian/vmx-dkms.install does not install into usr/src/vmx-$version"
next=${VMX_DEB_VERSION:-$version}
src=$out/vmx-$next
rm -rf "$out" && mkdir -p "$src"
(cd "$VMX_TOP" && git ls-files -z | xargs -0 cp --parents -P -t "$src")
if [ "$next" != "$version" ]; then
	sed -i "s/^PACKAGE_VERSION=\"$version\"/PACKAGE_VERSION=\"$next\"/" "$src/dkms.conf"
	sed -i "s|usr/src/vmx-$version/|usr/src/vmx-$next/|" "$src/debian/vmx-dkms.install"
	{
		printf 'vmx (%s) unstable; urgency=medium\n\n  * Test build.\n\n' "$next"
		printf ' -- vmx developers <vmx-devel@example.org>  %s\n\n' "$(date -R)"
		cat "$src/debian/changelog"
	} >"$src/debian/changelog.new"
	mv "$src/debian/changelog.new" "$src/debian/changelog"
fi
log "deb: dpkg-buildpackage in $src"
(cd "$src" && dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) ||
	{ tail -n 30 "$out/build.log" >&2; die "dpkg-buildpackage failed (see $out/build.log)"; }
ls "$out"/*.deb
