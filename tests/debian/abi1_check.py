# An ABI 1 vmxctl (scripts/build-abi1-vmxctl.sh: built from the last commit
# before ABI 2, never rebuilt) against the upgraded module: info, resolve,
# a dump of one page and the VMAs of this process, each checked against
# /proc/self/pagemap and /proc/self/maps. Prints "abi1 ok" or the failure.
import ctypes, json, mmap, os, struct, subprocess, sys

vmxctl = sys.argv[1]
m = mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE)
m[0:4] = b"abi1"
addr = ctypes.addressof(ctypes.c_char.from_buffer(m))
pid = os.getpid()
with open("/proc/self/pagemap", "rb") as f:
    f.seek(addr // 4096 * 8)
    pfn = struct.unpack("Q", f.read(8))[0] & ((1 << 55) - 1)


def run(*args):
    p = subprocess.run([vmxctl, "-j", *args], capture_output=True, text=True)
    assert p.returncode == 0, (args, p.returncode, p.stderr.strip())
    return json.loads(p.stdout)


info = run("info")
assert info["abi_version"] >= 2, info["abi_version"]   # the module's, newer
r = run("resolve", str(pid), hex(addr))
assert int(r["pa"], 16) >> 12 == pfn, (r["pa"], pfn)
d = run("dump", str(pid), "range", hex(addr), hex(addr + 4096), "leaves")
leaf = [e for e in d["entries"] if e["kind"] == "leaf"]
assert len(leaf) == 1 and int(leaf[0]["pfn"], 16) == pfn, (leaf, pfn)
assert int(leaf[0]["vma_start"], 16) <= addr < int(leaf[0]["vma_end"], 16), leaf


def maps():
    with open("/proc/self/maps") as f:
        spans = [tuple(int(x, 16) for x in l.split()[0].split("-")) for l in f]
    return [v for v in spans if v[0] < 1 << 56]     # not [vsyscall]


# Python may map memory between the reads: either side must agree.
before = maps()
vmas = [(int(v["start"], 16), int(v["end"], 16)) for v in run("vmas", str(pid))["vmas"]]
assert vmas in (before, maps()), (before, vmas)
print("abi1 ok")
