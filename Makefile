# bookvisor - top-level build.  `make help` lists the targets.

.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD     := build
STAMP     := $(BUILD)/.setup-stamp
CC        := gcc
HOSTCC    := gcc
LD        := ld

VMM_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdlib -mno-red-zone \
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
ISO       ?= $(BUILD)/bookvisor.iso

.PHONY: all setup iso run test test-long unit emu docs handout grade bench fuzz clean help guest

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

# The emulator runs too long for `make test` (Linux on the Bochs targets); CI runs both.
test-long: all
	@tests/run-long

FUZZ_TIME ?= 300
fuzz: | $(STAMP)
	@tests/fuzz/run $(FUZZ_TIME)

bench: all
	@python3 tests/bench.py

docs: | $(STAMP)
	@mkdir -p $(BUILD)/docs
	doxygen docs/Doxyfile

handout: | $(STAMP)
	@test -n "$(LAB)" || { echo "usage: make handout LAB=n"; exit 2; }
	python3 scripts/handout.py --lab $(LAB) --out $(BUILD)/handout-lab$(LAB)

grade: | $(STAMP)
	@test -n "$(LAB)" || { echo "usage: make grade LAB=n"; exit 2; }
	@python3 labs/grade.py --lab $(LAB) --tree .

clean:
	rm -rf $(BUILD)/vmm $(BUILD)/unit $(BUILD)/guest $(BUILD)/*.elf $(BUILD)/*.iso $(BUILD)/iso-cache $(BUILD)/emu $(BUILD)/emu-selftest $(BUILD)/make-targets $(BUILD)/linux $(BUILD)/linux.iso

help:
	@echo "make            build build/bookvisor.elf and the test guest (runs scripts/setup once)"
	@echo "make run        build and boot Linux + busybox under bookvisor in QEMU (serial on this"
	@echo "                terminal; Ctrl-A X quits); GUEST=test: the test guest; LINUX=<bzImage>"
	@echo "make test       unit + emulator tests; last line 'N passed, N failed'"
	@echo "make test-long  the long emulator runs (Linux on the Bochs targets); same last line"
	@echo "make unit       unit tests only"
	@echo "make emu        emulator tests only (EMU_ARGS='--target qemu-svm' ...)"
	@echo "make iso        build/bookvisor.iso (GUEST=, GUEST_ARGS=, VMM_ARGS=)"
	@echo "make docs       the book and API docs into build/docs (warnings are errors)"
	@echo "make handout LAB=n / make grade LAB=n   the labs"
	@echo "make bench      benchmarks;  make fuzz   longer fuzzing"

-include $(shell find $(BUILD)/vmm -name '*.d' 2>/dev/null)
