# SPDX-License-Identifier: LGPL-2.1-or-later
"""vmx from Python: libvmx (the C library over /dev/vmx) through ctypes.

    import vmx
    with vmx.open() as v:
        r = v.resolve(pid, addr)          # a dict: steps, final, pa ...
        for e in v.dump(pid, start, end): # one dict per record
            ...

No compiled extension: libvmx.so.0 is loaded with ctypes ($LIBVMX names
another file). Errors raise VmxError, an OSError with errno and libvmx's
one-line message. Needs root, as the device does.
"""
import ctypes as C
import ctypes.util
import os

from . import _structs as S

__all__ = ["open", "Vmx", "VmxError", "proc_of", "LEVELS", "KINDS"]

# include/uapi/vmx.h's numbers.
LEVELS = {1: "pte", 2: "pmd", 3: "pud", 4: "p4d", 5: "pgd"}
KINDS = {0: "none", 1: "table", 2: "leaf", 3: "protnone", 4: "swap",
         5: "migration_read", 6: "migration_read_exclusive", 7: "migration_write",
         8: "device_private_read", 9: "device_private_write", 10: "device_exclusive",
         11: "hwpoison", 12: "marker", 13: "unknown"}
RESULTS = {1: "mapped", 2: "none", 3: "not_present"}
PHYS_TYPES = {1: "not_ram", 2: "no_page", 3: "free", 4: "anon", 5: "file", 6: "slab",
              7: "pagetable", 8: "reserved", 9: "hugetlb", 10: "other"}
RESOLVE_KERNEL, RESOLVE_NO_PAGE = 1 << 0, 1 << 1
DUMP_LEAVES, DUMP_NO_PAGE, DUMP_MERGE, DUMP_TABLES, DUMP_COMPACT = (1 << i for i in range(5))
EDIT_BITS = {"accessed": 1 << 0, "write": 1 << 1, "dirty": 1 << 2, "soft_dirty": 1 << 3,
             "nx": 1 << 4, "pwt": 1 << 5, "pcd": 1 << 6}
EDIT_EXPECT, EDIT_DRY_RUN, EDIT_NO_FLUSH = 1 << 0, 1 << 1, 1 << 2
REMAP_MAP, REMAP_GRANT, REMAP_REVOKE, REMAP_RETARGET, REMAP_PROTECT = 1, 2, 3, 4, 5
REMAP_READONLY = 1


def _load():
    path = os.environ.get("LIBVMX") or ctypes.util.find_library("vmx") or "libvmx.so.0"
    lib = C.CDLL(path, use_errno=True)
    P, vp = C.POINTER, C.c_void_p
    sig = {
        "vmx_open": (C.c_int, [P(vp), C.c_char_p]),
        "vmx_close": (None, [vp]),
        "vmx_get_info": (P(S.Info), [vp]),
        "vmx_errmsg": (C.c_char_p, []),
        "vmx_lib_version": (C.c_char_p, []),
        "vmx_proc_of": (C.c_int, [C.c_int, P(S.Proc)]),
        "vmx_resolve": (C.c_int, [vp, P(S.Proc), C.c_uint64, C.c_uint64, P(S.Resolve)]),
        "vmx_dump_open": (C.c_int, [vp, P(vp), P(S.Proc), C.c_uint64, C.c_uint64,
                                    C.c_uint64]),
        "vmx_dump_batch": (C.c_int, [vp, P(vp), P(C.c_size_t)]),
        "vmx_dump_record_size": (C.c_size_t, [vp]),
        "vmx_dump_roots": (None, [vp, P(C.c_uint64), P(C.c_uint64)]),
        "vmx_dump_close": (None, [vp]),
        "vmx_vmas": (C.c_int, [vp, P(S.Proc), P(P(S.Vma)), P(C.c_size_t)]),
        "vmx_peek": (C.c_int, [vp, P(S.Proc), C.c_uint64, vp, C.c_size_t, P(S.Peek)]),
        "vmx_phys": (C.c_int, [vp, C.c_uint64, P(S.Phys)]),
        "vmx_edit": (C.c_int, [vp, P(S.Proc), C.c_uint64, C.c_uint32, C.c_uint32,
                               C.c_uint64, C.c_uint64, P(S.Edit)]),
        "vmx_tlb_flush": (C.c_int, [vp]),
        "vmx_window_open": (C.c_int, [vp, C.c_size_t, P(vp)]),
        "vmx_window_close": (C.c_int, [vp, C.c_size_t]),
        "vmx_remap": (C.c_int, [vp, C.c_uint, P(S.Proc), C.c_uint64, P(S.Proc),
                                C.c_uint64, C.c_uint, C.c_uint64]),
    }
    for name, (res, args) in sig.items():
        f = getattr(lib, name)
        f.restype, f.argtypes = res, args
    return lib


_lib = _load()
_libc = C.CDLL(None)
_libc.free.argtypes = [C.c_void_p]


class VmxError(OSError):
    """A libvmx call that failed: errno, and libvmx's one-line message."""


def _check(ret):
    if ret < 0:
        msg = (_lib.vmx_errmsg() or b"").decode(errors="replace")
        raise VmxError(-ret, msg or os.strerror(-ret))
    return ret


def _struct_dict(s):
    out = {}
    for name, _ in s._fields_:
        if name.startswith("pad") or name in ("size", "reserved"):
            continue
        v = getattr(s, name)
        if isinstance(v, bytes):
            v = v.decode(errors="replace")
        elif isinstance(v, C.Structure):
            v = _struct_dict(v)
        elif isinstance(v, C.Array):
            v = [_struct_dict(x) if isinstance(x, C.Structure) else x for x in v]
        out[name] = v
    return out


def _entry(e):
    d = _struct_dict(e)
    d["level_name"] = LEVELS.get(e.level, "?")
    d["kind_name"] = KINDS.get(e.kind, "?")
    return d


def proc_of(pid):
    """pid and start time (from /proc): what every request names a process by."""
    p = S.Proc()
    _check(_lib.vmx_proc_of(pid, C.byref(p)))
    return p


class Vmx:
    """An open /dev/vmx."""

    def __init__(self, path=None):
        self._v = C.c_void_p()
        _check(_lib.vmx_open(C.byref(self._v), path.encode() if path else None))

    def close(self):
        if self._v:
            _lib.vmx_close(self._v)
            self._v = C.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _proc(self, pid):
        return pid if isinstance(pid, S.Proc) else proc_of(pid)

    def info(self):
        """VMX_IOC_INFO, as read at open."""
        return _struct_dict(_lib.vmx_get_info(self._v).contents)

    def resolve(self, pid, addr, kernel=False, page=True):
        """The translation of addr: a dict with steps (one per level) and final."""
        r = S.Resolve()
        flags = (RESOLVE_KERNEL if kernel else 0) | (0 if page else RESOLVE_NO_PAGE)
        p = None if kernel else C.byref(self._proc(pid))
        _check(_lib.vmx_resolve(self._v, p, addr, flags, C.byref(r)))
        d = _struct_dict(r)
        d["steps"] = d["steps"][:r.nr_steps]
        for s in d["steps"]:
            s["level_name"] = LEVELS.get(s["level"], "?")
        d["final"] = _entry(r.final)
        d["result_name"] = RESULTS.get(r.result, "?")
        return d

    def dump(self, pid, start, end, leaves=False, compact=False, page=True, merge=False):
        """Each record of [start, end), as a dict (compact: va, level, kind, raw)."""
        flags = ((DUMP_LEAVES if leaves else 0) | (DUMP_COMPACT if compact else 0) |
                 (0 if page else DUMP_NO_PAGE) | (DUMP_MERGE if merge else 0))
        d = C.c_void_p()
        _check(_lib.vmx_dump_open(self._v, C.byref(d), C.byref(self._proc(pid)), start,
                                  end, flags))
        try:
            rtype = (S.Entry if not compact else S.CompactPage if page else S.Compact)
            recs, n = C.c_void_p(), C.c_size_t()
            while _check(_lib.vmx_dump_batch(d, C.byref(recs), C.byref(n))) == 1:
                arr = C.cast(recs, C.POINTER(rtype))
                for i in range(n.value):
                    yield self._record(arr[i], compact, page)
        finally:
            _lib.vmx_dump_close(d)

    @staticmethod
    def _record(rec, compact, page):
        if not compact:
            return _entry(rec)
        c = rec.c if page else rec
        d = {"va": c.va_info & ~0xfff, "level": c.va_info & 7, "kind": (c.va_info >> 3) & 15,
             "raw": c.raw}
        d["level_name"], d["kind_name"] = LEVELS.get(d["level"], "?"), KINDS.get(d["kind"], "?")
        if page:
            d["page"], d["mapcount"] = rec.page, rec.mapcount
        return d

    def vmas(self, pid):
        """Every VMA in address order, as dicts."""
        arr, n = C.POINTER(S.Vma)(), C.c_size_t()
        _check(_lib.vmx_vmas(self._v, C.byref(self._proc(pid)), C.byref(arr), C.byref(n)))
        try:
            return [_struct_dict(arr[i]) for i in range(n.value)]
        finally:
            _libc.free(arr)

    def peek(self, pid, addr, length):
        """length bytes at addr (within one 4K page), from the frame that maps it."""
        buf, pk = C.create_string_buffer(length), S.Peek()
        _check(_lib.vmx_peek(self._v, C.byref(self._proc(pid)), addr, buf, length,
                             C.byref(pk)))
        return buf.raw

    def phys(self, pa):
        """What the frame at pa is used for."""
        ph = S.Phys()
        _check(_lib.vmx_phys(self._v, pa, C.byref(ph)))
        d = _struct_dict(ph)
        d["type_name"] = PHYS_TYPES.get(ph.type, "?")
        return d

    def edit(self, pid, addr, set=(), clear=(), dry_run=False, no_flush=False, expect=None):
        """Set and clear bits ("accessed", "write", ...) of addr's 4K PTE: old, new."""
        e = S.Edit()
        flags = ((EDIT_DRY_RUN if dry_run else 0) | (EDIT_NO_FLUSH if no_flush else 0) |
                 (EDIT_EXPECT if expect is not None else 0))
        bits = lambda names: sum(EDIT_BITS[n] for n in names)
        _check(_lib.vmx_edit(self._v, C.byref(self._proc(pid)), addr, bits(set), bits(clear),
                             flags, expect or 0, C.byref(e)))
        return _struct_dict(e)

    def tlb_flush(self):
        _check(_lib.vmx_tlb_flush(self._v))

    def window_open(self, pages):
        """A window of pages 4K pages in this process: its address."""
        addr = C.c_void_p()
        _check(_lib.vmx_window_open(self._v, pages, C.byref(addr)))
        return addr.value

    def window_close(self, addr, pages):
        _check(_lib.vmx_window_close(addr, pages))

    def _remap(self, op, src, src_addr, win, win_addr, pages, flags):
        s = C.byref(self._proc(src)) if src is not None else None
        w = C.byref(self._proc(win)) if win is not None else C.byref(self._proc(os.getpid()))
        return _check(_lib.vmx_remap(self._v, op, s, src_addr, w, win_addr, pages, flags))

    def map(self, src, src_addr, win_addr, pages=1, win=None, readonly=False):
        return self._remap(REMAP_MAP, src, src_addr, win, win_addr, pages,
                           REMAP_READONLY if readonly else 0)

    def grant(self, src, src_addr, win_addr, pages=1, win=None, readonly=False):
        return self._remap(REMAP_GRANT, src, src_addr, win, win_addr, pages,
                           REMAP_READONLY if readonly else 0)

    def retarget(self, src, src_addr, win_addr, pages=1, win=None, readonly=False):
        return self._remap(REMAP_RETARGET, src, src_addr, win, win_addr, pages,
                           REMAP_READONLY if readonly else 0)

    def revoke(self, win_addr, pages=1, win=None):
        return self._remap(REMAP_REVOKE, None, 0, win, win_addr, pages, 0)

    def protect(self, win_addr, pages=1, win=None, readonly=True):
        return self._remap(REMAP_PROTECT, None, 0, win, win_addr, pages,
                           REMAP_READONLY if readonly else 0)


def open(path=None):  # noqa: A001 (vmx.open, as os.open)
    """Open /dev/vmx (or path, or $VMX_DEVICE): a Vmx, usable with 'with'."""
    return Vmx(path)


def lib_version():
    return _lib.vmx_lib_version().decode()


