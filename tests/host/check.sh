# The host checks' one way of counting, sourced by html.sh, libvmx.sh and
# python.sh: check NAME STATUS DETAIL passes when STATUS is 0, and
# checks_end WHAT prints "WHAT: N checks, N failed".
checks=0 failed=0

check() {
	checks=$((checks + 1))
	if [ "$2" = 0 ]; then
		echo "ok $1"
	else
		failed=$((failed + 1))
		echo "not ok $1: $3"
	fi
}

checks_end() {
	echo "$1: $checks checks, $failed failed"
}
