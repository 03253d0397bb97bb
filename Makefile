# vmx: build, run and test. See README.md.
# make                 vmx.ko (against KDIR) and tools/vmxctl/vmxctl
# make run             boot the test VM, load vmx.ko, show what vmx sees
# make test            everything CI checks, on every kernel and paging mode
# make vm-run SCRIPT=f [KERNEL=..] [PAGING=4|5] [FILES=".."] [APPEND=".."]
# make shell           the test VM with an interactive shell
# make bench           vmx against its peers (pagemap, PAGEMAP_SCAN, page-types),
#                      inspect, remap and edit costs, in the VM: build/bench
# make fuzz [SECONDS=3600] [KERNEL=..] [PAGING=..]   the fuzzer alone, long
# make doc             the man pages vmxctl(8), vmx(4) and libvmx(3) in build/man
# make deb             the Debian packages (vmx-dkms, vmxctl, libvmx0,
#                      libvmx-dev, python3-vmx) in build/deb
# make install [PREFIX=/usr/local] [DESTDIR=] [KDIR=..]
#                      vmx.ko (modules_install), vmxctl, libvmx, headers,
#                      pkg-config file, man pages, bash completion, the
#                      Python binding (PYTHONDIR);
#                      install-user: all but the module

VMX_CACHE ?= /var/cache/vmx
export VMX_CACHE
BUILD ?= $(CURDIR)/build
KERNEL ?= debian-6.12
PAGING ?= 5

# The running kernel's build dir when it has one, else the debian-6.12
# headers that scripts/stock-kernel.sh fetches (without installing them).
KDIR ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then \
		echo /lib/modules/$$(uname -r)/build; \
	else bash scripts/stock-kernel.sh debian-6.12 >/dev/null && \
		echo $$(bash scripts/stock-kernel.sh debian-6.12)/kdir; fi)

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
PYTHONDIR ?= $(PREFIX)/lib/python3/dist-packages
DESTDIR ?=

.PHONY: all modules vmxctl clean run test vm-run shell deps bench fuzz doc \
	install install-module install-user deb

all: modules vmxctl

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

vmxctl:
	$(MAKE) -C tools/vmxctl

deps:
	bash scripts/deps.sh

# The picture travels through the console in base64: kept off the screen.
run: deps
	bash -c 'set -o pipefail; bash initramfs/vm.sh run --kernel $(KERNEL) --paging $(PAGING) \
		--script initramfs/demo.sh --append "quiet $(APPEND)" --log $(BUILD)/logs/run.log | \
		sed "/VMX-PICTURE-BEGIN/,/VMX-PICTURE-END/d"'
	bash scripts/vm-picture.sh $(BUILD)/logs/run.log $(BUILD)/demo-picture.html

vm-run: deps
	@test -n "$(SCRIPT)" || { echo "usage: make vm-run SCRIPT=path" >&2; exit 2; }
	bash initramfs/vm.sh run --kernel $(KERNEL) --paging $(PAGING) \
		--script "$(SCRIPT)" --files "$(FILES)" --append "$(APPEND)"

# The test VM's memory set-up (scripts/test.sh: huge pages, two NUMA nodes),
# zram swap, and a quiet console: vmx's audit lines stay in dmesg.
VM_SHELL_APPEND := quiet hugepagesz=1G hugepages=1 hugepagesz=2M hugepages=8 \
	numa=fake=2 numa_balancing=disable
shell: deps
	rm -rf $(BUILD)/shell && mkdir -p $(BUILD)/shell
	bash scripts/stock-modules.sh $(KERNEL) $(BUILD)/shell/modules
	cp initramfs/shell-setup.sh $(BUILD)/shell/
	bash initramfs/vm.sh shell --kernel $(KERNEL) --paging $(PAGING) \
		--files "$(BUILD)/shell/modules $(BUILD)/shell/shell-setup.sh $(FILES)" \
		--append "$(VM_SHELL_APPEND) $(APPEND)"

# The benchmarks (tests/bench/) in two VM boots, with and without ERMS:
# TCG emulates "rep movsb", which copy_to_user() uses with ERMS, one byte
# per step. Table and plot in build/bench (scripts/bench.sh).
bench: deps
	bash scripts/deps.sh gnuplot-nox
	KERNEL=$(KERNEL) PAGING=$(PAGING) APPEND="$(APPEND)" bash scripts/bench.sh

test: deps
	bash scripts/test.sh

SECONDS ?= 3600
fuzz: deps
	bash scripts/fuzz.sh $(SECONDS) $(if $(filter command line,$(origin KERNEL)),$(KERNEL),kunit-6.12) $(PAGING)

# rST sources in docs/man (tests/host/cli.sh holds them to vmxctl's table).
doc: deps
	mkdir -p $(BUILD)/man
	rst2man --strict docs/man/vmxctl.8.rst $(BUILD)/man/vmxctl.8
	rst2man --strict docs/man/vmx.4.rst $(BUILD)/man/vmx.4
	rst2man --strict docs/man/libvmx.3.rst $(BUILD)/man/libvmx.3

install: install-module install-user

# Built from a copy of the tree (git ls-files), with Debian's own tools.
deb:
	bash scripts/deps.sh debhelper dh-dkms dpkg-dev
	bash scripts/make-deb.sh $(BUILD)/deb

# Into /lib/modules/RELEASE/updates of KDIR's kernel (INSTALL_MOD_PATH: DESTDIR).
install-module: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install

# The device stays 0600, root's: no udev rule is installed.
install-user:
	@command -v rst2man >/dev/null || { echo "install: rst2man is missing (apt install python3-docutils)" >&2; exit 1; }
	mkdir -p $(BUILD)/install/man
	$(MAKE) -C lib O=$(BUILD)/install PREFIX=$(PREFIX) LIBDIR=$(LIBDIR)
	$(MAKE) -C tools/vmxctl O=$(BUILD)/install
	for p in vmxctl.8 vmx.4 libvmx.3; do \
		rst2man --strict docs/man/$$p.rst $(BUILD)/install/man/$$p || exit 1; done
	install -D -m 0755 $(BUILD)/install/vmxctl $(DESTDIR)$(PREFIX)/sbin/vmxctl
	install -D -m 0644 $(BUILD)/install/libvmx.a $(DESTDIR)$(LIBDIR)/libvmx.a
	install -D -m 0755 $(BUILD)/install/libvmx.so.0.1.0 $(DESTDIR)$(LIBDIR)/libvmx.so.0.1.0
	ln -sf libvmx.so.0.1.0 $(DESTDIR)$(LIBDIR)/libvmx.so.0
	ln -sf libvmx.so.0 $(DESTDIR)$(LIBDIR)/libvmx.so
	install -D -m 0644 $(BUILD)/install/libvmx.pc $(DESTDIR)$(LIBDIR)/pkgconfig/libvmx.pc
	install -D -m 0644 lib/vmx.h $(DESTDIR)$(PREFIX)/include/vmx/vmx.h
	install -D -m 0644 lib/ptedit_header.h $(DESTDIR)$(PREFIX)/include/vmx/ptedit_header.h
	install -D -m 0644 include/uapi/vmx.h $(DESTDIR)$(PREFIX)/include/vmx/uapi/vmx.h
	install -D -m 0644 $(BUILD)/install/man/vmxctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/vmxctl.8
	install -D -m 0644 $(BUILD)/install/man/vmx.4 $(DESTDIR)$(PREFIX)/share/man/man4/vmx.4
	install -D -m 0644 $(BUILD)/install/man/libvmx.3 $(DESTDIR)$(PREFIX)/share/man/man3/libvmx.3
	install -D -m 0644 tools/vmxctl/vmxctl.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/vmxctl
	install -D -m 0644 python/vmx/__init__.py $(DESTDIR)$(PYTHONDIR)/vmx/__init__.py
	install -D -m 0644 python/vmx/_structs.py $(DESTDIR)$(PYTHONDIR)/vmx/_structs.py
	# The loader finds libvmx.so.0 under /usr/local/lib through its cache.
	if [ -z "$(DESTDIR)" ]; then ldconfig; fi

clean:
	-$(MAKE) -C tools/vmxctl clean
	-$(MAKE) -C lib clean
	rm -rf $(BUILD) *.o *.ko *.mod *.mod.c .*.cmd modules.order \
		Module.symvers */*.o */.*.cmd */*/*.o */*/.*.cmd .tmp_versions
