# A private apt configuration for Debian unstable, sourced by the scripts
# that fetch from it (the newest linux-source, a sparse new enough for it).
# It points at the mirror this machine's apt already uses and never touches
# the system's own lists or status.
UNSTABLE=$VMX_CACHE/apt-unstable

unstable_apt() {
	local tool=$1; shift
	"$tool" -o Dir::Etc::SourceList="$UNSTABLE/sources.list" \
		-o Dir::Etc::SourceParts=/nonexistent \
		-o Dir::State::Lists="$UNSTABLE/lists" \
		-o Dir::Cache="$UNSTABLE/cache" \
		-o Dir::Cache::Archives="$UNSTABLE/archives" \
		-o Acquire::Languages=none \
		-o APT::Sandbox::User=root \
		-o APT::Get::List-Cleanup=0 "$@"
}

# Refresh the package and source lists of unstable, at most once an hour:
# one make test asks many times and must not hit the mirror each time.
unstable_update() {
	local mirror
	if [ -n "$(find "$UNSTABLE/lists" -maxdepth 1 -name '*Sources*' -mmin -60 2>/dev/null)" ] &&
		[ -n "$(find "$UNSTABLE/lists" -maxdepth 1 -name '*Packages*' -mmin -60 2>/dev/null)" ]; then
		return 0
	fi
	mirror=$(bash "$VMX_TOP/scripts/debian-mirror.sh") || true
	[ -n "$mirror" ] || { log "no Debian mirror in /etc/apt sources"; return 1; }
	mkdir -p "$UNSTABLE"/{lists/partial,cache,archives/partial,debs}
	{
		echo "deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror unstable main"
		echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror unstable main"
	} >"$UNSTABLE/sources.list"
	unstable_apt apt-get -qq update >&2 || return 1
	touch "$UNSTABLE"/lists/*Packages* "$UNSTABLE"/lists/*Sources* 2>/dev/null || true
}
