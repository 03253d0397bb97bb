#!/bin/sh
# In the Debian 12 test VM (scripts/debian-vm.sh), as root, as a user
# would: apt install the packages (DKMS builds vmx.ko for the running 6.12),
# load it, use vmxctl, build programs against libvmx-dev with pkg-config
# (libvmx's check, and a PTEditor program with its include line unchanged),
# use the Python binding; dkms autoinstall for 6.1; then the next version
# installed over this one. One "VMX-DEB ok|not ok|skip NAME" line a check.
T=/test
# Each result on a line of its own: the console also carries the kernel's.
n_results=0
ok() { n_results=$((n_results + 1)); printf '\nVMX-DEB ok %s\n' "$1"; }
notok() { n_results=$((n_results + 1)); printf '\nVMX-DEB not ok %s: %s\n' "$1" "$2"; }
expect() { if [ "$2" = 0 ]; then ok "$1"; else notok "$1" "$3"; fi; }
rel=$(uname -r)
rel61=$(cut -d' ' -f2 $T/releases)
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
# DKMS's compiler outputs, kept between runs (scripts/debian-vm.sh).
if mkdir -p /var/cache/ccache && mount /dev/vdc /var/cache/ccache 2>/dev/null; then
	export CCACHE_DIR=/var/cache/ccache PATH=/usr/lib/ccache:$PATH
	ccache -M 1G >/dev/null && ccache -z >/dev/null
fi

# apt_timed LOG DEB...: apt-get install, each line of its output stamped
# with the seconds since boot, so the note of slowest() can say where the
# time went; returns apt-get's status. APT runs dpkg, and so DKMS, with a
# PATH of its own (DPkg::Path, /usr/sbin:/usr/bin:/sbin:/bin): given ours,
# DKMS's builds under apt reach ccache and the stamping make too.
apt_timed() {
	log=$1
	shift
	{
		apt-get -o Dpkg::Use-Pty=0 -o DPkg::Path="$PATH" install -y --no-install-recommends "$@" 2>&1
		printf '\napt-status %d\n' $?
	} | while IFS= read -r l; do
		read -r up _ </proc/uptime
		printf '%s %s\n' "$up" "$l"
	done >"$log"
	st=$(sed -n 's/^[0-9.]* apt-status //p' "$log")
	return "${st:-100}"
}

# slowest NAME LOG: a note of the five longest stretches of LOG, each
# named by the lines it lies between (what apt, dpkg or Kbuild was doing).
slowest() {
	printf '\nVMX-DEB note %s slowest: %s\n' "$1" "$(awk '
		{ t = $1; $1 = ""; l = substr($0, 2, 48) }
		NR > 1 { printf "%.1f s from \"%s\" to \"%s\"\n", t - pt, pl, l }
		{ pt = t; pl = l }' "$2" | sort -rn | head -n 5 | tr '\n' ';')"
}

# Kbuild's lines stamped too: DKMS runs the first make in PATH, this one.
mkdir -p /tmp/stamp-bin
cat >/tmp/stamp-bin/make <<'MAKE'
#!/bin/sh
{ /usr/bin/make "$@" 2>&1; echo $? >/tmp/make.status; } | while IFS= read -r l; do
	read -r up _ </proc/uptime
	printf '%s %s\n' "$up" "$l" >>/tmp/make.log
	printf '%s\n' "$l"
done
exit "$(cat /tmp/make.status)"
MAKE
chmod +x /tmp/stamp-bin/make
export PATH=/tmp/stamp-bin:$PATH

t0=$(date +%s)
apt_timed /tmp/apt.log $T/debs/*.deb
expect apt_install $? "$(tail -n 3 /tmp/apt.log | tr '\n' ' ')"
echo "VMX-DEB time apt_install $(($(date +%s) - t0))"
slowest apt_install /tmp/apt.log
slowest apt_install_kbuild /tmp/make.log
rm -f /tmp/make.log
dkms status >/tmp/dkms.txt 2>&1
expect dkms_built_for_running_kernel "$(grep -q "^vmx/$(cat $T/version), $rel, x86_64: installed" /tmp/dkms.txt; echo $?)" \
	"$(tr '\n' ' ' </tmp/dkms.txt)"
modprobe vmx 2>/tmp/modprobe.txt
expect module_loads "$([ -c /dev/vmx ]; echo $?)" "$(cat /tmp/modprobe.txt)"
expect module_from_dkms "$(modinfo -n vmx | grep -q '/updates/dkms/'; echo $?)" "$(modinfo -n vmx)"
vmxctl info >/tmp/info.txt 2>&1
expect vmxctl_info "$(grep -q "^kernel release *$rel\$" /tmp/info.txt; echo $?)" "$(head -n 3 /tmp/info.txt | tr '\n' ' ')"
expect man_pages "$(ls /usr/share/man/man8/vmxctl.8.gz /usr/share/man/man4/vmx.4.gz \
	/usr/share/man/man3/libvmx.3.gz >/dev/null 2>&1; echo $?)" "a man page is missing"

# Programs built against the installed library, as its users build them.
flags=$(pkg-config --cflags --libs libvmx)
expect pkg_config "$?" "$flags"
cc -std=gnu11 -O2 -Wall -Wextra -Werror -o /tmp/libvmx_check $T/src/libvmx_check.c $flags 2>/tmp/cc1.txt
expect libvmx_check_builds "$?" "$(head -n 3 /tmp/cc1.txt | tr '\n' ' ')"
/tmp/libvmx_check >/tmp/lc.txt 2>&1
n=$(grep -c '^ok ' /tmp/lc.txt)
expect libvmx_check_passes "$(! grep -q '^not ok' /tmp/lc.txt && grep -q '^done' /tmp/lc.txt; echo $?)" \
	"$(grep '^not ok' /tmp/lc.txt | head -n 3 | tr '\n' ' ') ($n ok)"
cc -std=gnu11 -O2 -Wall -Wextra -Werror -o /tmp/ptedit_check $T/src/ptedit_check.c $flags 2>/tmp/cc2.txt
expect ptedit_program_builds "$?" "$(head -n 3 /tmp/cc2.txt | tr '\n' ' ')"
echo 1 >/sys/module/vmx/parameters/allow_edits
/tmp/ptedit_check >/tmp/pc.txt 2>&1
echo 0 >/sys/module/vmx/parameters/allow_edits
n=$(grep -c '^ok ' /tmp/pc.txt)
expect ptedit_program_passes "$(! grep -q '^not ok' /tmp/pc.txt && grep -q '^done' /tmp/pc.txt; echo $?)" \
	"$(grep '^not ok' /tmp/pc.txt | head -n 3 | tr '\n' ' ') ($n ok)"

# Python, against /proc/self/pagemap.
python3 - >/tmp/py.txt 2>&1 <<'PY'
import mmap, os, struct, vmx
m = mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE)   # anonymous, not shmem
m[0:5] = b"hello"
addr = __import__("ctypes").addressof(__import__("ctypes").c_char.from_buffer(m))
with vmx.open() as v:
    r = v.resolve(os.getpid(), addr)
    with open("/proc/self/pagemap", "rb") as f:
        f.seek(addr // 4096 * 8)
        pfn = struct.unpack("Q", f.read(8))[0] & ((1 << 55) - 1)
    assert r["result_name"] == "mapped" and r["pa"] >> 12 == pfn, (r["pa"], pfn)
    assert v.peek(os.getpid(), addr, 5) == b"hello"
    assert any(x["start"] <= addr < x["end"] for x in v.vmas(os.getpid()))
    assert v.phys(r["pa"])["type_name"] == "anon"
print("python ok")
PY
expect python_binding "$(grep -qx 'python ok' /tmp/py.txt; echo $?)" "$(tail -n 2 /tmp/py.txt | tr '\n' ' ')"

# A second kernel: dkms autoinstall builds vmx.ko for 6.1 too.
t0=$(date +%s)
dkms autoinstall -k "$rel61" >/tmp/auto.txt 2>&1
dkms status >/tmp/dkms.txt 2>&1
expect dkms_autoinstall_second_kernel "$(grep -q "^vmx/$(cat $T/version), $rel61, x86_64: installed" /tmp/dkms.txt; echo $?)" \
	"$(tail -n 3 /tmp/auto.txt | tr '\n' ' ')"
ko=$(find "/lib/modules/$rel61" -name 'vmx.ko*' | head -n 1)
expect module_for_6_1_vermagic "$(modinfo -F vermagic "$ko" 2>/dev/null | grep -q "^$rel61 "; echo $?)" "$ko"
echo "VMX-DEB time dkms_autoinstall $(($(date +%s) - t0))"

# The next version over this one: packages upgrade, DKMS rebuilds, loads.
rm -f /tmp/make.log
t0=$(date +%s)
modprobe -r vmx
apt_timed /tmp/apt2.log $T/upgrade/*.deb
expect apt_upgrade "$?" "$(tail -n 3 /tmp/apt2.log | tr '\n' ' ')"
dkms status >/tmp/dkms.txt 2>&1
expect dkms_upgraded "$(grep -q "^vmx/$(cat $T/next_version), $rel, x86_64: installed" /tmp/dkms.txt &&
	! grep -q "^vmx/$(cat $T/version)," /tmp/dkms.txt; echo $?)" "$(tr '\n' ' ' </tmp/dkms.txt)"
modprobe vmx && vmxctl info >/dev/null 2>&1 && /tmp/libvmx_check >/tmp/lc2.txt 2>&1
expect upgraded_module_serves_old_program "$?" "$(grep '^not ok' /tmp/lc2.txt | head -n 2 | tr '\n' ' ')"
# Debian's dkms (3.0.10) rebuilds on upgrade for the running and the newest
# kernel only: 6.1 is left without vmx.ko until its own dkms autoinstall
# (docs/install.md says so). This checks that nothing stale is left for it.
expect upgrade_leaves_no_stale_6_1_module "$(! grep -q "^vmx/$(cat $T/version), $rel61" /tmp/dkms.txt &&
	[ -z "$(find "/lib/modules/$rel61" -name 'vmx.ko*')" ]; echo $?)" "$(tr '\n' ' ' </tmp/dkms.txt)"
echo "VMX-DEB time apt_upgrade $(($(date +%s) - t0))"
slowest apt_upgrade /tmp/apt2.log
slowest apt_upgrade_kbuild /tmp/make.log
# A vmxctl built for ABI 1 and never rebuilt, against the upgraded module.
python3 $T/abi1_check.py $T/abi1/vmxctl >/tmp/abi1.txt 2>&1
expect abi1_vmxctl_served "$(grep -qx 'abi1 ok' /tmp/abi1.txt; echo $?)" "$(tail -n 2 /tmp/abi1.txt | tr '\n' ' ')"
dmesg | grep -E 'BUG|Oops|WARNING|Bad page|Call Trace' | head -n 5 >/tmp/splat.txt
expect no_splat "$([ -s /tmp/splat.txt ] && echo 1 || echo 0)" "$(tr '\n' ' ' </tmp/splat.txt)"
if [ -n "${CCACHE_DIR:-}" ]; then
	printf '\nVMX-DEB note ccache: %s\n' "$(ccache -s | grep -iE 'hits|misses' | tr -s ' ' | tr '\n' ';')"
	sync
	umount /var/cache/ccache
fi
printf '\nVMX-DEB done %d\n' "$n_results"
exit 0
