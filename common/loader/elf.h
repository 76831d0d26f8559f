/**
 * @file common/loader/elf.h
 * @brief The few ELF32/ELF64 definitions bookvisor's guest loader needs.
 *
 * Only what a loader reads: the file header and program headers, little
 * endian, for x86. Layouts follow the System V ABI (gABI); the structs are
 * naturally aligned, so they match the file format without packing. Readers
 * must copy them out of an image with memcpy after checking the bounds,
 * since an image buffer need not be aligned.
 */
#ifndef BOOKVISOR_COMMON_LOADER_ELF_H
#define BOOKVISOR_COMMON_LOADER_ELF_H

#include "common/lib/types.h"

/** Bytes of e_ident. */
#define ELF_NIDENT 16
/** e_ident[0..3]: 0x7f 'E' 'L' 'F'. */
#define ELF_MAG0 0x7f
#define ELF_MAG1 'E' /**< see ELF_MAG0 */
#define ELF_MAG2 'L' /**< see ELF_MAG0 */
#define ELF_MAG3 'F' /**< see ELF_MAG0 */

/** Indexes into e_ident. */
enum elf_ident_index {
    ELF_EI_CLASS = 4, /**< 32 or 64 bit */
    ELF_EI_DATA = 5, /**< byte order */
    ELF_EI_VERSION = 6, /**< must be ELF_EV_CURRENT */
};

/** e_ident[ELF_EI_CLASS] values. */
enum elf_class {
    ELF_CLASS32 = 1, /**< ELF32 */
    ELF_CLASS64 = 2, /**< ELF64 */
};

/** e_ident[ELF_EI_DATA] value for little endian. */
#define ELF_DATA2LSB 1
/** Current ELF version (e_ident[ELF_EI_VERSION] and e_version). */
#define ELF_EV_CURRENT 1

/** e_type values. */
enum elf_type {
    ELF_ET_EXEC = 2, /**< executable at fixed addresses */
    ELF_ET_DYN = 3, /**< position independent */
};

/** e_machine values for x86. */
enum elf_machine {
    ELF_EM_386 = 3, /**< IA-32 */
    ELF_EM_X86_64 = 62, /**< x86-64 */
};

/** p_type of a segment to be loaded. */
#define ELF_PT_LOAD 1

/** ELF32 file header (52 bytes). */
struct elf32_ehdr {
    u8 e_ident[ELF_NIDENT]; /**< magic, class, data, version */
    u16 e_type; /**< enum elf_type */
    u16 e_machine; /**< enum elf_machine */
    u32 e_version; /**< ELF_EV_CURRENT */
    u32 e_entry; /**< entry point (virtual address) */
    u32 e_phoff; /**< file offset of the program header table */
    u32 e_shoff; /**< file offset of the section header table */
    u32 e_flags; /**< machine flags */
    u16 e_ehsize; /**< size of this header */
    u16 e_phentsize; /**< size of one program header */
    u16 e_phnum; /**< number of program headers */
    u16 e_shentsize; /**< size of one section header */
    u16 e_shnum; /**< number of section headers */
    u16 e_shstrndx; /**< section index of the section name table */
};

/** ELF32 program header (32 bytes). */
struct elf32_phdr {
    u32 p_type; /**< ELF_PT_LOAD etc. */
    u32 p_offset; /**< file offset of the segment */
    u32 p_vaddr; /**< virtual address */
    u32 p_paddr; /**< physical address (what multiboot loaders use) */
    u32 p_filesz; /**< bytes in the file */
    u32 p_memsz; /**< bytes in memory; the rest past p_filesz is zero */
    u32 p_flags; /**< R/W/X */
    u32 p_align; /**< alignment */
};

/** ELF64 file header (64 bytes). */
struct elf64_ehdr {
    u8 e_ident[ELF_NIDENT]; /**< magic, class, data, version */
    u16 e_type; /**< enum elf_type */
    u16 e_machine; /**< enum elf_machine */
    u32 e_version; /**< ELF_EV_CURRENT */
    u64 e_entry; /**< entry point (virtual address) */
    u64 e_phoff; /**< file offset of the program header table */
    u64 e_shoff; /**< file offset of the section header table */
    u32 e_flags; /**< machine flags */
    u16 e_ehsize; /**< size of this header */
    u16 e_phentsize; /**< size of one program header */
    u16 e_phnum; /**< number of program headers */
    u16 e_shentsize; /**< size of one section header */
    u16 e_shnum; /**< number of section headers */
    u16 e_shstrndx; /**< section index of the section name table */
};

/** ELF64 program header (56 bytes); note p_flags moves up front. */
struct elf64_phdr {
    u32 p_type; /**< ELF_PT_LOAD etc. */
    u32 p_flags; /**< R/W/X */
    u64 p_offset; /**< file offset of the segment */
    u64 p_vaddr; /**< virtual address */
    u64 p_paddr; /**< physical address (what multiboot loaders use) */
    u64 p_filesz; /**< bytes in the file */
    u64 p_memsz; /**< bytes in memory; the rest past p_filesz is zero */
    u64 p_align; /**< alignment */
};

_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header layout");
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 program header layout");
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header layout");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header layout");

#endif
