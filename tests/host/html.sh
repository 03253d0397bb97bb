#!/bin/bash
# vmxctl dump --html and --svg, opened in a real browser: headless
# Chromium (Debian's chromium) renders the page of the fake module's
# process (fakedev.so) and of a 1 GiB one (262,144 4K leaves, VMX_FAKE_BULK),
# with #open (the first tables opened down to a leaf run). Its DOM after
# the script ran is checked against vmxctl's own JSON of the same process:
# entries, tables, VMA rows, rows drawn; the 1 GiB page's size (< 20 MB)
# and the time the browser took (< 5 s). Screenshots stay in OUT.
# Prints "html: N checks, N failed".
# tests/host/html.sh VMXCTL OUT (fakedev.so beside VMXCTL)
set -u
vmxctl=$1 out=$2
shim=$(dirname "$vmxctl")/fakedev.so
mkdir -p "$out"
. "$(dirname "$0")/check.sh"


fake() {
	LD_PRELOAD=$shim VMXCTL_DEVICE=/nonexistent/fakevmx LC_ALL=C "$@"
}

browser() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--user-data-dir="$out/profile" --window-size=1400,900 \
		--virtual-time-budget=5000 "$@" 2>>"$out/chromium.log"
}

# attr DOM NAME: an attribute of <body> after the script ran.
attr() {
	grep -o '<body[^>]*>' "$1" | grep -o "data-$2=\"[0-9]*\"" | grep -o '[0-9]*'
}

: >"$out/figures.txt"
sleep 300 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for case in small big; do
	env=
	[ $case = big ] && env=VMX_FAKE_BULK=262144
	html=$out/$case.html svg=$out/$case.svg
	fake env $env "$vmxctl" dump "$pid" --html "$html" --svg "$svg" >"$out/$case.txt" 2>&1
	check "${case}_written" $? "$(head -n 3 "$out/$case.txt" | tr '\n' ' ')"
	entries=$(fake env $env "$vmxctl" --ndjson dump "$pid" raw | grep -c '"level":')
	vmas=$(fake "$vmxctl" -j vmas "$pid" raw | grep -o '"start":' | wc -l)
	t0=$(date +%s%N)
	browser --dump-dom "file://$html#open" >"$out/$case.dom"
	ms=$((($(date +%s%N) - t0) / 1000000))
	browser --screenshot="$out/$case.png" "file://$html#open" >/dev/null
	echo "# $case: $(stat -c %s "$html") bytes of HTML, the browser took $ms ms, its script $(attr "$out/$case.dom" render-ms) ms, screenshot $(stat -c %s "$out/$case.png" 2>/dev/null) bytes" |
		tee -a "$out/figures.txt"
	check "${case}_dom_entries" "$([ "$(attr "$out/$case.dom" entries)" = "$entries" ]; echo $?)" \
		"the page says $(attr "$out/$case.dom" entries), the dump $entries"
	check "${case}_vma_rows" "$([ "$(grep -o '<tr class="vma">' "$out/$case.dom" | wc -l)" = "$vmas" ]; echo $?)" \
		"want $vmas VMA rows"
	rows=$(attr "$out/$case.dom" rows-shown)
	check "${case}_rows_drawn" "$([ "${rows:-0}" -gt 0 ]; echo $?)" "no row drawn"
	check "${case}_leaf_run_opened" \
		"$(grep -q 'data-kind="anon"\|data-kind="thp"\|data-kind="hugetlb"' "$out/$case.dom"; echo $?)" \
		"#open did not reach a leaf"
	check "${case}_screenshot" "$([ -s "$out/$case.png" ]; echo $?)" "see $out/chromium.log"
	check "${case}_svg_tables" "$(python3 -c '
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
sys.exit(r.get("data-tables") != sys.argv[2])' "$svg" "$(attr "$out/$case.dom" tables)"; echo $?)" \
		"the SVG does not parse or has another table count"
	if [ $case = big ]; then
		check big_under_20_mb "$([ "$(stat -c %s "$html")" -lt 20000000 ]; echo $?)" "$(stat -c %s "$html") bytes"
		check big_opens_under_5_s "$([ "$ms" -lt 5000 ]; echo $?)" "$ms ms"
	fi
done
checks_end html
