#!/bin/bash
# make test: static checks, then every kernel of the matrix in both paging
# modes (4-level boots with pti=on, 5-level with pti=off, so every kernel
# sees both), each VM running the KUnit module and the end-to-end checks.
# Prints a summary table and ends with "N passed, N failed".
# VMX_KERNELS / VMX_PAGING narrow the matrix for a developer's quick run.
set -u
. "$(dirname "$0")/common.sh"

kernels=${VMX_TEST_KERNELS:-$VMX_KERNELS}
pagings=${VMX_TEST_PAGING:-5 4}
t0=$(date +%s)
passed=0 failed=0
rows=()
notes=()
# Repeated after the table: CI keeps only the end of the output.
fails=()
# The first lines of each VM's first splat, also repeated at the end.
splat_tails=()

# row KERNEL PAGING SUITE PASSED FAILED [NOTE]
row() {
	rows+=("$(printf '%-13s %-6s %-16s %6s %6s  %s' "$1" "$2" "$3" "$4" "$5" "${6:-}")")
	passed=$((passed + $4))
	failed=$((failed + $5))
	[ "$5" = 0 ] || fails+=("$1 $2 $3: $5 failed${6:+ ($6)}")
}

# Booted with huge pages reserved for the dump's hugetlb leaves and two fake
# NUMA nodes for NUMA-hint entries; NUMA balancing stays off but in the test
# that wants it, as it changes entries under the other tests' comparisons.
# A 1G page (only to be had at boot) takes 13-19 s to clear under TCG, so
# only the 5-level VM of each kernel reserves one: every kernel's dump still
# meets a 1G leaf, and the 4-level VMs skip that check, saying why.
VM_TEST_APPEND="hugepagesz=2M hugepages=8 numa=fake=2 numa_balancing=disable"
VM_TEST_APPEND_5="hugepagesz=1G hugepages=1"
mkdir -p "$VMX_BUILD/logs"
rm -f "$VMX_BUILD"/logs/*.log

# Static checks over the project's kernel sources.
if bash "$VMX_TOP/scripts/checkpatch.sh" >"$VMX_BUILD/logs/checkpatch.txt" 2>&1; then
	row all - checkpatch 1 0
else
	cat "$VMX_BUILD/logs/checkpatch.txt"
	row all - checkpatch 0 1 "see build/logs/checkpatch.txt"
fi
# README's window flow, the indented lines after "step by step", as a
# user pastes them into make shell: 97-readme-window.sh runs them.
awk '/step by step/ { on = 1; next } on && /^    / { sub(/^    /, ""); print; next }
	on && /^which printed/ { exit }' "$VMX_TOP/README.md" >"$VMX_BUILD/readme-window.sh"
if grep -q '^vmxctl grant ' "$VMX_BUILD/readme-window.sh"; then
	row host - readme-flow 1 0
else
	row host - readme-flow 0 1 "README.md has no window flow after 'step by step'"
fi
# The probes that pick kernel APIs, on made-up Module.symvers files.
if out=$(bash "$VMX_TOP/tests/host/compat-probe.sh" 2>&1); then
	row host - compat-probe 1 0
else
	echo "$out"
	row host - compat-probe 0 1 "namespaced exports"
fi
# host_row NAME WHAT SHOW CMD...: CMD's last line is "NAME: N WHAT, N
# failed"; a row of its counts, what SHOW (a filter) keeps of the output
# on stderr when some failed, or one failure when CMD did not finish.
host_row() {
	local name=$1 what=$2 show=$3 out n
	shift 3
	out=$("$@" 2>&1)
	n=$(echo "$out" | sed -n "s/^$name: \([0-9]*\) $what, \([0-9]*\) failed\$/\1 \2/p")
	if [ -z "$n" ]; then
		echo "$out" | tail -n 5 >&2
		row host - "$name" 0 1 "${2##*/} did not finish"
		return
	fi
	set -- $n
	[ "$2" = 0 ] || echo "$out" | sh -c "$show" >&2
	row host - "$name" $(($1 - $2)) "$2"
}

if out=$(make -s -C "$VMX_TOP/tools/vmxctl" O="$VMX_BUILD" 2>&1); then
	row host - vmxctl-build 1 0
	# Grammar, help and usage errors, without a module; against the docs.
	host_row cli "checks" "grep '^not ok'" bash "$VMX_TOP/tests/host/cli.sh" "$VMX_BUILD/vmxctl"
	# Every output byte for byte, against vmx.ko played by fakedev.so.
	host_row golden "cases" "grep -A 40 '^not ok' | head -n 200" \
		bash "$VMX_TOP/tests/host/golden.sh" "$VMX_BUILD/vmxctl"
	# libvmx installed with make install-user, a program built on it with
	# pkg-config, run against the same fake module.
	host_row libvmx "checks" "grep '^not ok'" bash "$VMX_TOP/tests/host/libvmx.sh" "$VMX_BUILD/fakedev.so"
	# The Python binding: ctypes layouts against C, then the fake module.
	host_row python "checks" "grep '^not ok'" bash "$VMX_TOP/tests/host/python.sh" "$VMX_BUILD/vmxctl"
	# dump --html/--svg in headless Chromium, against the fake module's dump.
	host_row html "checks" "grep '^not ok'" bash "$VMX_TOP/tests/host/html.sh" "$VMX_BUILD/vmxctl" "$VMX_BUILD/html"
	[ -f "$VMX_BUILD/html/figures.txt" ] && while read -r line; do notes+=("html ${line#\# }"); done <"$VMX_BUILD/html/figures.txt"
else
	echo "$out"
	row host - vmxctl-build 0 1 "-Wall -Wextra -Werror"
fi

# The Debian VM's root filesystem, when it is not cached yet, is made
# (debootstrap, mostly downloads) beside the first kernel build, and waited
# for before the first VM boots: never beside a VM.
case " $kernels " in *" debian-6.12 "*) deb_default=1 ;; *) deb_default=0 ;; esac
rootfs_pid=
if [ "${VMX_TEST_DEBIAN:-$deb_default}" = 1 ]; then
	bash "$VMX_TOP/scripts/debian-rootfs.sh" >"$VMX_BUILD/logs/debian-rootfs.txt" 2>&1 &
	rootfs_pid=$!
fi

for k in $kernels; do
	if ! bash "$VMX_TOP/scripts/build-for-kernel.sh" "$k" --sparse >/dev/null; then
		row "$k" - build-W1-sparse 0 1 "see build/$k/build.log"
		continue
	fi
	row "$k" - build-W1-sparse 1 0
	kernel_paths "$k" 2>/dev/null
	if [ "$k" = kunit-latest ]; then
		notes+=("kunit-latest is $(cut -d' ' -f1,2 "$KDIR/.vmx-built")")
	fi
	for p in $pagings; do
		if [ "$p" = 4 ]; then pti=on vm_append_p=; else pti=off vm_append_p=$VM_TEST_APPEND_5; fi
		tag=$k-$p
		logf=$VMX_BUILD/logs/$tag.log
		files=$VMX_BUILD/files-$tag
		rm -rf "$files" && mkdir -p "$files"
		printf 'KERNEL=%s\nPAGING=%s\nPTI=%s\n' "$k" "$p" "$pti" >"$files/expect.env"
		bash "$VMX_TOP/scripts/stock-modules.sh" "$k" "$files/modules"
		# README's window flow runs as written in the VM make shell boots.
		if [ "$k $p" = "debian-6.12 5" ]; then
			cp "$VMX_BUILD/readme-window.sh" "$files/"
		else
			: >"$files/readme-window.sh"
		fi
		# No VM beside the root filesystem's making (CPU for the vCPUs).
		if [ -n "$rootfs_pid" ]; then
			wait "$rootfs_pid" || true
			rootfs_pid=
		fi
		echo "vmx: testing $k, $p-level paging, pti=$pti" >&2
		boot_note=
		vm_t0=$(date +%s)
		for attempt in 1 2; do
			bash "$VMX_TOP/initramfs/vm.sh" run --kernel "$k" --paging "$p" \
				--script "$VMX_TOP/tests/vm-suite.sh" \
				--files "$VMX_TOP/tests/e2e $files/expect.env $files/modules $files/readme-window.sh" \
				--append "pti=$pti $VM_TEST_APPEND${vm_append_p:+ $vm_append_p}" \
				--log "$logf" --timeout 900 --quiet
			vm_rc=$?
			# A kernel that dies before vmx.ko is even tried is a boot
			# flake of the emulator (seen: an int3 from text patching
			# under TCG), not a result: boot once more, and say so.
			# Under heavy host load TCG starves the vCPUs and the
			# kernel warns of itself (hrtimer, then lockdep in the
			# console path; soft lockups in the kernel's own ptdump
			# of KASAN's shadow): run that VM once more, keep both.
			if [ "$attempt" = 1 ] && grep -qE 'hrtimer: interrupt took|soft lockup' "$logf" &&
				! bash "$VMX_TOP/scripts/splat-scan.sh" "$logf" >/dev/null; then
				cp "$logf" "${logf%.log}.starved.log"
				boot_note="vCPUs starved, with splats (see ${logf#"$VMX_TOP"/} and .starved.log)"
				echo "vmx: $boot_note; booting again" >&2
				continue
			fi
			if [ "$vm_rc" = 0 ] || grep -qE 'VMX-INIT: (vmx.ko loaded|insmod vmx.ko failed)' "$logf"; then
				break
			fi
			cp "$logf" "${logf%.log}.boot$attempt.log"
			boot_note="boot $attempt died before vmx.ko was tried (see ${logf#"$VMX_TOP"/}, .boot$attempt.log)"
			echo "vmx: $boot_note; booting again" >&2
		done
		[ -z "$boot_note" ] || notes+=("$tag: $boot_note")
		vm_s=$(($(date +%s) - vm_t0))

		# KUnit: the module's KTAP, cut out of the console, parsed by the
		# kernel's own kunit.py.
		if [ "${k#kunit-}" != "$k" ]; then
			ktap=$VMX_BUILD/logs/$tag.ktap
			sed -n '/VMX-KTAP-BEGIN/,/VMX-KTAP-END/p' "$logf" |
				sed '1d;$d' >"$ktap"
			src=$(readlink -f "$KDIR/source" 2>/dev/null || true)
			[ -d "$src" ] || src=$(sed -n 's/^.*-C \(\S*\) .*/\1/p' "$KDIR/build.log" | head -n 1)
			parsed=$VMX_BUILD/logs/$tag.kunit.txt
			python3 "$src/tools/testing/kunit/kunit.py" parse <"$ktap" >"$parsed" 2>&1
			krc=$?
			sum=$(grep -o 'Ran [0-9]* tests:.*' "$parsed" | tail -n 1)
			kp=$(echo "$sum" | sed -n 's/.*passed: \([0-9]*\).*/\1/p')
			kf=$(echo "$sum" | sed -n 's/.*failed: \([0-9]*\).*/\1/p')
			kp=${kp:-0} kf=${kf:-0}
			if [ "$krc" != 0 ] && [ "$kf" = 0 ]; then
				kf=1
				note="kunit.py parse failed: see ${parsed#"$VMX_TOP"/}"
			else
				note=
			fi
			[ "$kp$kf" = 00 ] && kf=1 note="no KTAP in the console"
			row "$k" "$p" kunit "$kp" "$kf" "$note"
		fi

		ep=$(grep -c 'VMX-E2E ok ' "$logf")
		ef=$(grep -c 'VMX-E2E not ok ' "$logf")
		es=$(grep -c 'VMX-E2E skip ' "$logf")
		note=
		[ "$es" = 0 ] || note="$es skipped"
		if ! grep -q 'VMX-E2E-END' "$logf"; then
			ef=$((ef + 1))
			note="did not finish (VM status $vm_rc)"
		elif [ "$vm_rc" != "$(grep -c 'VMX-E2E not ok ' "$logf")" ] && [ "$vm_rc" -lt 100 ]; then
			ef=$((ef + 1))
			note="VM status $vm_rc disagrees with the results"
		fi
		while IFS= read -r l; do
			echo "  ${l#*VMX-E2E }" >&2
			fails+=("$tag: ${l#*VMX-E2E }")
		done < <(grep 'VMX-E2E not ok ' "$logf")
		row "$k" "$p" e2e "$ep" "$ef" "$note"
		rate=$(grep -o 'VMX-FUZZ-RATE.*' "$logf" | tail -n 1 | sed 's/VMX-FUZZ-RATE //')
		[ -z "$rate" ] || notes+=("$tag: fuzzer $rate")
		times=$(sed -n 's/^.*VMX-TIME \([^ ]*\) \([0-9]*\).*/\1 \2/p' "$logf" |
			sort -k2,2nr | head -n 4 | awk '{printf "%s%s %ss", (NR > 1 ? ", " : ""), $1, $2}')
		[ -z "$times" ] || notes+=("$tag: $vm_s s in the VM; longest: $times")

		if splats=$(bash "$VMX_TOP/scripts/splat-scan.sh" "$logf"); then
			row "$k" "$p" no-splat 1 0
		else
			echo "$splats" | head -n 20 >&2
			# The report's own lines, not just the matched header: a
			# lockdep or WARNING title says little without its next lines.
			first=$(echo "$splats" | head -n 1 | cut -d: -f1)
			splat_tails+=("--- $tag, console line $first:" "$(sed -n "${first},$((first + 9))p" "$logf" | cut -c1-160)")
			row "$k" "$p" no-splat 0 1 "see ${logf#"$VMX_TOP"/}"
		fi
	done
done

# The packages as users install them: a Debian 12 VM (debootstrap, cached)
# with the stock 6.12 kernel, apt install, DKMS, the programs built with
# pkg-config, Python, dkms autoinstall for 6.1, the next version over this
# one (scripts/debian-vm.sh). With the full matrix, or VMX_TEST_DEBIAN=1.
if [ "${VMX_TEST_DEBIAN:-$deb_default}" = 1 ]; then
	[ -z "$rootfs_pid" ] || wait "$rootfs_pid" || true
	# (debian-vm.sh finds it cached, or says why it could not be made.)
	t_deb=$(date +%s)
	out=$(bash "$VMX_TOP/scripts/debian-vm.sh" 2>&1)
	echo "$out" >"$VMX_BUILD/logs/debian-vm.txt"
	n=$(echo "$out" | sed -n 's/^debian-vm: \([0-9]*\) checks, \([0-9]*\) failed$/\1 \2/p')
	if [ -z "$n" ]; then
		echo "$out" | tail -n 10 >&2
		row debian-12 - packages 0 1 "scripts/debian-vm.sh did not finish (build/logs/debian-vm.txt)"
	else
		set -- $n
		[ "$2" = 0 ] || echo "$out" | grep '^not ok' >&2
		row debian-12 - packages $(($1 - $2)) "$2"
	fi
	notes+=("debian-12: packages $(( $(date +%s) - t_deb )) s in all ($(echo "$out" |
		sed -n 's/^debian-vm: \([0-9]*\) s in the VM$/\1/p') s in the VM)")
fi

echo
printf '%-13s %-6s %-16s %6s %6s  %s\n' kernel paging suite passed failed note
for r in "${rows[@]}"; do echo "$r"; done
for n in "${notes[@]}"; do echo "$n"; done
echo "wall time: $(( $(date +%s) - t0 )) s"
[ "${#fails[@]}" = 0 ] || printf 'FAILED %s\n' "${fails[@]}"
[ "${#splat_tails[@]}" = 0 ] || printf '%s\n' "${splat_tails[@]}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
