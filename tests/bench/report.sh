#!/bin/bash
# The bench's table (table.md) and plot (ns-per-page.svg) from the PLOT
# lines of the two VM logs in DIR (erms.log, noerms.log).
# usage: report.sh DIR "CONFIGURATION"
set -eu
dir=$1 conf=$2
plots() { tr -d '\r' <"$dir/$1.log" | sed -n 's/^PLOT //p'; }

# RESOLVE's time per call before its fast path: make bench at b955bfd,
# 1 GiB, CPU with ERMS (8,660 ns; 8,175-9,797 over the sizes).
resolve_before_ns=8660

# Each goal: the figure, the bound, met or missed.
goals() {
	plots erms | awk -v before="$resolve_before_ns" '
		{ name = $2; for (i = 3; i <= NF - 2; i++) name = name " " $i }
		$1 != "e2e" { v[$1, name] = $(NF - 1); sizes[$1] = 1 }
		$1 == "e2e" { e2e[$2] = $4 }
		function row(what, got, bound, unit) {
			if (got == "") return
			printf "| %s | %.3f%s | %s %.2f%s | %s |\n", what, got, unit,
				"<=", bound, unit, got <= bound ? "met" : "missed"
		}
		function r(size, a, b) {
			return (v[size, a] != "" && v[size, b] > 0) ? v[size, a] / v[size, b] : ""
		}
		END {
			print "| goal | measured | bound | |"
			print "|---|---|---|---|"
			n = split("128M 1024M 4096M", dense, " ")
			for (i = 1; i <= n; i++) {
				s = dense[i]
				if (!((s, "pagemap pread") in v)) continue
				row(s ": compact records, no page data / pagemap", r(s, "dump compact records, no page data", "pagemap pread"), 0.5, "x")
				row(s ": compact records with page data / pagemap", r(s, "dump compact records", "pagemap pread"), 1.0, "x")
				row(s ": full records (80 bytes) / pagemap", r(s, "dump full records", "pagemap pread"), 1.0, "x")
				row(s ": MERGE / full records", r(s, "dump MERGE", "dump full records"), 1.0, "x")
				row(s ": MERGE, no page data / records, no page data", r(s, "dump MERGE, no page data", "dump records, no page data"), 1.0, "x")
				row(s ": TABLES / pagemap", r(s, "dump TABLES", "pagemap pread"), 0.2, "x")
				if (v[s, "RESOLVE per address, steps only"] != "")
					row(s ": RESOLVE (steps only) / before its fast path", v[s, "RESOLVE per address, steps only"] / before, 0.35, "x")
			}
			row("sparse: compact dump / the floor", r("sparse", "dump compact records, no page data", "floor: the walk alone"), 2.0, "x")
			row("sparse: full dump / the floor", r("sparse", "dump full records", "floor: the walk alone"), 2.0, "x")
			row("e2e: vmxctl dump (text) / page-types", e2e["vmxctl-dump"], 1.0, "x")
			row("e2e: vmxctl -j dump / page-types", e2e["vmxctl--j-dump"], 2.0, "x")
			row("e2e: vmxctl --ndjson dump / page-types", e2e["vmxctl-ndjson-dump"], 2.0, "x")
			row("e2e: vmxctl dump leaves merge / page-types", e2e["vmxctl-dump-leaves-merge"], 0.2, "x")
		}'
}

{
	echo "vmx against its peers ($conf). Each cell: ns per touched page"
	echo "(ratio to one pread of /proc/pid/pagemap), best of 5; CPU with ERMS"
	echo "(-cpu max) / without (-cpu max,-erms: TCG emulates rep movsb byte by"
	echo "byte). sparse: 1,000 pages in 64 TiB, pagemap extrapolated from 1 GiB."
	echo
	for cpu in erms noerms; do plots $cpu | sed "s/^/$cpu /"; done | awk '
		$2 == "e2e" { next }
		{
			cpu = $1; size = $2; val = $(NF - 1); ratio = $NF
			name = $3; for (i = 4; i <= NF - 2; i++) name = name " " $i
			if (!(name in seen)) { seen[name] = 1; names[++n] = name }
			if (!(size in sseen)) { sseen[size] = 1; m++ }
			v[name, size, cpu] = val
			if (name == "pagemap pread") base[size, cpu] = val
		}
		END {
			# Dense sizes by size, then sparse.
			m = 0
			for (s in sseen) if (s != "sparse") sizes[++m] = s
			for (i = 2; i <= m; i++)
				for (j = i; j > 1 && sizes[j - 1] + 0 > sizes[j] + 0; j--) {
					t = sizes[j]; sizes[j] = sizes[j - 1]; sizes[j - 1] = t
				}
			if ("sparse" in sseen) sizes[++m] = "sparse"
			# Ratios from the times (the bench prints 3 decimals only).
			for (k in v) {
				split(k, f, SUBSEP)
				r = base[f[2], f[3]] ? v[k] / base[f[2], f[3]] : 0
				cell[k] = sprintf(r < 0.01 ? "%.0f (%.1ex)" : "%.0f (%.2fx)", v[k], r)
			}
			printf "| reader |"
			for (j = 1; j <= m; j++) printf " %s |", sizes[j]
			printf "\n|---|"
			for (j = 1; j <= m; j++) printf "---|"
			printf "\n"
			for (i = 1; i <= n; i++) {
				printf "| %s |", names[i]
				for (j = 1; j <= m; j++) {
					e = cell[names[i], sizes[j], "erms"]
					x = cell[names[i], sizes[j], "noerms"]
					printf " %s / %s |", e == "" ? "-" : e, x == "" ? "-" : x
				}
				printf "\n"
			}
		}'
	echo
	echo "End to end, the whole 1 GiB process to /dev/null (CPU with ERMS):"
	echo
	echo "| command | seconds | x page-types -L -N |"
	echo "|---|---|---|"
	plots erms | awk '$1 == "e2e" { printf "| %s | %.2f | %.2f |\n", $2, $3, $4 }'
	if [ -s "$dir/host.log" ]; then
		echo
		echo "vmxctl's formatting on the host, no emulator: 262,144 4K leaves from"
		echo "the fake module against page-types -L -N on a native 1 GiB process:"
		echo
		echo "| command | seconds | x page-types -L -N |"
		echo "|---|---|---|"
		plots host | awk '$1 == "host" { printf "| %s | %.3f | %.2f |\n", $2, $3, $4 }'
	fi
	if [ -s "$dir/libvmx.log" ]; then
		echo
		echo "libvmx's own cost on the host (tests/bench/libvmx_overhead.c):"
		sed 's/^/    /' "$dir/libvmx.log"
	fi
	if grep -qa '^watchbench:' "$dir/erms.log"; then
		echo
		echo "vmxctl watch, one sample (tests/bench/watchbench.c, CPU with ERMS):"
		echo
		tr -d '\r' <"$dir/erms.log" | grep -a -E '^watch(bench:)? ' | sed 's/^/    /'
	fi
	echo
	echo "Issue 12's goals, CPU with ERMS (the -cpu max column), each size:"
	echo
	goals
} >"$dir/table.md"

# ns per page against the size, dense cases, CPU with ERMS.
plots erms | awk '$1 ~ /M$/ { s = $1; sub(/M$/, "", s); name = $2
	for (i = 3; i <= NF - 2; i++) name = name "_" $i
	print name, s, $(NF - 1) }' | sort -k1,1 -k2,2n >"$dir/plot.dat"
if command -v gnuplot >/dev/null && [ -s "$dir/plot.dat" ]; then
	gnuplot <<GP
set terminal svg size 800,500
set output "$dir/ns-per-page.svg"
set title "ns per touched 4K page, $conf, CPU with ERMS"
set xlabel "touched memory (MiB)"
set ylabel "ns per page"
set logscale xy
set key outside right
set datafile separator " "
names = system("cut -d' ' -f1 $dir/plot.dat | uniq")
plot for [n in names] "< grep '^".n." ' $dir/plot.dat" using 2:3 with linespoints title n
GP
fi
cat "$dir/table.md"
