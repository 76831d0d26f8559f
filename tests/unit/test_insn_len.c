/*
 * Unit tests for the instruction-length decoder.
 * unit-sources: common/insn/insn_len.c
 *
 * Each row of the tables is one complete instruction (so its expected length
 * is its byte count) or one failing byte sequence with the expected status.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/insn/insn_len.h"

#define M16 INSN_MODE_16
#define M32 INSN_MODE_32
#define M64 INSN_MODE_64

/** One table row. */
struct length_case {
    const char *name;
    enum insn_mode mode;
    u8 bytes[20];
    u8 count; /* bytes listed */
    enum insn_status status;
};

#define NBYTES(...) ((u8)sizeof((u8[]){ __VA_ARGS__ }))
/* A complete instruction: it must decode to exactly its listed bytes. */
#define OK(name, mode, ...) \
    { \
        name, mode, { __VA_ARGS__ }, NBYTES(__VA_ARGS__), INSN_OK \
    }
/* A failing sequence: decoding exactly these bytes gives status. */
#define BAD(name, mode, status, ...) \
    { \
        name, mode, { __VA_ARGS__ }, NBYTES(__VA_ARGS__), status \
    }

#define IMM32 0x78, 0x56, 0x34, 0x12
#define IMM16 0x34, 0x12
#define IMM64 0xf0, 0xde, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12

static const struct length_case length_cases[] = {
    /* Instructions VMM intercepts see. */
    OK("cpuid", M64, 0x0f, 0xa2),
    OK("cpuid 16", M16, 0x0f, 0xa2),
    OK("rdmsr", M64, 0x0f, 0x32),
    OK("wrmsr", M32, 0x0f, 0x30),
    OK("rdtsc", M64, 0x0f, 0x31),
    OK("rdtscp", M64, 0x0f, 0x01, 0xf9),
    OK("rdpmc", M64, 0x0f, 0x33),
    OK("hlt", M64, 0xf4),
    OK("hlt 16", M16, 0xf4),
    OK("vmmcall", M64, 0x0f, 0x01, 0xd9),
    OK("vmmcall 32", M32, 0x0f, 0x01, 0xd9),
    OK("vmcall", M64, 0x0f, 0x01, 0xc1),
    OK("vmrun", M64, 0x0f, 0x01, 0xd8),
    OK("vmload", M64, 0x0f, 0x01, 0xda),
    OK("vmsave", M64, 0x0f, 0x01, 0xdb),
    OK("stgi", M64, 0x0f, 0x01, 0xdc),
    OK("clgi", M64, 0x0f, 0x01, 0xdd),
    OK("skinit", M32, 0x0f, 0x01, 0xde),
    OK("invlpga", M64, 0x0f, 0x01, 0xdf),
    OK("xsetbv", M64, 0x0f, 0x01, 0xd1),
    OK("invd", M32, 0x0f, 0x08),
    OK("wbinvd", M64, 0x0f, 0x09),
    /* The same with prefixes a compiler or an old BIOS may leave in front:
     * without next-RIP the length must still come out right. */
    OK("66 cpuid", M32, 0x66, 0x0f, 0xa2),
    OK("cs cpuid", M64, 0x2e, 0x0f, 0xa2),
    OK("rep cpuid", M32, 0xf3, 0x0f, 0xa2),
    OK("66 67 cpuid 16", M16, 0x66, 0x67, 0x0f, 0xa2),
    OK("rex.w cpuid", M64, 0x48, 0x0f, 0xa2),
    OK("ds rdmsr", M32, 0x3e, 0x0f, 0x32),
    OK("66 wrmsr", M64, 0x66, 0x0f, 0x30),
    OK("66 hlt", M32, 0x66, 0xf4),
    OK("es ss hlt", M16, 0x26, 0x36, 0xf4),
    OK("66 vmmcall", M64, 0x66, 0x0f, 0x01, 0xd9),
    OK("ds invd", M32, 0x3e, 0x0f, 0x08),
    OK("xgetbv", M64, 0x0f, 0x01, 0xd0),
    OK("monitor", M64, 0x0f, 0x01, 0xc8),
    OK("mwait", M64, 0x0f, 0x01, 0xc9),
    OK("swapgs", M64, 0x0f, 0x01, 0xf8),
    OK("invlpg [rax]", M64, 0x0f, 0x01, 0x38),
    OK("invlpg [rbp-8]", M64, 0x0f, 0x01, 0x7d, 0xf8),
    OK("invlpg [rip+d32]", M64, 0x0f, 0x01, 0x3d, IMM32),
    OK("invlpg [rsp+0x100]", M64, 0x0f, 0x01, 0xbc, 0x24, 0x00, 0x01, 0x00, 0x00),
    OK("invlpg [bx+si] 16", M16, 0x0f, 0x01, 0x38),
    OK("invlpg [d16] 16", M16, 0x0f, 0x01, 0x3e, IMM16),
    OK("lgdt [rax]", M64, 0x0f, 0x01, 0x10),
    OK("sidt [rsp+8]", M64, 0x0f, 0x01, 0x4c, 0x24, 0x08),
    OK("mov rax, cr0", M64, 0x0f, 0x20, 0xc0),
    OK("mov cr3, rax", M64, 0x0f, 0x22, 0xd8),
    OK("mov cr4, rsi", M64, 0x0f, 0x22, 0xe6),
    OK("mov rax, cr8", M64, 0x44, 0x0f, 0x20, 0xc0),
    OK("mov cr0, eax 32", M32, 0x0f, 0x22, 0xc0),
    OK("mov cr mod ignored", M32, 0x0f, 0x22, 0x05),
    OK("mov cr mod ignored 2", M64, 0x0f, 0x20, 0x44),
    OK("mov rax, dr7", M64, 0x0f, 0x21, 0xf8),
    OK("mov dr0, rax", M64, 0x0f, 0x23, 0xc0),
    OK("mov dr mod ignored", M32, 0x0f, 0x23, 0x3d),
    OK("lmsw ax", M64, 0x0f, 0x01, 0xf0),
    OK("lmsw [rax]", M64, 0x0f, 0x01, 0x30),
    OK("lmsw [d16] 16", M16, 0x0f, 0x01, 0x36, IMM16),
    OK("smsw eax", M32, 0x0f, 0x01, 0xe0),
    OK("smsw [rip+d32]", M64, 0x0f, 0x01, 0x25, IMM32),
    OK("clts", M64, 0x0f, 0x06),
    OK("invd", M64, 0x0f, 0x08),
    OK("wbinvd", M64, 0x0f, 0x09),
    OK("pause", M64, 0xf3, 0x90),
    OK("int 0x80", M32, 0xcd, 0x80),
    OK("int3", M64, 0xcc),
    OK("into", M32, 0xce),
    OK("int1", M64, 0xf1),
    OK("iret", M32, 0xcf),
    OK("iretq", M64, 0x48, 0xcf),
    OK("ud2", M64, 0x0f, 0x0b),
    OK("syscall", M64, 0x0f, 0x05),
    OK("sysenter", M32, 0x0f, 0x34),

    /* IN/OUT, every form, with prefixes. */
    OK("in al, imm8", M64, 0xe4, 0x60),
    OK("in eax, imm8", M64, 0xe5, 0x60),
    OK("in ax, imm8", M64, 0x66, 0xe5, 0x60),
    OK("out imm8, al", M64, 0xe6, 0x80),
    OK("out imm8, eax", M32, 0xe7, 0x80),
    OK("out imm8, ax", M32, 0x66, 0xe7, 0x80),
    OK("in al, dx", M64, 0xec),
    OK("in eax, dx", M64, 0xed),
    OK("in ax, dx", M64, 0x66, 0xed),
    OK("out dx, al", M64, 0xee),
    OK("out dx, eax", M64, 0xef),
    OK("out dx, ax", M64, 0x66, 0xef),
    OK("in ax, imm8 16", M16, 0xe5, 0x71),
    OK("in eax, imm8 16", M16, 0x66, 0xe5, 0x71),
    OK("in ax, dx 16", M16, 0xed),
    OK("out dx, eax 16", M16, 0x66, 0xef),
    OK("in 67 prefix", M64, 0x67, 0xec),
    OK("out seg prefix", M32, 0x2e, 0xee),
    OK("in rep prefix", M64, 0xf3, 0xed),
    OK("in rex.w", M64, 0x48, 0xed),
    OK("out many prefixes", M32, 0x3e, 0x67, 0x66, 0xf3, 0xe7, 0x40),

    /* INS/OUTS with REP and segment overrides. */
    OK("insb", M64, 0x6c),
    OK("insd", M64, 0x6d),
    OK("outsb", M64, 0x6e),
    OK("outsd", M64, 0x6f),
    OK("rep insb", M64, 0xf3, 0x6c),
    OK("rep insw", M64, 0xf3, 0x66, 0x6d),
    OK("rep outsb a32", M64, 0xf3, 0x67, 0x6e),
    OK("cs outsd", M32, 0x2e, 0x6f),
    OK("cs rep outsd", M32, 0x2e, 0xf3, 0x6f),
    OK("rep cs o16 a16 outs", M32, 0xf3, 0x2e, 0x66, 0x67, 0x6f),
    OK("rep fs outsw 16", M16, 0xf3, 0x64, 0x6f),
    OK("rep outs rex.w", M64, 0xf3, 0x48, 0x6f),

    /* MOV family used by MMIO. */
    OK("mov [rdi], eax", M64, 0x89, 0x07),
    OK("mov [rdi], rax", M64, 0x48, 0x89, 0x07),
    OK("mov [rdi], al", M64, 0x88, 0x07),
    OK("mov eax, [rdi+16]", M64, 0x8b, 0x47, 0x10),
    OK("mov eax, [rdi+0x1000]", M64, 0x8b, 0x87, 0x00, 0x10, 0x00, 0x00),
    OK("mov al, [rsi]", M64, 0x8a, 0x06),
    OK("mov eax, [rbp+0]", M64, 0x8b, 0x45, 0x00),
    OK("mov eax, [rsp+8]", M64, 0x8b, 0x44, 0x24, 0x08),
    OK("mov eax, [r12]", M64, 0x41, 0x8b, 0x04, 0x24),
    OK("mov eax, [r13+0]", M64, 0x41, 0x8b, 0x45, 0x00),
    OK("mov eax, [rip+d] rex.b", M64, 0x41, 0x8b, 0x05, IMM32),
    OK("mov eax, [d32] sib", M64, 0x8b, 0x04, 0x25, IMM32),
    OK("mov eax, [rcx*4+d32]", M64, 0x8b, 0x04, 0x8d, IMM32),
    OK("mov eax, [rbp+rcx*4+8]", M64, 0x8b, 0x44, 0x8d, 0x08),
    OK("mov eax, [rbp+rcx*4+d32]", M64, 0x8b, 0x84, 0x8d, IMM32),
    OK("mov eax, [d32] 32", M32, 0x8b, 0x05, IMM32),
    OK("mov eax, [eip+d] a32", M64, 0x67, 0x8b, 0x05, IMM32),
    OK("mov rax, fs:[0]", M64, 0x64, 0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x00),
    OK("mov r/m, sreg", M64, 0x8c, 0xd8),
    OK("mov sreg, r/m", M64, 0x8e, 0xd8),
    OK("mov al, moffs64", M64, 0xa0, IMM64),
    OK("mov eax, moffs64", M64, 0xa1, IMM64),
    OK("mov moffs64, al", M64, 0xa2, IMM64),
    OK("mov moffs64, rax", M64, 0x48, 0xa3, IMM64),
    OK("mov eax, moffs32 a32", M64, 0x67, 0xa1, IMM32),
    OK("mov eax, moffs32", M32, 0xa1, IMM32),
    OK("mov eax, moffs16 a16", M32, 0x67, 0xa1, IMM16),
    OK("mov ax, moffs16", M16, 0xa1, IMM16),
    OK("mov ax, moffs32 a32", M16, 0x67, 0xa1, IMM32),
    OK("mov byte [rdi], imm8", M64, 0xc6, 0x07, 0x12),
    OK("mov dword [rdi], imm32", M64, 0xc7, 0x07, IMM32),
    OK("mov word [rdi], imm16", M64, 0x66, 0xc7, 0x07, IMM16),
    OK("mov qword [rdi], imm32", M64, 0x48, 0xc7, 0x07, IMM32),
    OK("mov [rip+d], imm32", M64, 0xc7, 0x05, IMM32, IMM32),
    OK("mov [rsp+d32], imm32", M64, 0xc7, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00, IMM32),
    OK("mov word [d16], imm16 16", M16, 0xc7, 0x06, IMM16, IMM16),
    OK("mov dword [d16], imm32 16", M16, 0x66, 0xc7, 0x06, IMM16, IMM32),
    OK("mov dword [bx+si+d8] 16", M16, 0x66, 0xc7, 0x40, 0x04, IMM32),
    OK("mov [bp+di+d16], ax 16", M16, 0x89, 0x83, IMM16),
    OK("mov ax, [bx] 16", M16, 0x8b, 0x07),
    OK("mov ax, [d16] 16", M16, 0x8b, 0x06, IMM16),
    OK("mov ax, [esp] a32 16", M16, 0x67, 0x8b, 0x04, 0x24),
    OK("mov eax, [d16] a16 32", M32, 0x67, 0x8b, 0x06, IMM16),
    OK("movzx eax, byte", M64, 0x0f, 0xb6, 0x07),
    OK("movzx eax, word", M64, 0x0f, 0xb7, 0x07),
    OK("movsx eax, byte", M64, 0x0f, 0xbe, 0x07),
    OK("movsx rax, word", M64, 0x48, 0x0f, 0xbf, 0x07),
    OK("movsxd rax, ecx", M64, 0x48, 0x63, 0xc1),
    OK("mov eax, imm32", M32, 0xb8, IMM32),
    OK("mov ax, imm16 16", M16, 0xb8, IMM16),
    OK("mov ax, imm16 64", M64, 0x66, 0xb8, IMM16),
    OK("mov rax, imm64", M64, 0x48, 0xb8, IMM64),
    OK("mov r8, imm64", M64, 0x49, 0xb8, IMM64),
    OK("mov al, imm8", M64, 0xb0, 0x01),

    /* ALU, TEST, XCHG, LEA. */
    OK("add eax, ecx", M64, 0x01, 0xc8),
    OK("add eax, [d32]", M64, 0x03, 0x04, 0x25, IMM32),
    OK("add al, imm8", M64, 0x04, 0x05),
    OK("add eax, imm32", M64, 0x05, IMM32),
    OK("add ax, imm16", M64, 0x66, 0x05, IMM16),
    OK("add rax, imm32", M64, 0x48, 0x05, IMM32),
    OK("or [rax], cl", M64, 0x08, 0x08),
    OK("adc eax, imm32", M32, 0x15, IMM32),
    OK("sbb al, imm8", M32, 0x1c, 0x01),
    OK("and eax, imm32", M64, 0x25, IMM32),
    OK("sub ax, imm16 16", M16, 0x2d, IMM16),
    OK("xor eax, eax", M64, 0x31, 0xc0),
    OK("cmp al, imm8", M64, 0x3c, 0x01),
    OK("cmp eax, imm32", M64, 0x3d, IMM32),
    OK("cmp byte [rax], imm8", M64, 0x80, 0x38, 0x05),
    OK("add ecx, imm32", M64, 0x81, 0xc1, IMM32),
    OK("add cx, imm16", M64, 0x66, 0x81, 0xc1, IMM16),
    OK("add ecx, imm8", M64, 0x83, 0xc1, 0x01),
    OK("lock add [rax], imm8", M64, 0xf0, 0x83, 0x00, 0x01),
    OK("group1 82", M32, 0x82, 0xc0, 0x01),
    OK("test al, al", M64, 0x84, 0xc0),
    OK("test eax, eax", M64, 0x85, 0xc0),
    OK("test cl, imm8", M64, 0xf6, 0xc1, 0x01),
    OK("test ecx, imm32", M64, 0xf7, 0xc1, IMM32),
    OK("test cx, imm16", M64, 0x66, 0xf7, 0xc1, IMM16),
    OK("test byte [rip+d], imm8", M64, 0xf6, 0x05, IMM32, 0x01),
    OK("not al", M64, 0xf6, 0xd0),
    OK("neg eax", M64, 0xf7, 0xd8),
    OK("div dword [rax]", M64, 0xf7, 0x30),
    OK("test al, imm8", M64, 0xa8, 0x01),
    OK("test eax, imm32", M64, 0xa9, IMM32),
    OK("xchg [rdi], eax", M64, 0x87, 0x07),
    OK("xchg al, [rdi]", M64, 0x86, 0x07),
    OK("xchg eax, ecx", M64, 0x91),
    OK("nop", M64, 0x90),
    OK("lea rax, [rip+d]", M64, 0x48, 0x8d, 0x05, IMM32),
    OK("lea eax, [rcx*4+d32]", M64, 0x8d, 0x04, 0x8d, 0x00, 0x00, 0x00, 0x00),
    OK("imul eax, eax, imm32", M64, 0x69, 0xc0, IMM32),
    OK("imul eax, eax, imm8", M64, 0x6b, 0xc0, 0x02),
    OK("shl eax, 4", M64, 0xc1, 0xe0, 0x04),
    OK("shl eax, 1", M64, 0xd1, 0xe0),
    OK("shld edx, eax, 4", M64, 0x0f, 0xa4, 0xc2, 0x04),
    OK("bt eax, 3", M64, 0x0f, 0xba, 0xe0, 0x03),
    OK("cmovz eax, ecx", M64, 0x0f, 0x44, 0xc1),
    OK("setz al", M64, 0x0f, 0x94, 0xc0),
    OK("cmpxchg [rdi], ecx", M64, 0xf0, 0x0f, 0xb1, 0x0f),
    OK("xadd [rdi], eax", M64, 0x0f, 0xc1, 0x07),
    OK("bswap eax", M64, 0x0f, 0xc8),
    OK("popcnt eax, ecx", M64, 0xf3, 0x0f, 0xb8, 0xc1),
    OK("inc dword [rax]", M64, 0xff, 0x00),
    OK("dec byte [rax]", M64, 0xfe, 0x08),
    OK("inc eax 32", M32, 0x40),

    /* String instructions. */
    OK("movsb", M64, 0xa4),
    OK("movsd", M64, 0xa5),
    OK("movsq", M64, 0x48, 0xa5),
    OK("rep movsb", M64, 0xf3, 0xa4),
    OK("rep stosq", M64, 0xf3, 0x48, 0xab),
    OK("stosb", M64, 0xaa),
    OK("stosd", M32, 0xab),
    OK("lodsb", M64, 0xac),
    OK("lodsd", M64, 0xad),
    OK("repne scasb", M64, 0xf2, 0xae),
    OK("es rep movsw 16", M16, 0x26, 0xf3, 0xa5),

    /* PUSH/POP, branches, misc. */
    OK("push rax", M64, 0x50),
    OK("push r8", M64, 0x41, 0x50),
    OK("pop rdi", M64, 0x5f),
    OK("push imm8", M64, 0x6a, 0x01),
    OK("push imm32", M64, 0x68, IMM32),
    OK("push imm16", M64, 0x66, 0x68, IMM16),
    OK("push imm16 16", M16, 0x68, IMM16),
    OK("push [rip+d]", M64, 0xff, 0x35, IMM32),
    OK("pop [rax]", M64, 0x8f, 0x00),
    OK("pop eax 8f", M32, 0x8f, 0xc0),
    OK("push es 32", M32, 0x06),
    OK("pushf", M64, 0x9c),
    OK("pusha 32", M32, 0x60),
    OK("push fs", M64, 0x0f, 0xa0),
    OK("jmp rel8", M64, 0xeb, 0x00),
    OK("jz rel8", M64, 0x74, 0x00),
    OK("call rel32", M64, 0xe8, IMM32),
    OK("jmp rel32", M64, 0xe9, IMM32),
    OK("rex.w call rel32", M64, 0x48, 0xe8, IMM32),
    OK("jz rel32", M64, 0x0f, 0x84, IMM32),
    OK("call rel16 16", M16, 0xe8, IMM16),
    OK("jz rel16 16", M16, 0x0f, 0x84, IMM16),
    OK("call rel32 o32 16", M16, 0x66, 0xe8, IMM32),
    OK("loop rel8", M64, 0xe2, 0xfe),
    OK("jmp [rax]", M64, 0xff, 0x20),
    OK("jmp far ptr16:32", M32, 0xea, IMM32, 0x08, 0x00),
    OK("jmp far ptr16:16 16", M16, 0xea, IMM16, 0x00, 0xf0),
    OK("call far ptr16:32", M32, 0x9a, IMM32, 0x08, 0x00),
    OK("ret", M64, 0xc3),
    OK("ret imm16", M64, 0xc2, 0x08, 0x00),
    OK("retf imm16", M32, 0xca, 0x08, 0x00),
    OK("enter", M64, 0xc8, 0x10, 0x00, 0x00),
    OK("leave", M64, 0xc9),
    OK("cli", M64, 0xfa),
    OK("sti", M64, 0xfb),
    OK("aam 32", M32, 0xd4, 0x0a),
    OK("fld st0", M64, 0xd9, 0xc0),
    OK("fld qword [rsp]", M64, 0xdd, 0x04, 0x24),
    OK("les eax, [eax] 32", M32, 0xc4, 0x00),
    OK("xbegin rel32", M64, 0xc7, 0xf8, IMM32),
    OK("xabort imm8", M64, 0xc6, 0xf8, 0x01),
    OK("lfence", M64, 0x0f, 0xae, 0xe8),
    OK("fxsave [rax]", M64, 0x0f, 0xae, 0x00),
    OK("rdrand eax", M64, 0x0f, 0xc7, 0xf0),
    OK("movups xmm0, [rax]", M64, 0x0f, 0x10, 0x00),
    OK("pshufd xmm0, xmm1, imm8", M64, 0x66, 0x0f, 0x70, 0xc1, 0x1b),
    OK("vmread rax, rcx", M64, 0x0f, 0x78, 0xc8),
    OK("endbr64", M64, 0xf3, 0x0f, 0x1e, 0xfa),

    /* NOP forms compilers emit for padding. */
    OK("nop3", M64, 0x0f, 0x1f, 0x00),
    OK("nop4", M64, 0x0f, 0x1f, 0x40, 0x00),
    OK("nop5", M64, 0x0f, 0x1f, 0x44, 0x00, 0x00),
    OK("nop6", M64, 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00),
    OK("nop7", M64, 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00),
    OK("nop8", M64, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
    OK("nop9", M64, 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
    OK("nop10", M64, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
    OK("nop12", M64, 0x66, 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
    OK("nop 16-bit", M16, 0x0f, 0x1f, 0x00),

    /* REX placement: a legacy prefix after REX cancels it. */
    OK("rex then 66", M64, 0x48, 0x66, 0x89, 0x07),
    OK("two rex bytes", M64, 0x41, 0x48, 0x89, 0x07),
    OK("15 bytes exactly", M64, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
       0x66, 0x66, 0x66, 0x90),

    /* Failures. */
    BAD("nothing", M64, INSN_TRUNCATED),
    BAD("lone 0f", M64, INSN_TRUNCATED, 0x0f),
    BAD("lone prefix", M64, INSN_TRUNCATED, 0x66),
    BAD("lone rex", M64, INSN_TRUNCATED, 0x48),
    BAD("0f 01 no modrm", M64, INSN_TRUNCATED, 0x0f, 0x01),
    BAD("in no port", M64, INSN_TRUNCATED, 0xe4),
    BAD("mov no disp", M64, INSN_TRUNCATED, 0xc7, 0x05, 0x00, 0x00),
    BAD("mov no imm", M64, INSN_TRUNCATED, 0xc7, 0x05, IMM32, 0x00),
    BAD("sib missing", M64, INSN_TRUNCATED, 0x8b, 0x04),
    BAD("moffs short", M64, INSN_TRUNCATED, 0xa1, IMM32),
    BAD("16 prefixes", M64, INSN_TOO_LONG, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x90),
    BAD("15 prefixes", M32, INSN_TOO_LONG, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e,
        0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e),
    BAD("16 bytes via imm", M64, INSN_TOO_LONG, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e,
        0x2e, 0x2e, 0xc7, 0x07, IMM32),
    BAD("0f 38 pshufb", M64, INSN_UNSUPPORTED, 0x66, 0x0f, 0x38, 0x00, 0xc1),
    BAD("0f 3a", M64, INSN_UNSUPPORTED, 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x08),
    BAD("vex2 vzeroupper", M64, INSN_UNSUPPORTED, 0xc5, 0xf8, 0x77),
    BAD("vex3", M64, INSN_UNSUPPORTED, 0xc4, 0xe2, 0x79, 0x18, 0x00),
    BAD("vex2 in 32-bit", M32, INSN_UNSUPPORTED, 0xc5, 0xf8, 0x77),
    BAD("evex", M64, INSN_UNSUPPORTED, 0x62, 0xf1, 0x7c, 0x48, 0x10, 0x00),
    BAD("evex 32", M32, INSN_UNSUPPORTED, 0x62, 0xf1, 0x7c, 0x48, 0x10, 0x00),
    BAD("xop", M64, INSN_UNSUPPORTED, 0x8f, 0xe9, 0x78, 0x01, 0xc0),
    BAD("3dnow", M32, INSN_UNSUPPORTED, 0x0f, 0x0f, 0xc1, 0x9e),
    BAD("salc", M32, INSN_UNSUPPORTED, 0xd6),
    BAD("0f 04", M64, INSN_UNSUPPORTED, 0x0f, 0x04),
    BAD("ud0", M64, INSN_UNSUPPORTED, 0x0f, 0xff, 0xc0),
    BAD("0f 01 unknown reg form", M64, INSN_UNSUPPORTED, 0x0f, 0x01, 0xe9),
    BAD("0f 01 /5 memory", M64, INSN_UNSUPPORTED, 0x0f, 0x01, 0x28),
    BAD("swapgs 32", M32, INSN_UNSUPPORTED, 0x0f, 0x01, 0xf8),
    BAD("ff /7", M64, INSN_UNSUPPORTED, 0xff, 0xf8),
    BAD("fe /2", M64, INSN_UNSUPPORTED, 0xfe, 0x10),
    BAD("c7 /1", M64, INSN_UNSUPPORTED, 0xc7, 0x08, IMM32),
    BAD("f7 /1", M64, INSN_UNSUPPORTED, 0xf7, 0xc8, IMM32),
    BAD("0f ba /0", M64, INSN_UNSUPPORTED, 0x0f, 0xba, 0xc0, 0x01),
    BAD("extrq", M64, INSN_UNSUPPORTED, 0x66, 0x0f, 0x78, 0xc0, 0x01, 0x02),
    BAD("jmpe", M64, INSN_UNSUPPORTED, 0x0f, 0xb8, 0x00),
    BAD("o16 call rel 64", M64, INSN_UNSUPPORTED, 0x66, 0xe8, IMM16),
    BAD("o16 jz rel 64", M64, INSN_UNSUPPORTED, 0x66, 0x0f, 0x84, IMM16),
    BAD("into 64", M64, INSN_UNSUPPORTED, 0xce),
    BAD("daa 64", M64, INSN_UNSUPPORTED, 0x27),
    BAD("push es 64", M64, INSN_UNSUPPORTED, 0x06),
    BAD("jmp far 64", M64, INSN_UNSUPPORTED, 0xea, IMM32, 0x08, 0x00),
    BAD("aam 64", M64, INSN_UNSUPPORTED, 0xd4, 0x0a),
    BAD("group1 82 64", M64, INSN_UNSUPPORTED, 0x82, 0xc0, 0x01),
};

/* Every row: the status, and for instructions the length, also with the
 * instruction followed by more bytes and cut short by one or more. */
START_TEST(test_length_table)
{
    const struct length_case *c = &length_cases[_i];
    struct insn_info info;
    u8 padded[32];
    enum insn_status st;

    memset(padded, 0xcc, sizeof(padded));
    memcpy(padded, c->bytes, c->count);

    st = insn_decode_length(c->bytes, c->count, c->mode, &info);
    ck_assert_msg(st == c->status, "%s: status %s, expected %s", c->name, insn_status_name(st),
                  insn_status_name(c->status));
    if (c->status != INSN_OK)
        return;
    ck_assert_msg(info.length == c->count, "%s: length %u, expected %u", c->name, info.length,
                  c->count);

    /* Trailing bytes must not be consumed. */
    st = insn_decode_length(padded, sizeof(padded), c->mode, &info);
    ck_assert_msg(st == INSN_OK && info.length == c->count, "%s: padded gives %s/%u", c->name,
                  insn_status_name(st), info.length);

    /* Any shorter fetch is truncated. */
    for (u8 avail = 0; avail < c->count; avail++) {
        st = insn_decode_length(c->bytes, avail, c->mode, &info);
        ck_assert_msg(st == INSN_TRUNCATED, "%s: avail %u gives %s", c->name, avail,
                      insn_status_name(st));
    }
}
END_TEST

/* Helper: decode a byte string that must be OK. */
static struct insn_info decode_ok(const u8 *bytes, size_t n, enum insn_mode mode)
{
    struct insn_info info;

    ck_assert_int_eq(insn_decode_length(bytes, n, mode, &info), INSN_OK);
    return info;
}

START_TEST(test_prefix_fields)
{
    static const u8 bytes[] = { 0xf3, 0x2e, 0x66, 0x67, 0x6f };
    struct insn_info info = decode_ok(bytes, sizeof(bytes), M32);

    ck_assert(info.rep);
    ck_assert(!info.repne);
    ck_assert(!info.lock);
    ck_assert_uint_eq(info.seg_override, 0x2e);
    ck_assert(info.opsize_override);
    ck_assert(info.addrsize_override);
    ck_assert_uint_eq(info.operand_size, 2);
    ck_assert_uint_eq(info.address_size, 2);
    ck_assert_uint_eq(info.prefix_len, 4);
    ck_assert_uint_eq(info.opcode_len, 1);
    ck_assert_uint_eq(info.opcode[0], 0x6f);
    ck_assert(!info.has_modrm);
    ck_assert_uint_eq(info.length, 5);
}
END_TEST

START_TEST(test_last_segment_and_lock)
{
    static const u8 bytes[] = { 0x26, 0x65, 0xf0, 0xf2, 0x01, 0x07 };
    struct insn_info info = decode_ok(bytes, sizeof(bytes), M64);

    ck_assert_uint_eq(info.seg_override, 0x65);
    ck_assert(info.lock);
    ck_assert(info.repne);
    ck_assert(!info.rep);
    ck_assert_uint_eq(info.operand_size, 4);
    ck_assert_uint_eq(info.address_size, 8);
}
END_TEST

START_TEST(test_sizes_per_mode)
{
    static const u8 plain[] = { 0x90 };
    static const u8 o16[] = { 0x66, 0x90 };
    static const u8 a16[] = { 0x67, 0x90 };
    static const u8 rexw_o16[] = { 0x66, 0x48, 0x90 };
    struct insn_info info;

    info = decode_ok(plain, 1, M16);
    ck_assert_uint_eq(info.operand_size, 2);
    ck_assert_uint_eq(info.address_size, 2);
    info = decode_ok(o16, 2, M16);
    ck_assert_uint_eq(info.operand_size, 4);
    info = decode_ok(a16, 2, M16);
    ck_assert_uint_eq(info.address_size, 4);
    info = decode_ok(plain, 1, M32);
    ck_assert_uint_eq(info.operand_size, 4);
    ck_assert_uint_eq(info.address_size, 4);
    info = decode_ok(a16, 2, M32);
    ck_assert_uint_eq(info.address_size, 2);
    info = decode_ok(plain, 1, M64);
    ck_assert_uint_eq(info.operand_size, 4);
    ck_assert_uint_eq(info.address_size, 8);
    info = decode_ok(o16, 2, M64);
    ck_assert_uint_eq(info.operand_size, 2);
    info = decode_ok(a16, 2, M64);
    ck_assert_uint_eq(info.address_size, 4);
    info = decode_ok(rexw_o16, 3, M64);
    ck_assert_uint_eq(info.operand_size, 8); /* REX.W beats 66 */
    ck_assert_uint_eq(info.rex, 0x48);
}
END_TEST

START_TEST(test_rex_cancelled_by_later_prefix)
{
    static const u8 bytes[] = { 0x48, 0x66, 0x89, 0x07 };
    struct insn_info info = decode_ok(bytes, sizeof(bytes), M64);

    ck_assert_uint_eq(info.rex, 0);
    ck_assert_uint_eq(info.operand_size, 2);
    ck_assert_uint_eq(info.prefix_len, 2);
}
END_TEST

START_TEST(test_rex_is_inc_outside_64)
{
    static const u8 bytes[] = { 0x48, 0x89, 0x07 };
    struct insn_info info = decode_ok(bytes, sizeof(bytes), M32);

    /* In 32-bit mode 48 is DEC EAX, a one-byte instruction. */
    ck_assert_uint_eq(info.length, 1);
    ck_assert_uint_eq(info.rex, 0);
    ck_assert_uint_eq(info.opcode[0], 0x48);
}
END_TEST

START_TEST(test_modrm_sib_disp_fields)
{
    static const u8 bytes[] = { 0x41, 0x8b, 0x84, 0x8d, 0xf0, 0xff, 0xff, 0xff };
    struct insn_info info = decode_ok(bytes, sizeof(bytes), M64);

    ck_assert_uint_eq(info.rex, 0x41);
    ck_assert(info.has_modrm);
    ck_assert_uint_eq(info.modrm, 0x84);
    ck_assert_uint_eq(insn_modrm_mod(&info), 2);
    ck_assert_uint_eq(insn_modrm_reg(&info), 0);
    ck_assert_uint_eq(insn_modrm_rm(&info), 4);
    ck_assert(info.has_sib);
    ck_assert_uint_eq(info.sib, 0x8d);
    ck_assert_uint_eq(info.disp_len, 4);
    ck_assert_int_eq(info.disp, -16);
    ck_assert(!info.rip_relative);
    ck_assert_uint_eq(info.imm_len, 0);
}
END_TEST

START_TEST(test_rip_relative_only_in_64)
{
    static const u8 bytes[] = { 0x8b, 0x05, 0x00, 0x10, 0x00, 0x00 };
    struct insn_info info;

    info = decode_ok(bytes, sizeof(bytes), M64);
    ck_assert(info.rip_relative);
    ck_assert_int_eq(info.disp, 0x1000);
    info = decode_ok(bytes, sizeof(bytes), M32);
    ck_assert(!info.rip_relative);
    ck_assert_int_eq(info.disp, 0x1000);
}
END_TEST

START_TEST(test_disp8_sign_extended)
{
    static const u8 bytes[] = { 0x8b, 0x47, 0x80 };
    struct insn_info info = decode_ok(bytes, sizeof(bytes), M64);

    ck_assert_uint_eq(info.disp_len, 1);
    ck_assert_int_eq(info.disp, -128);
}
END_TEST

START_TEST(test_immediate_values)
{
    static const u8 mov_imm[] = { 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12 };
    static const u8 enter[] = { 0xc8, 0x10, 0x20, 0x03 };
    static const u8 far_jmp[] = { 0xea, 0x00, 0x00, 0x10, 0x00, 0x08, 0x00 };
    static const u8 moffs[] = { 0x48, 0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 };
    struct insn_info info;

    info = decode_ok(mov_imm, sizeof(mov_imm), M64);
    ck_assert_uint_eq(info.imm_len, 4);
    ck_assert_uint_eq(info.imm, 0x12345678);
    info = decode_ok(enter, sizeof(enter), M32);
    ck_assert_uint_eq(info.imm_len, 3);
    ck_assert_uint_eq(info.imm, 0x2010);
    ck_assert_uint_eq(info.imm2, 3);
    info = decode_ok(far_jmp, sizeof(far_jmp), M32);
    ck_assert_uint_eq(info.imm, 0x100000);
    ck_assert_uint_eq(info.imm2, 8);
    info = decode_ok(moffs, sizeof(moffs), M64);
    ck_assert_uint_eq(info.imm_len, 8);
    ck_assert_uint_eq(info.imm, 0x1122334455667788ULL);
}
END_TEST

START_TEST(test_two_byte_opcode_fields)
{
    static const u8 vmmcall[] = { 0x0f, 0x01, 0xd9 };
    static const u8 mov_cr[] = { 0x44, 0x0f, 0x22, 0x05 };
    struct insn_info info;

    info = decode_ok(vmmcall, sizeof(vmmcall), M64);
    ck_assert_uint_eq(info.opcode_len, 2);
    ck_assert_uint_eq(info.opcode[0], 0x0f);
    ck_assert_uint_eq(info.opcode[1], 0x01);
    ck_assert(info.has_modrm);
    ck_assert_uint_eq(info.modrm, 0xd9);

    /* MOV CR ignores mod: mod=00 rm=101 still has no displacement. */
    info = decode_ok(mov_cr, sizeof(mov_cr), M64);
    ck_assert_uint_eq(info.length, 4);
    ck_assert_uint_eq(info.disp_len, 0);
    ck_assert(!info.rip_relative);
}
END_TEST

START_TEST(test_too_long_beats_truncated)
{
    u8 bytes[15];
    struct insn_info info;

    memset(bytes, 0x66, sizeof(bytes));
    /* All 15 available bytes are prefixes: no opcode fits in the limit. */
    ck_assert_int_eq(insn_decode_length(bytes, sizeof(bytes), M64, &info), INSN_TOO_LONG);
    /* With fewer bytes available the decoder cannot know yet. */
    ck_assert_int_eq(insn_decode_length(bytes, 10, M64, &info), INSN_TRUNCATED);
}
END_TEST

START_TEST(test_status_names)
{
    ck_assert_str_eq(insn_status_name(INSN_OK), "ok");
    ck_assert_str_eq(insn_status_name(INSN_TRUNCATED), "truncated");
    ck_assert_str_eq(insn_status_name(INSN_TOO_LONG), "too long");
    ck_assert_str_eq(insn_status_name(INSN_UNSUPPORTED), "unsupported");
}
END_TEST

static Suite *insn_len_suite(void)
{
    Suite *s = suite_create("insn_len");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_length_table, 0, (int)ARRAY_SIZE(length_cases));
    tcase_add_test(tc, test_prefix_fields);
    tcase_add_test(tc, test_last_segment_and_lock);
    tcase_add_test(tc, test_sizes_per_mode);
    tcase_add_test(tc, test_rex_cancelled_by_later_prefix);
    tcase_add_test(tc, test_rex_is_inc_outside_64);
    tcase_add_test(tc, test_modrm_sib_disp_fields);
    tcase_add_test(tc, test_rip_relative_only_in_64);
    tcase_add_test(tc, test_disp8_sign_extended);
    tcase_add_test(tc, test_immediate_values);
    tcase_add_test(tc, test_two_byte_opcode_fields);
    tcase_add_test(tc, test_too_long_beats_truncated);
    tcase_add_test(tc, test_status_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(insn_len_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
