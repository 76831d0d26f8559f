/**
 * @file common/base/bios_memmap.h
 * @brief The BIOS's memory-size answers computed from the guest's memory map (pure).
 *
 * A guest that asks the BIOS how much memory there is (INT 15h with
 * EAX = E820h, AX = E801h or AH = 88h) must hear the same story as its
 * boot information: bookvisor's range reserved, never RAM. The BIOS itself
 * does not know bookvisor, so bookvisor answers these three questions
 * itself (common/exits/bios_int15.h), from the guest's memory map, with the
 * functions here. They are pure so that the host tests check every answer.
 *
 * The facts used: E820 returns one 20-byte entry (base, length, type) per
 * call, or 24 bytes with extended attributes (bit 0: "do not ignore") when
 * the caller's buffer holds 24, and a continuation value in EBX that is 0
 * after the last entry; E801 returns the KiB of RAM from 1 MiB up to 16 MiB
 * (at most 15 MiB, in AX and CX) and the 64 KiB blocks from 16 MiB up to the
 * first hole (BX and DX); 88h returns the KiB of RAM from 1 MiB on (AX, at
 * most 0xFFFF).
 */
#ifndef BOOKVISOR_COMMON_BASE_BIOS_MEMMAP_H
#define BOOKVISOR_COMMON_BASE_BIOS_MEMMAP_H

#include "common/base/vmm_layout.h"
#include "common/lib/types.h"

/** "SMAP": EDX on an E820 call and EAX in its answer. */
#define BIOS_E820_SMAP 0x534D4150u
/** Bytes of an E820 entry without, and with, extended attributes. */
#define BIOS_E820_ENTRY_SIZE 20u
/** Bytes of an E820 entry with its extended attributes. */
#define BIOS_E820_ENTRY_SIZE_EXT 24u

/** One E820 entry as the BIOS writes it to ES:DI (little endian, packed). */
struct bios_e820_entry {
    u64 base;   /**< first byte */
    u64 length; /**< bytes */
    u32 type;   /**< 1 RAM, 2 reserved, 3 ACPI reclaimable, 4 ACPI NVS, 5 bad */
    u32 attrs;  /**< extended attributes: bit 0 = valid (only with a 24-byte buffer) */
} __attribute__((packed));

/**
 * The E820 answer for continuation value @p index: entry number index of
 * map (entries of length 0 are skipped, as if the map had none).
 * @param map   the guest's memory map
 * @param n     entries in map
 * @param index the caller's EBX (0 for the first call)
 * @param out   the entry to give back
 * @param next  the EBX to give back: 0 when out is the last entry
 * @return false when index names no entry (the BIOS then sets CF)
 */
bool bios_e820_entry(const struct phys_range *map, size_t n, u32 index,
                     struct bios_e820_entry *out, u32 *next);

/**
 * How many bytes an E820 answer writes at ES:DI, for the caller's ECX (the
 * size of its buffer): 24 (the entry and its extended attributes) when the
 * buffer holds 24 or more, 20 when it holds 20 to 23, and 0 when it is
 * smaller than one entry (the call is refused: CF set, nothing written).
 * @param buffer_size the caller's ECX
 * @return BIOS_E820_ENTRY_SIZE_EXT, BIOS_E820_ENTRY_SIZE or 0
 */
u32 bios_e820_answer_size(u32 buffer_size);

/** The E801 answer: RAM between 1 and 16 MiB in KiB, and above 16 MiB in 64 KiB blocks. */
struct bios_e801_answer {
    u16 kib_1m_to_16m;      /**< AX and CX: KiB of RAM from 1 MiB, at most 0x3C00 */
    u16 blocks_above_16m;   /**< BX and DX: 64 KiB blocks of RAM from 16 MiB, below 4 GiB */
};

/**
 * The E801 answer from map: the RAM that runs without a gap from 1 MiB (up
 * to 16 MiB), and on its own the RAM that runs without a gap from 16 MiB
 * (up to 4 GiB). Each stops at the first range that is not RAM, so neither
 * ever reaches into bookvisor's range.
 */
struct bios_e801_answer bios_e801_answer(const struct phys_range *map, size_t n);

/** The 88h answer from map: KiB of RAM contiguous from 1 MiB, at most 0xFFFF. */
u16 bios_88_answer(const struct phys_range *map, size_t n);

/**
 * The end of RAM that runs without a gap from @p start in map: the first
 * address at or above start that no available-RAM entry covers (start when
 * start itself is not RAM).
 */
u64 bios_ram_end_from(const struct phys_range *map, size_t n, u64 start);

/**
 * Where the INT 15h stub goes: the last KiB of conventional memory, which
 * the BIOS data area's word at 0x413 gives in KiB.
 * @param base_kib that word, as the BIOS left it
 * @param stub_pa  receives the stub's physical address (a multiple of 1 KiB)
 * @return false when base_kib is not believable (under 64 KiB or above 640)
 */
bool bios_stub_place(u16 base_kib, u64 *stub_pa);

/**
 * The mark the stub puts in EBP for its hypercall ("I15!"), so that the
 * hypercall handler tells it from a guest's own hypercall at the cost of one
 * compare (the caller's EBP is saved on the stack and restored).
 */
#define BIOS_STUB_MARK 0x21353149u
/** Offset in the stub of its hypercall instruction. */
#define BIOS_STUB_HYPERCALL_OFFSET 8u
/** Offset in the stub of the instruction after the hypercall: POP EBP, IRET (a call bookvisor answered). */
#define BIOS_STUB_RETURN_OFFSET 11u
/** Offset in the stub of POP EBP and the far jump to the BIOS's own INT 15h handler. */
#define BIOS_STUB_CHAIN_OFFSET 14u
/** Bytes of the stub's stack below the INT's frame (the saved EBP). */
#define BIOS_STUB_STACK_BYTES 4u
/** Bytes of the stub. */
#define BIOS_STUB_SIZE 21u

/**
 * The stub's bytes: save EBP, put BIOS_STUB_MARK in it, the hypercall
 * instruction (VMCALL, or VMMCALL on AMD-V); then POP EBP and IRET for a
 * call bookvisor answered; then POP EBP and a far jump to the BIOS's handler
 * at old_seg:old_off for any other.
 * @param out     receives BIOS_STUB_SIZE bytes
 * @param vmmcall true for AMD-V's VMMCALL
 * @param old_seg the segment of the vector the stub replaces
 * @param old_off its offset
 */
void bios_stub_bytes(u8 out[BIOS_STUB_SIZE], bool vmmcall, u16 old_seg, u16 old_off);

#endif
