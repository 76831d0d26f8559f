# bookvisor - top-level build.  `make help` lists the targets.

.DEFAULT_GOAL := all
SHELL := /bin/bash

# `make DEBUG=1 ...`: an unoptimised build (-O0, for gdb: no "optimized out"
# values) in build/debug/, beside the normal one; the same targets work on it.
# `make BENCH=1 ...`: the normal build plus TSC readings around every exit that
# reaches C (common/vm/bench_ticks.h), in build/bench/; `make bench` uses it.
DEBUG     ?=
BENCH     ?=
BENCH_DEF :=
ifeq ($(DEBUG),1)
BUILD     := build/debug
OPT       := -O0
else ifeq ($(BENCH),1)
BUILD     := build/bench
OPT       := -O2
BENCH_DEF := -DBOOKVISOR_BENCH_TICKS
else
BUILD     := build
OPT       := -O2
endif
STAMP     := build/.setup-stamp
CC        := gcc
HOSTCC    := gcc
LD        := ld

VMM_CFLAGS := -std=gnu11 $(OPT) -g -ffreestanding -fno-builtin -nostdlib -mno-red-zone \
	-mno-mmx -mno-sse -mno-sse2 -mcmodel=kernel -fno-pic -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fcf-protection=none \
	-Wall -Wextra -Werror -I. -MMD -MP $(BENCH_DEF)
VMM_ASFLAGS := -I. -I$(BUILD) -MMD -MP -fno-pic -fno-pie
VMM_LDFLAGS := -nostdlib -static -z max-page-size=4096 -T arch/x86/linker.ld --no-warn-rwx-segments -z noexecstack

HOST_CFLAGS := -std=gnu11 -O1 -g -DBOOKVISOR_HOST -I. -Wall -Wextra -Werror
CHECK_LIBS = $(shell pkg-config --cflags --libs check 2>/dev/null)

VMM_DIRS  := arch common pci drivers net shell
# *_asm_offsets.c are never linked: they generate build/gen/*_asm_offsets.h (below).
VMM_SRCS  := $(filter-out %_asm_offsets.c net/lwip/%,$(shell find $(VMM_DIRS) -name '*.c' -o -name '*.S' 2>/dev/null | sort))
ASM_OFFSETS := $(BUILD)/gen/vcpu_asm_offsets.h
VMM_OBJS  := $(patsubst %,$(BUILD)/vmm/%.o,$(VMM_SRCS))
ALL_HDRS  := $(shell find $(VMM_DIRS) -name '*.h' 2>/dev/null)

GUEST_ELF := $(BUILD)/guest/testguest.elf
# `make run` boots Linux unless GUEST is given; GUEST=test names the test guest.
RUN_LINUX := $(if $(filter undefined,$(origin GUEST)),yes,no)
ifeq ($(GUEST),test)
override GUEST := $(GUEST_ELF)
endif
GUEST     ?= $(GUEST_ELF)
# The Linux kernel `make run` boots (any bzImage), and words for its command line.
LINUX     ?= third_party/guests/vmlinuz
LINUX_ARGS ?=
GUEST_ARGS ?=
VMM_ARGS  ?=
VMM_CONFIG ?=
GUEST_INITRD ?=
ISO       ?= $(BUILD)/bookvisor.iso

.PHONY: all setup iso run test test-long unit emu docs handout course grade bench fuzz clean help guest gdb figures

HELLO_MB2 := $(BUILD)/guest/hello-mb2.bin
HELLO_MB1 := $(BUILD)/guest/hello-mb1.elf
CLI_HLT   := $(BUILD)/guest/cli-hlt.bin
BOOT_DISK := $(BUILD)/guest/boot-disk.img
BLANK_DISK := $(BUILD)/guest/blank-disk.img
LINUX_INITRD := $(BUILD)/guest/linux-initrd.cpio
BZIMAGES  := $(patsubst %,$(BUILD)/guest/bzimage-%.bin,ok old truncated initrd-max cmdline-16)
BIG_INITRD := $(BUILD)/guest/initrd-1536k.bin
# GRUB hard disks made by scripts/mkdisk (tests/disks): the test guest by Multiboot, and
# memtest86+ when scripts/setup could fetch it.
GUEST_DISK := $(BUILD)/guest/disk-testguest.img
MEMTEST_BIN := third_party/guests/memtest86+x64.bin
MEMTEST_DISK := $(BUILD)/guest/disk-memtest.img
LINUX_BIN := third_party/guests/vmlinuz
LINUX_DISK := $(BUILD)/guest/disk-linux.img
# The Linux disk's initramfs: busybox with our checks (scripts/mkinitramfs), as `make run`.
BUSYBOX_BIN := third_party/guests/busybox
BUSYBOX_INITRD := $(BUILD)/guest/busybox-initrd.gz
# Linux's e1000 and e1000e drivers for the initramfs' network check, when scripts/setup fetched them.
NIC_KOS := third_party/guests/e1000.ko third_party/guests/e1000e.ko
DISKS := $(GUEST_DISK) $(if $(wildcard $(MEMTEST_BIN)),$(MEMTEST_DISK)) \
	$(if $(and $(wildcard $(LINUX_BIN)),$(wildcard $(BUSYBOX_BIN))),$(LINUX_DISK))

all: $(STAMP) $(BUILD)/bookvisor.elf $(GUEST_ELF) $(HELLO_MB2) $(HELLO_MB1) $(CLI_HLT) \
	$(BOOT_DISK) $(BLANK_DISK) $(LINUX_INITRD) $(BZIMAGES) $(BIG_INITRD) $(DISKS)

$(STAMP):
	@sh scripts/setup

setup:
	@sh scripts/setup

$(BUILD)/vmm/%.c.o: %.c | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(VMM_CFLAGS) -c $< -o $@

# Offsets of C structures for assembly, computed by the compiler itself: every
# "ASMOFF name value" line of the file's assembly becomes `#define name value`.
$(BUILD)/gen/%_asm_offsets.h: common/vm/%_asm_offsets.c $(ALL_HDRS) | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@$(CC) $(filter-out -MMD -MP,$(VMM_CFLAGS)) -S $< -o $@.s
	@{ echo "/* Generated from $< by the Makefile: do not edit. */"; \
	   sed -n 's/.*ASMOFF \([A-Z0-9_]*\) \([0-9]*\).*/#define \1 \2/p' $@.s; } > $@.tmp
	@grep -q define $@.tmp && mv $@.tmp $@ && rm -f $@.s

$(BUILD)/vmm/%.S.o: %.S $(ASM_OFFSETS) | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(VMM_ASFLAGS) -c $< -o $@

# lwIP (chapter 10): Debian's sources (scripts/setup puts them in third_party/), our
# lwipopts.h and arch/cc.h (net/lwip/), and the files that call lwIP (net/lwip/*.c),
# compiled with their own flags, apart from bookvisor's: lwIP's warnings are its own,
# and its few names that clash with bookvisor's (mem_init, mem_free, ...) are renamed.
# They go into an archive, so the VMM links only what it calls.
LWIP_SRC    := third_party/lwip-src/src
LWIP_FOUND  := $(wildcard $(LWIP_SRC)/core/init.c)
LWIP_SRCS   := $(if $(LWIP_FOUND),$(sort $(wildcard net/lwip/*.c $(LWIP_SRC)/core/*.c $(LWIP_SRC)/core/ipv4/*.c)) $(LWIP_SRC)/netif/ethernet.c)
LWIP_RENAME := -Dmem_init=lwip_mem_init -Dmem_free=lwip_mem_free -Dmem_malloc=lwip_mem_malloc \
	-Dmem_calloc=lwip_mem_calloc -Dmem_trim=lwip_mem_trim
LWIP_INC    := -Inet/lwip -I$(LWIP_SRC)/include
LWIP_CFLAGS := $(filter-out -Wall -Wextra -Werror -MMD -MP,$(VMM_CFLAGS)) -Wall -Werror \
	-Wno-address -MMD -MP $(LWIP_INC) $(LWIP_RENAME)
LWIP_OBJS   := $(patsubst %,$(BUILD)/lwip/%.o,$(LWIP_SRCS))
LWIP_LIB    := $(if $(LWIP_FOUND),$(BUILD)/lwip/liblwip.a)

$(BUILD)/lwip/%.c.o: %.c | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $< (lwIP)"
	@$(CC) $(LWIP_CFLAGS) -c $< -o $@

$(BUILD)/lwip/liblwip.a: $(LWIP_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/bookvisor.elf: $(VMM_OBJS) $(LWIP_LIB) arch/x86/linker.ld
	@echo "  LD      $@"
	@$(LD) $(VMM_LDFLAGS) -o $@ $(VMM_OBJS) $(LWIP_LIB)

guest: $(GUEST_ELF)
$(GUEST_ELF): $(shell find tests/guest -type f 2>/dev/null) | $(STAMP)
	$(MAKE) -s -C tests/guest OUT=$(abspath $(BUILD)/guest)

# A 32-bit assembly kernel for tests/thirdparty: one image at 2 MiB
# (link.ld), made a raw binary whose Multiboot2 address tag places it.
define RAW_KERNEL_RECIPE
	@mkdir -p $(dir $@)
	@echo "  AS32    $<"
	@$(CC) -m32 -c $< -o $(basename $@).o
	@$(LD) -m elf_i386 --no-warn-rwx-segments -T tests/thirdparty/link.ld -o $(basename $@).elf $(basename $@).o
	@objcopy -O binary $(basename $@).elf $@
endef

# A plain multiboot2 kernel that knows nothing of bookvisor.
$(HELLO_MB2): tests/thirdparty/hello_mb2.S tests/thirdparty/link.ld | $(STAMP)
	$(RAW_KERNEL_RECIPE)

# The smallest dead guest: one line on port 0xE9, then `cli; hlt`.
$(CLI_HLT): tests/thirdparty/cli_hlt.S tests/thirdparty/link.ld | $(STAMP)
	$(RAW_KERNEL_RECIPE)

# Disks for BIOS chain boot (chapter 12): a boot sector that knows nothing of
# bookvisor on a small hard disk, and a disk of zeros (no boot signature). The
# size is a whole number of cylinders of 16 heads and 63 sectors (2 of them),
# the geometry the Bochs tests give.
DISK_BYTES := 1032192
$(BOOT_DISK): tests/thirdparty/boot_sector.S tests/thirdparty/link_boot_sector.ld | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  DISK    $@"
	@$(CC) -m32 -c $< -o $(basename $@).o
	@$(LD) -m elf_i386 -T tests/thirdparty/link_boot_sector.ld -o $(basename $@).elf $(basename $@).o
	@objcopy -O binary $(basename $@).elf $@.tmp
	@test "$$(stat -c %s $@.tmp)" = 512 || { echo "boot sector is not 512 bytes" >&2; exit 1; }
	@truncate -s $(DISK_BYTES) $@.tmp && mv $@.tmp $@
$(BLANK_DISK): | $(STAMP)
	@mkdir -p $(dir $@)
	@rm -f $@.tmp && truncate -s $(DISK_BYTES) $@.tmp && mv $@.tmp $@

$(GUEST_DISK): tests/disks/testguest.cfg $(GUEST_ELF) scripts/mkdisk | $(STAMP)
	@echo "  MKDISK  $@"
	@scripts/mkdisk $@ tests/disks/testguest.cfg $(GUEST_ELF) >/dev/null
$(MEMTEST_DISK): tests/disks/memtest.cfg $(MEMTEST_BIN) scripts/mkdisk | $(STAMP)
	@echo "  MKDISK  $@"
	@scripts/mkdisk $@ tests/disks/memtest.cfg $(MEMTEST_BIN)=memtest.bin >/dev/null
$(BUSYBOX_INITRD): scripts/mkinitramfs scripts/newc_cpio.py scripts/initramfs/init \
		scripts/initramfs/udhcpc.script $(BUSYBOX_BIN) $(wildcard $(NIC_KOS)) | $(STAMP)
	@echo "  INITRAMFS $@"
	@python3 scripts/mkinitramfs $@ $(BUSYBOX_BIN) >/dev/null
$(LINUX_DISK): tests/disks/linux.cfg $(LINUX_BIN) $(BUSYBOX_INITRD) scripts/mkdisk | $(STAMP)
	@echo "  MKDISK  $@"
	@scripts/mkdisk $@ tests/disks/linux.cfg --size-mib 16 $(LINUX_BIN) $(BUSYBOX_INITRD)=initrd >/dev/null

# A plain Multiboot (v1) ELF kernel in C, placed by its ELF headers (tests/thirdparty).
$(HELLO_MB1): tests/thirdparty/hello_mb1.c tests/thirdparty/link_mb1.ld | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC32    $<"
	@$(CC) -m32 -std=gnu11 -O2 -ffreestanding -fno-pic -fno-stack-protector -nostdlib \
		-fcf-protection=none -Wall -Wextra -Werror -c $< -o $(BUILD)/guest/hello_mb1.o
	@$(LD) -m elf_i386 --no-warn-rwx-segments -T tests/thirdparty/link_mb1.ld -o $@ $(BUILD)/guest/hello_mb1.o

# The smallest initramfs for a real Linux (tests/emu/linux-boot.test): a static /init
# that prints one line and powers off, and /dev/console.
$(LINUX_INITRD): tests/thirdparty/linux_init.c tests/thirdparty/mkinitramfs.py | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  CCINIT  $<"
	@$(HOSTCC) -static -nostdlib -O2 -fno-pic -no-pie -fno-stack-protector -fcf-protection=none \
		-Wall -Wextra -Werror -o $(BUILD)/guest/linux-init $<
	@python3 tests/thirdparty/mkinitramfs.py $@ $(BUILD)/guest/linux-init

# Synthetic bzImages bookvisor must refuse (tests/emu/linux-refuse-*.test), one good one.
BZIMAGE_ARGS_ok :=
BZIMAGE_ARGS_old := --version 0x0205
BZIMAGE_ARGS_truncated := --truncate 4096
BZIMAGE_ARGS_initrd-max := --initrd-addr-max 0x1FFFFF
BZIMAGE_ARGS_cmdline-16 := --cmdline-size 16
$(BUILD)/guest/bzimage-%.bin: tests/thirdparty/mkbzimage.py | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  BZIMAGE $@"
	@python3 $< $@ $(BZIMAGE_ARGS_$*)

# An initrd of 1.5 MiB: more than fits below 2 MiB (bzimage-initrd-max.bin).
$(BIG_INITRD): | $(STAMP)
	@mkdir -p $(dir $@)
	@head -c 1572864 /dev/zero > $@

# `make iso GUEST=<file> GUEST_INITRD=<file> GUEST_ARGS="<args>" VMM_ARGS="<args>"`:
# values go to scripts/mkiso untouched (they may hold * | , = and spaces).
# GUEST_MODULES="<file> <args>;<file> <args>": more guest modules after the initrd
# (Xen's dom0 kernel and its initrd, chapter 12).
# GUEST=bios: no guest module; bookvisor boots the BIOS drive its boot= option names
# (boot=0x80, the first hard disk, unless VMM_ARGS gives one): chapter 12.
iso: all
	@guest="$(GUEST)"; vmm_args="$$VMM_ARGS"; \
	if [ "$$guest" = bios ]; then guest=""; \
	    case " $$vmm_args" in *" boot="*) ;; *) vmm_args="$$vmm_args boot=0x80" ;; esac; fi; \
	scripts/mkiso "$(ISO)" $(BUILD)/bookvisor.elf "$$guest" "$$GUEST_ARGS" "$$vmm_args" "$(VMM_CONFIG)" "$(GUEST_INITRD)" "$$GUEST_MODULES"
export GUEST_ARGS VMM_ARGS GUEST_MODULES

# Boot in QEMU (AMD-V under TCG) with the serial console on this terminal: Linux
# with our busybox initramfs (its checks, then a shell), or with GUEST= another guest
# (GUEST=test: the test guest). Without a Linux kernel or busybox (scripts/setup
# fetches them) the test guest runs instead, and a line says why.
RUN_QEMU := qemu-system-x86_64 -M q35 -cpu EPYC,+svm,+npt -accel tcg -m 1024 -display none \
	-no-reboot -serial mon:stdio -boot d -cdrom
run: all
	@if [ $(RUN_LINUX) = yes ] && scripts/linux-iso $(BUILD)/linux.iso "$(LINUX)" \
			"$$LINUX_ARGS" "$$VMM_ARGS"; then \
		echo "run: Linux ($(LINUX)) under bookvisor; Ctrl-A X quits"; \
		$(RUN_QEMU) $(BUILD)/linux.iso; \
	else \
		if [ $(RUN_LINUX) = yes ]; then echo "run: no Linux to boot; the test guest instead"; \
			guest=$(GUEST_ELF); else guest="$(GUEST)"; fi; \
		scripts/mkiso "$(ISO)" $(BUILD)/bookvisor.elf "$$guest" "$$GUEST_ARGS" \
			"$$VMM_ARGS" "$(VMM_CONFIG)" && $(RUN_QEMU) $(ISO); \
	fi
export LINUX_ARGS

# Boot the test guest (or GUEST=) in QEMU stopped at its first instruction, with gdb
# attached and bookvisor's symbols loaded (chapter 13). DEBUG=1 for the -O0 build;
# GDB_BATCH=<file> runs gdb's commands from a file, without a terminal.
gdb: iso
	@GDB_BATCH="$(GDB_BATCH)" scripts/gdb-qemu $(BUILD)/bookvisor.elf $(ISO)

# ---- tests ---------------------------------------------------------------
UNIT_TESTS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_HDRS  := $(wildcard tests/unit/*.h)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_TESTS))
# A test's sources (patterns allowed, e.g. lwIP's) and extra flags, from its header.
unit_srcs = $(sort $(wildcard $(shell sed -n 's/.*unit-sources:\(.*\)/\1/p' $(1) | head -n 1)))
unit_cflags = $(shell sed -n 's/.*unit-cflags:\(.*\)/\1/p' $(1) | head -n 1)

define UNIT_RULE
$(BUILD)/unit/$(basename $(notdir $(1))): $(1) $(call unit_srcs,$(1)) $(ALL_HDRS) $(UNIT_HDRS) | $(STAMP)
	@mkdir -p $(BUILD)/unit
	@echo "  HOSTCC  $$@"
	@$(HOSTCC) $(HOST_CFLAGS) $(call unit_cflags,$(1)) -o $$@ $(1) $(call unit_srcs,$(1)) $$(CHECK_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call UNIT_RULE,$(t))))

unit: $(UNIT_BINS)
	@tests/run-unit $(UNIT_BINS)

emu: all
	@python3 tests/emurun.py $(EMU_ARGS)

# The one command CI runs: the build (setup, make all warning-free, the unit
# tests), unit tests, the fuzz smoke run, emulator tests and their self-test, lab
# machinery; ends with "N passed, N failed", even when the build fails (the build
# is run-all's first stage). `+`: a `make -jN test` lends its jobs to that build.
test:
	+@UNIT_BINS="$(UNIT_BINS)" tests/run-all

# The emulator runs too long for `make test` (Linux on the Bochs targets, the labs'
# wrong solutions graded by their emulator checks); CI runs both. tests/run-long.
test-long: all
	@tests/run-long

FUZZ_TIME ?= 300
fuzz: | $(STAMP)
	@tests/fuzz/run $(FUZZ_TIME)

# `make bench PART=linux` runs one part (tests/bench.py --part); the linux part uses
# the bench build of bookvisor (BENCH=1 above), made here beside the normal one.
# No `PART ?= all`: `make grade` reads PART too, and an empty one means every part.
bench: all
	@$(MAKE) -s BENCH=1 build/bench/bookvisor.elf
	@python3 tests/bench.py --part $(or $(PART),all)

# The chapters' figures from a run (tests/figures.py): the tests they come from, then
# every `<!-- figure: ... -->` region of chapters/ rewritten from their logs (the
# figures of make test-long's slow runs from its latest logs, where there are some).
figures: all
	@python3 tests/emurun.py tests/emu/guest-checks.test tests/emu/cpuid-full.test \
	    tests/emu/exit-cost.test
	@python3 tests/figures.py --write

docs: | $(STAMP)
	@mkdir -p $(BUILD)/docs
	doxygen docs/Doxyfile

# A handout is a standalone tree with its own git repository (labs/README.md);
# default DEST handouts/labN. A handout holding work is never replaced (FORCE=1 does).
HANDOUT_OPTS = $(if $(DEST),--out "$(DEST)") $(if $(FORCE),--force)
handout: | $(STAMP)
	@test -n "$(LAB)" || { echo "usage: make handout LAB=n [DEST=dir] [FORCE=1]"; exit 2; }
	@python3 scripts/handout.py --lab $(LAB) $(HANDOUT_OPTS)

# Every lab cut out at once: the tree a course hands out (default DEST handouts/course).
course: | $(STAMP)
	@python3 scripts/handout.py --course $(HANDOUT_OPTS)

# ONLY=<check> runs one check (`python3 labs/grade.py --lab N --list` names them);
# PART=<n> the checks of one part of the lab; TARGET=<target> runs the emulator
# checks of one target only.
grade: | $(STAMP)
	@test -n "$(LAB)" || { echo "usage: make grade LAB=n [PART=n] [ONLY=check]"; exit 2; }
	@python3 labs/grade.py --lab $(LAB) --tree . $(if $(ONLY),--only "$(ONLY)") \
		$(if $(PART),--part "$(PART)") $(if $(TARGET),--target "$(TARGET)")

clean:
	rm -rf build/debug $(BUILD)/vmm $(BUILD)/unit $(BUILD)/guest $(BUILD)/*.elf $(BUILD)/*.iso $(BUILD)/iso-cache $(BUILD)/emu $(BUILD)/emu-selftest $(BUILD)/make-targets $(BUILD)/linux $(BUILD)/linux.iso

help:
	@echo "make            build build/bookvisor.elf and the test guest (runs scripts/setup once)"
	@echo "make run        build and boot Linux + busybox under bookvisor in QEMU (serial on this"
	@echo "                terminal; Ctrl-A X quits); GUEST=test: the test guest; LINUX=<bzImage>"
	@echo "make test       unit + emulator tests; last line 'N passed, N failed'"
	@echo "make test-long  the long emulator runs (Linux on the Bochs targets); same last line"
	@echo "make unit       unit tests only"
	@echo "make emu        emulator tests only (EMU_ARGS='--target qemu-svm' ...)"
	@echo "make iso        build/bookvisor.iso (GUEST=, GUEST_INITRD=, GUEST_MODULES=, GUEST_ARGS=, VMM_ARGS=, VMM_CONFIG=)"
	@echo "make docs       the book and API docs into build/docs (warnings are errors)"
	@echo "make handout LAB=n [DEST=dir]   a lab's handout (a git repository; default handouts/labN)"
	@echo "make course [DEST=dir]   every lab cut out (default handouts/course)"
	@echo "make grade LAB=n [PART=n] [ONLY=check]   grade a lab, or one part (results in build/grade/labN/)"
	@echo "make bench      benchmarks (PART=linux: one part);  make fuzz   longer fuzzing"
	@echo "make figures    rewrite the chapters' figures from a guest-checks run"
	@echo "make test-long  the labs' wrong solutions graded on the emulators too"
	@echo "make gdb        QEMU stopped at the start, gdb attached with bookvisor's symbols"
	@echo "make DEBUG=1 ...  the same targets on an unoptimised build in build/debug/"

-include $(shell find $(BUILD)/vmm $(BUILD)/lwip -name '*.d' 2>/dev/null)
