# bookvisor - top-level build.  `make help` lists the targets.

.DEFAULT_GOAL := all
SHELL := /bin/bash

# `make DEBUG=1 ...`: an unoptimised build (-O0, for gdb: no "optimized out"
# values) in build/debug/, beside the normal one; the same targets work on it.
DEBUG     ?=
ifeq ($(DEBUG),1)
BUILD     := build/debug
OPT       := -O0
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
	-Wall -Wextra -Werror -I. -MMD -MP
VMM_ASFLAGS := -I. -I$(BUILD) -MMD -MP -fno-pic -fno-pie
VMM_LDFLAGS := -nostdlib -static -z max-page-size=4096 -T arch/x86/linker.ld --no-warn-rwx-segments -z noexecstack

HOST_CFLAGS := -std=gnu11 -O1 -g -DBOOKVISOR_HOST -I. -Wall -Wextra -Werror
CHECK_LIBS = $(shell pkg-config --cflags --libs check 2>/dev/null)

VMM_DIRS  := arch common pci drivers net
# *_asm_offsets.c are never linked: they generate build/gen/*_asm_offsets.h (below).
VMM_SRCS  := $(filter-out %_asm_offsets.c,$(shell find $(VMM_DIRS) -name '*.c' -o -name '*.S' 2>/dev/null | sort))
ASM_OFFSETS := $(BUILD)/gen/vcpu_asm_offsets.h
VMM_OBJS  := $(patsubst %,$(BUILD)/vmm/%.o,$(VMM_SRCS))
ALL_HDRS  := $(shell find $(VMM_DIRS) -name '*.h' 2>/dev/null)

GUEST_ELF := $(BUILD)/guest/testguest.elf
GUEST     ?= $(GUEST_ELF)
GUEST_ARGS ?=
VMM_ARGS  ?=
VMM_CONFIG ?=
ISO       ?= $(BUILD)/bookvisor.iso

.PHONY: all setup iso run test unit emu docs handout course grade bench fuzz clean help guest gdb

HELLO_MB2 := $(BUILD)/guest/hello-mb2.bin
HELLO_MB1 := $(BUILD)/guest/hello-mb1.elf
CLI_HLT   := $(BUILD)/guest/cli-hlt.bin

all: $(STAMP) $(BUILD)/bookvisor.elf $(GUEST_ELF) $(HELLO_MB2) $(HELLO_MB1) $(CLI_HLT)

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

$(BUILD)/bookvisor.elf: $(VMM_OBJS) arch/x86/linker.ld
	@echo "  LD      $@"
	@$(LD) $(VMM_LDFLAGS) -o $@ $(VMM_OBJS)

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

# A plain Multiboot (v1) ELF kernel in C, placed by its ELF headers (tests/thirdparty).
$(HELLO_MB1): tests/thirdparty/hello_mb1.c tests/thirdparty/link_mb1.ld | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC32    $<"
	@$(CC) -m32 -std=gnu11 -O2 -ffreestanding -fno-pic -fno-stack-protector -nostdlib \
		-fcf-protection=none -Wall -Wextra -Werror -c $< -o $(BUILD)/guest/hello_mb1.o
	@$(LD) -m elf_i386 --no-warn-rwx-segments -T tests/thirdparty/link_mb1.ld -o $@ $(BUILD)/guest/hello_mb1.o

# `make iso GUEST=<file> GUEST_ARGS="<args>" VMM_ARGS="<args>"`: values go to
# scripts/mkiso untouched (they may hold * | , = and spaces).
iso: all
	@scripts/mkiso "$(ISO)" $(BUILD)/bookvisor.elf "$(GUEST)" "$$GUEST_ARGS" "$$VMM_ARGS" "$(VMM_CONFIG)"
export GUEST_ARGS VMM_ARGS

# Boot the demo in QEMU (AMD-V under TCG) with the serial console on this terminal.
run: iso
	qemu-system-x86_64 -M q35 -cpu EPYC,+svm,+npt -accel tcg -m 1024 -display none \
		-no-reboot -serial mon:stdio -cdrom $(ISO) -boot d

# Boot the test guest (or GUEST=) in QEMU stopped at its first instruction, with gdb
# attached and bookvisor's symbols loaded (chapter 13). DEBUG=1 for the -O0 build;
# GDB_BATCH=<file> runs gdb's commands from a file, without a terminal.
gdb: iso
	@GDB_BATCH="$(GDB_BATCH)" scripts/gdb-qemu $(BUILD)/bookvisor.elf $(ISO)

# ---- tests ---------------------------------------------------------------
UNIT_TESTS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_HDRS  := $(wildcard tests/unit/*.h)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_TESTS))
unit_srcs = $(shell sed -n 's/.*unit-sources:\(.*\)/\1/p' $(1) | head -n 1)

define UNIT_RULE
$(BUILD)/unit/$(basename $(notdir $(1))): $(1) $(call unit_srcs,$(1)) $(ALL_HDRS) $(UNIT_HDRS) | $(STAMP)
	@mkdir -p $(BUILD)/unit
	@echo "  HOSTCC  $$@"
	@$(HOSTCC) $(HOST_CFLAGS) -o $$@ $(1) $(call unit_srcs,$(1)) $$(CHECK_LIBS)
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

FUZZ_TIME ?= 300
fuzz: | $(STAMP)
	@tests/fuzz/run $(FUZZ_TIME)

bench: all
	@python3 tests/bench.py

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
# TARGET=<target> runs the emulator checks of one target only.
grade: | $(STAMP)
	@test -n "$(LAB)" || { echo "usage: make grade LAB=n [ONLY=check]"; exit 2; }
	@python3 labs/grade.py --lab $(LAB) --tree . $(if $(ONLY),--only "$(ONLY)") \
		$(if $(TARGET),--target "$(TARGET)")

clean:
	rm -rf build/debug $(BUILD)/vmm $(BUILD)/unit $(BUILD)/guest $(BUILD)/*.elf $(BUILD)/*.iso $(BUILD)/iso-cache $(BUILD)/emu $(BUILD)/emu-selftest $(BUILD)/make-targets

help:
	@echo "make            build build/bookvisor.elf and the test guest (runs scripts/setup once)"
	@echo "make run        build and boot the demo in QEMU (serial on this terminal; Ctrl-A X quits)"
	@echo "make test       unit + emulator tests; last line 'N passed, N failed'"
	@echo "make unit       unit tests only"
	@echo "make emu        emulator tests only (EMU_ARGS='--target qemu-svm' ...)"
	@echo "make iso        build/bookvisor.iso (GUEST=, GUEST_ARGS=, VMM_ARGS=)"
	@echo "make docs       the book and API docs into build/docs (warnings are errors)"
	@echo "make handout LAB=n [DEST=dir]   a lab's handout (a git repository; default handouts/labN)"
	@echo "make course [DEST=dir]   every lab cut out (default handouts/course)"
	@echo "make grade LAB=n [ONLY=check]   grade a lab (results also in build/grade/labN/)"
	@echo "make bench      benchmarks;  make fuzz   longer fuzzing"
	@echo "make gdb        QEMU stopped at the start, gdb attached with bookvisor's symbols"
	@echo "make DEBUG=1 ...  the same targets on an unoptimised build in build/debug/"

-include $(shell find $(BUILD)/vmm -name '*.d' 2>/dev/null)
