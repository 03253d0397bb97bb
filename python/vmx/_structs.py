# SPDX-License-Identifier: LGPL-2.1-or-later
"""The module's structs (include/uapi/vmx.h) as ctypes, at libvmx.so.0's sizes.

tests/host/python.sh compares every field's offset with the C compiler's.
"""
import ctypes as C

u8, u32, s32, u64 = C.c_uint8, C.c_uint32, C.c_int32, C.c_uint64

MAX_STEPS = 5
VMA_NAME_LEN = 256


class Info(C.Structure):
    _fields_ = [("size", u64), ("flags", u64), ("reserved", u64),
                ("abi_version", u32), ("levels", u32), ("features", u64),
                ("paging", u64), ("leaf_sizes", u64), ("page_offset_base", u64),
                ("direct_map_size", u64), ("phys_ram_end", u64), ("user_va_end", u64),
                ("phys_bits", u32), ("virt_bits", u32), ("page_size", u32),
                ("ptrs_per_table", u32), ("release", C.c_char * 72), ("sw_valid", u32),
                ("pad", u32), ("vma_flags_valid", u64), ("pat", u64)]


class Step(C.Structure):
    _fields_ = [("table_pa", u64), ("entry", u64), ("entry_kernel", u64),
                ("level", u32), ("index", u32)]


class Entry(C.Structure):
    _fields_ = [("va", u64), ("raw", u64), ("raw_kernel", u64), ("pfn", u64),
                ("entry_pa", u64), ("swap_offset", u64), ("nr", u64), ("level", u8),
                ("kind", u8), ("span_shift", u8), ("swap_type", u8), ("pkey", u8),
                ("pad", u8 * 3), ("sw", u32), ("page", u32), ("refcount", s32),
                ("mapcount", s32)]


class Resolve(C.Structure):
    _fields_ = [("size", u64), ("flags", u64), ("reserved", u64), ("pid", s32),
                ("nr_steps", u32), ("start_time", u64), ("addr", u64), ("root_pa", u64),
                ("root_pa_user", u64), ("pa", u64), ("result", u32), ("in_vma", u32),
                ("steps", Step * MAX_STEPS), ("final", Entry), ("vma_start", u64),
                ("vma_end", u64), ("vma_flags", u64), ("abi_version", u32), ("pad", u32)]


class Compact(C.Structure):
    _fields_ = [("va_info", u64), ("raw", u64)]


class CompactPage(C.Structure):
    _fields_ = [("c", Compact), ("page", u32), ("mapcount", s32)]


class Vma(C.Structure):
    _fields_ = [("start", u64), ("end", u64), ("vm_flags", u64), ("pgoff", u64),
                ("inode", u64), ("dev_major", u32), ("dev_minor", u32), ("attrs", u32),
                ("pad", u32), ("name", C.c_char * VMA_NAME_LEN), ("flags", u64),
                ("pkey", u32), ("pad2", u32)]


class Peek(C.Structure):
    _fields_ = [("size", u64), ("flags", u64), ("reserved", u64), ("pid", s32),
                ("len", u32), ("start_time", u64), ("addr", u64), ("buf", u64),
                ("pa", u64), ("direct_map", u64), ("level", u32), ("pad", u32)]


class Phys(C.Structure):
    _fields_ = [("size", u64), ("flags", u64), ("reserved", u64), ("pa", u64),
                ("direct_map", u64), ("type", u32), ("refcount", s32), ("order", u32),
                ("pad", u32)]


class Edit(C.Structure):
    _fields_ = [("size", u64), ("flags", u64), ("reserved", u64), ("pid", s32),
                ("set", u32), ("start_time", u64), ("addr", u64), ("clear", u32),
                ("pad", u32), ("expect", u64), ("old", u64), ("new", u64),
                ("flushed", u32), ("tainted", u32)]


class Proc(C.Structure):
    _fields_ = [("pid", C.c_int), ("start_time", u64)]


# What libvmx.so.0 was built with (lib/internal.h asserts the same).
SIZES = {Info: 200, Resolve: 352, Entry: 80, Vma: 328, Peek: 80, Phys: 56,
         Edit: 88, Compact: 16, CompactPage: 24, Step: 32, Proc: 16}
for _t, _n in SIZES.items():
    assert C.sizeof(_t) == _n, "%s is %d bytes, not %d" % (_t.__name__, C.sizeof(_t), _n)
