#!/bin/bash
# The Python binding (python/vmx) on the host, without a module: every
# ctypes struct field at the C compiler's offset, then the binding against
# the fake module (fakedev.so) compared with vmxctl's JSON of the same
# fake process. Prints "python: N checks, N failed".
# tests/host/python.sh VMXCTL (fakedev.so beside it)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
vmxctl=$1
shim=$(dirname "$vmxctl")/fakedev.so
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/check.sh"


out=$(make -s -C "$top/lib" O="$work" "$work/libvmx.so.0.1.0" 2>&1)
check lib_builds $? "$out"

# Offsets: C's offsetof against ctypes, field by field.
PYTHONPATH=$top/python LIBVMX=$work/libvmx.so.0.1.0 python3 - >"$work/off.c" <<'PY'
import ctypes as C
from vmx import _structs as S
cname = {"Info": "vmx_info", "Step": "vmx_step", "Entry": "vmx_entry",
         "Resolve": "vmx_resolve", "Compact": "vmx_compact",
         "CompactPage": "vmx_compact_page", "Vma": "vmx_vma", "Peek": "vmx_peek",
         "Phys": "vmx_phys", "Edit": "vmx_edit"}
print('#include <stddef.h>\n#include <stdio.h>\n#include "uapi/vmx.h"\nint main(void)\n{')
for t, n in cname.items():
    cls = getattr(S, t)
    print('\tprintf("%s %%zu\\n", sizeof(struct %s));' % (t, n))
    for f, _ in cls._fields_:
        print('\tprintf("%s.%s %%zu\\n", offsetof(struct %s, %s));' % (t, f, n, f))
print("\treturn 0;\n}")
PY
PYTHONPATH=$top/python LIBVMX=$work/libvmx.so.0.1.0 python3 - >"$work/py.txt" <<'PY'
from vmx import _structs as S
import ctypes as C
for t in ("Info", "Step", "Entry", "Resolve", "Compact", "CompactPage", "Vma", "Peek",
          "Phys", "Edit"):
    cls = getattr(S, t)
    print(t, C.sizeof(cls))
    for f, _ in cls._fields_:
        print("%s.%s %d" % (t, f, getattr(cls, f).offset))
PY
out=$(cc -std=c11 -Wall -Werror -I"$top/include" -o "$work/off" "$work/off.c" 2>&1)
check offsets_program_builds $? "$out"
diff_out=$(diff <("$work/off") "$work/py.txt")
check ctypes_layout_matches_c "$([ -z "$diff_out" ]; echo $?)" "$(echo "$diff_out" | head -n 5 | tr '\n' ' ')"

# The binding against the fake module, beside vmxctl's JSON of the same.
dev=/nonexistent/fakevmx
run() {
	env LD_PRELOAD="$shim" VMXCTL_DEVICE=$dev VMX_DEVICE=$dev PYTHONPATH="$top/python" \
		LIBVMX="$work/libvmx.so.0.1.0" "$@"
}
"$vmxctl" --help >/dev/null 2>&1
run "$vmxctl" -j resolve 4242 0x55d0c0a00000 >"$work/resolve.json" 2>&1
run "$vmxctl" --ndjson dump 4242 >"$work/dump.ndjson" 2>&1
run "$vmxctl" -j vmas 4242 >"$work/vmas.json" 2>&1
out=$(run python3 - "$work" <<'PY' 2>&1
import errno, json, os, sys
import vmx
work = sys.argv[1]
fails = []
def expect(name, ok, detail=""):
    print(("ok " if ok else "not ok ") + name + ("" if ok else ": " + str(detail)))
with vmx.open() as v:
    i = v.info()
    expect("info", i["release"] == "6.12.0-fake" and i["pat"] == 0x0407050600070106, i)
    r = v.resolve(4242, 0x55d0c0a00000)
    want = json.load(open(work + "/resolve.json"))
    expect("resolve_matches_vmxctl", r["pa"] == int(want["pa"], 16) and
           r["result_name"] == "mapped" and len(r["steps"]) == len(want["steps"]),
           (r["pa"], want.get("pa")))
    recs = list(v.dump(4242, 0, i["user_va_end"]))
    lines = [json.loads(l) for l in open(work + "/dump.ndjson")][1:]
    lines = [l for l in lines if "va" in l]
    expect("dump_matches_vmxctl", len(recs) == len(lines) and
           all(r["va"] == int(l["va"], 16) and r["raw"] == int(l["raw"], 16)
               for r, l in zip(recs, lines)), (len(recs), len(lines)))
    # The fake module has no compact records (VMX_FEAT_DUMP_COMPACT): those
    # are checked in the VMs.
    leaves = list(v.dump(4242, 0, i["user_va_end"], leaves=True))
    expect("dump_leaves", len(leaves) == sum(l.get("kind") not in ("table", None) for l in lines)
           and all(c["kind_name"] != "table" for c in leaves), len(leaves))
    vm = v.vmas(4242)
    want = json.load(open(work + "/vmas.json"))
    expect("vmas_match_vmxctl", len(vm) == len(want["vmas"]) and
           vm[0]["start"] == int(want["vmas"][0]["start"], 16), (len(vm), len(want["vmas"])))
    try:
        vmx.proc_of(999999)
        expect("missing_process_raises", False, "no error")
    except vmx.VmxError as e:
        expect("missing_process_raises", e.errno == errno.ESRCH, e)
os.environ["VMX_FAKE_ABSENT"] = "1"
try:
    vmx.open()
    expect("absent_module_raises", False, "opened")
except vmx.VmxError as e:
    expect("absent_module_raises", e.errno == errno.ENOENT and "is vmx.ko loaded?" in e.strerror,
           e)
PY
)
while IFS= read -r line; do
	case $line in
	"ok "*) check "${line#ok }" 0 ;;
	"not ok "*) line=${line#not ok }; check "${line%%:*}" 1 "${line#*: }" ;;
	*) check python_runs 1 "$line" ;;
	esac
done <<<"$out"
checks_end python
