/*
 * common/vm/vcpu_state.c - the three starting states of a guest (pure).
 */
#include "common/vm/vcpu_state.h"
#include "common/lib/format.h"
#include "common/lib/kstring.h"

/* Attributes (AMD layout): P | S | type, plus DB/G/L in bits 8-11. */
#define ATTR_CODE16 0x09Bu /* present, code, execute/read, accessed */
#define ATTR_DATA16 0x093u /* present, data, read/write, accessed */
#define ATTR_CODE32 0xC9Bu /* ... with D/B = 32-bit and G = 4 KiB units */
#define ATTR_DATA32 0xC93u
#define ATTR_CODE64 0xA9Bu /* ... with L = 64-bit (D/B clear) and G */
#define ATTR_TSS_BUSY 0x08Bu /* present, system, busy TSS (32- or 64-bit) */
#define ATTR_LDT 0x082u      /* present, system, LDT */

/* What every mode shares: no task or LDT loaded yet (a usable, empty TR
 * and LDTR, which both backends' entry checks want), interrupts off. */
static void common_state(struct vcpu_init_state *s)
{
    memset(s, 0, sizeof(*s));
    s->rflags = VCPU_RFLAGS_FIXED;
    s->tr = (struct vcpu_segment){ 0, ATTR_TSS_BUSY, 0xFFFF, 0 };
    s->ldtr = (struct vcpu_segment){ 0, ATTR_LDT, 0xFFFF, 0 };
    s->gdtr = (struct vcpu_dtr){ 0, 0xFFFF };
}

static void flat_segments(struct vcpu_init_state *s, u16 code_attr)
{
    const struct vcpu_segment code = { 0x08, code_attr, 0xFFFFFFFF, 0 };
    const struct vcpu_segment data = { 0x10, ATTR_DATA32, 0xFFFFFFFF, 0 };
    s->cs = code;
    s->ds = s->es = s->fs = s->gs = s->ss = data;
}

void vcpu_state_real_mode(struct vcpu_init_state *s, u16 cs, u16 ip)
{
    const struct vcpu_segment data = { 0, ATTR_DATA16, 0xFFFF, 0 };
    common_state(s);
    s->cr0 = VCPU_CR0_ET;
    s->cs = (struct vcpu_segment){ cs, ATTR_CODE16, 0xFFFF, (u64)cs << 4 };
    s->ds = s->es = s->fs = s->gs = s->ss = data;
    s->rip = ip;
    s->idtr = (struct vcpu_dtr){ 0, 0x3FF }; /* the real-mode interrupt vector table */
}

void vcpu_state_protected32(struct vcpu_init_state *s, u32 eip)
{
    common_state(s);
    s->cr0 = VCPU_CR0_PE | VCPU_CR0_ET;
    flat_segments(s, ATTR_CODE32);
    s->rip = eip;
    s->idtr = (struct vcpu_dtr){ 0, 0x3FF };
}

void vcpu_state_long64(struct vcpu_init_state *s, u64 rip, u64 cr3)
{
    common_state(s);
    s->cr0 = VCPU_CR0_PE | VCPU_CR0_ET | VCPU_CR0_PG;
    s->cr3 = cr3;
    s->cr4 = VCPU_CR4_PAE;
    s->efer = VCPU_EFER_LME | VCPU_EFER_LMA;
    flat_segments(s, ATTR_CODE64);
    s->rip = rip;
    s->idtr = (struct vcpu_dtr){ 0, 0xFFF }; /* 256 16-byte gates; the guest loads its own */
}

static enum vcpu_mode invalid(char *why, size_t wlen, const char *rule)
{
    if (why && wlen)
        ksnprintf(why, wlen, "%s", rule);
    return VCPU_MODE_INVALID;
}

enum vcpu_mode vcpu_state_mode(const struct vcpu_init_state *s, char *why, size_t wlen)
{
    bool pe = s->cr0 & VCPU_CR0_PE, pg = s->cr0 & VCPU_CR0_PG;
    bool lme = s->efer & VCPU_EFER_LME, lma = s->efer & VCPU_EFER_LMA;
    bool cs_l = s->cs.attr & VCPU_SEG_L, cs_d = s->cs.attr & VCPU_SEG_DB;

    if (why && wlen)
        why[0] = '\0';
    if (s->cr0 >> 32)
        return invalid(why, wlen, "CR0 bits 63:32 are set");
    if (!(s->rflags & VCPU_RFLAGS_FIXED))
        return invalid(why, wlen, "RFLAGS bit 1 is clear");
    if (pg && !pe)
        return invalid(why, wlen, "CR0.PG is set without CR0.PE");
    if (lma != (lme && pg))
        return invalid(why, wlen, "EFER.LMA is not EFER.LME and CR0.PG");
    if (lma && !(s->cr4 & VCPU_CR4_PAE))
        return invalid(why, wlen, "long mode without CR4.PAE");
    if (!pe)
        return cs_l ? invalid(why, wlen, "CS.L is set in real mode") : VCPU_MODE_REAL;
    if (!lma)
        return cs_l ? invalid(why, wlen, "CS.L is set outside long mode")
                    : VCPU_MODE_PROTECTED32;
    if (cs_l && cs_d)
        return invalid(why, wlen, "CS.L and CS.D are both set");
    if (!cs_l)
        return invalid(why, wlen, "long mode starts in a 64-bit code segment (CS.L clear)");
    return VCPU_MODE_LONG64;
}

const char *vcpu_mode_name(enum vcpu_mode m)
{
    switch (m) {
    case VCPU_MODE_REAL: return "real";
    case VCPU_MODE_PROTECTED32: return "protected32";
    case VCPU_MODE_LONG64: return "long64";
    default: return "invalid";
    }
}
