/**
 * @file arch/x86/lapic_regs.h
 * @brief The local APIC's modes and registers, as values (pure, host-testable).
 *
 * Which mode the local APIC is in is the IA32_APIC_BASE MSR's to say: bit
 * 11 enables it globally, bit 10 (EXTD) selects x2APIC, where the registers
 * are MSRs (0x800 + offset / 16) instead of a 4 KiB MMIO page at the base
 * address (Intel SDM vol. 3 10.12, AMD APM vol. 2 16.3). bookvisor leaves
 * the choice to the guest, which owns the APIC, and follows it
 * (arch/x86/lapic.h).
 */
#ifndef BOOKVISOR_ARCH_X86_LAPIC_REGS_H
#define BOOKVISOR_ARCH_X86_LAPIC_REGS_H

#include "common/lib/types.h"

/** How the local APIC is reached now. */
enum lapic_mode {
    LAPIC_MODE_OFF,    /**< globally disabled (IA32_APIC_BASE bit 11 clear) */
    LAPIC_MODE_XAPIC,  /**< registers in the MMIO page at the base address */
    LAPIC_MODE_X2APIC, /**< registers are MSRs 0x800 to 0x8FF */
};

#define LAPIC_BASE_EXTD (1ULL << 10)   /**< IA32_APIC_BASE: x2APIC mode */
#define LAPIC_BASE_ENABLE (1ULL << 11) /**< IA32_APIC_BASE: the APIC is on */
#define LAPIC_REG_EOI 0x0B0            /**< end of interrupt (write 0) */
#define LAPIC_REG_ICR_LOW 0x300        /**< interrupt command, low half (xAPIC) */
#define LAPIC_REG_ICR_HIGH 0x310       /**< interrupt command, high half: destination in bits 24-31 (xAPIC) */
#define LAPIC_ICR_INIT (5u << 8)       /**< ICR delivery mode 101: INIT */
#define LAPIC_ICR_STARTUP (6u << 8)    /**< ICR delivery mode 110: start-up (SIPI) */
#define LAPIC_ICR_NMI (4u << 8)        /**< ICR delivery mode 100: NMI */
#define LAPIC_ICR_ASSERT (1u << 14)    /**< ICR level: assert */
#define LAPIC_ICR_PENDING (1u << 12)   /**< ICR delivery status: not accepted yet */
#define LAPIC_ICR_SELF (1u << 18)      /**< ICR destination shorthand 01: self */
#define LAPIC_MSR_BASE 0x800           /**< x2APIC: MSR of register offset 0 */
#define LAPIC_MSR_SELF_IPI 0x83F       /**< x2APIC: write a vector, get a fixed self-IPI */

/** The mode IA32_APIC_BASE selects (EXTD without ENABLE is an invalid state: off). */
static inline enum lapic_mode lapic_mode_of(u64 apic_base)
{
    if (!(apic_base & LAPIC_BASE_ENABLE))
        return LAPIC_MODE_OFF;
    return (apic_base & LAPIC_BASE_EXTD) ? LAPIC_MODE_X2APIC : LAPIC_MODE_XAPIC;
}

/** Physical address of the xAPIC register page (bits 12 to 51 of IA32_APIC_BASE). */
static inline u64 lapic_mmio_base(u64 apic_base)
{
    return apic_base & 0x000FFFFFFFFFF000ULL;
}

/** The x2APIC MSR of a register at xAPIC offset @p reg. */
static inline u32 lapic_x2apic_msr(u32 reg)
{
    return LAPIC_MSR_BASE + reg / 16;
}

/** ICR low word of a fixed, edge-triggered interrupt to this CPU itself (xAPIC). */
static inline u32 lapic_self_ipi_icr(u8 vector)
{
    return LAPIC_ICR_SELF | vector; /* delivery mode 000 fixed, physical, edge */
}

#define LAPIC_ICR_LOGICAL (1u << 11)  /**< ICR destination mode: logical */
#define LAPIC_ICR_LEVEL_TRIGGER (1u << 15) /**< ICR trigger mode: level */

/** ICR delivery modes (bits 8-10). */
enum lapic_icr_mode {
    LAPIC_ICR_MODE_FIXED = 0,   /**< a vector */
    LAPIC_ICR_MODE_NMI = 4,     /**< NMI */
    LAPIC_ICR_MODE_INIT = 5,    /**< INIT (or, level de-assert, the old INIT de-assert) */
    LAPIC_ICR_MODE_STARTUP = 6, /**< start-up IPI */
};

/** ICR destination shorthands (bits 18-19). */
enum lapic_icr_shorthand {
    LAPIC_ICR_TO_DEST = 0,       /**< the destination field */
    LAPIC_ICR_TO_SELF = 1,       /**< the sender */
    LAPIC_ICR_TO_ALL = 2,        /**< every CPU, the sender included */
    LAPIC_ICR_TO_ALL_OTHERS = 3, /**< every CPU but the sender */
};

/** The delivery mode of an ICR low word. */
static inline enum lapic_icr_mode lapic_icr_mode_of(u32 icr_low)
{
    return (enum lapic_icr_mode)((icr_low >> 8) & 7);
}

/** The destination shorthand of an ICR low word. */
static inline enum lapic_icr_shorthand lapic_icr_shorthand_of(u32 icr_low)
{
    return (enum lapic_icr_shorthand)((icr_low >> 18) & 3);
}

/** Is this INIT the level de-assert that old processors needed (no CPU is reset by it)? */
static inline bool lapic_icr_is_init_deassert(u32 icr_low)
{
    return lapic_icr_mode_of(icr_low) == LAPIC_ICR_MODE_INIT && !(icr_low & LAPIC_ICR_ASSERT) &&
           (icr_low & LAPIC_ICR_LEVEL_TRIGGER);
}

/**
 * Does the command @p icr_low with xAPIC destination word @p icr_high, sent
 * by the CPU with APIC ID @p sender, reach the CPU with APIC ID @p target?
 * Physical destinations and the shorthands only: a logical destination
 * depends on the targets' own registers, and reaches nobody here.
 */
static inline bool lapic_icr_reaches(u32 icr_low, u32 icr_high, u32 sender, u32 target)
{
    /* LAB 9 BEGIN: which processors an ICR command reaches */
    /* LAB 9 FALLBACK: u32 sh = (icr_low >> 18) & 3, dest = icr_high >> 24; return sh == 1 ? target == sender : sh == 2 ? true : sh == 3 ? target != sender : !(icr_low & LAPIC_ICR_LOGICAL) && (dest == 0xFF || dest == target); */
    switch (lapic_icr_shorthand_of(icr_low)) {
    case LAPIC_ICR_TO_SELF: return target == sender;
    case LAPIC_ICR_TO_ALL: return true;
    case LAPIC_ICR_TO_ALL_OTHERS: return target != sender;
    case LAPIC_ICR_TO_DEST: break;
    }
    if (icr_low & LAPIC_ICR_LOGICAL)
        return false;
    return (icr_high >> 24) == 0xFF || (icr_high >> 24) == target; /* 0xFF: broadcast */
    /* LAB 9 END */
}

/**
 * Does the x2APIC command @p icr (MSR 0x830: the low word as in xAPIC mode,
 * the 32-bit destination in the high half), sent by the CPU with x2APIC ID
 * @p sender, reach the CPU with x2APIC ID @p target? Physical destinations
 * and the shorthands only, as lapic_icr_reaches().
 */
static inline bool lapic_x2apic_icr_reaches(u64 icr, u32 sender, u32 target)
{
    u32 low = (u32)icr, dest = (u32)(icr >> 32);
    if (lapic_icr_shorthand_of(low) != LAPIC_ICR_TO_DEST)
        return lapic_icr_reaches(low, 0, sender, target);
    if (low & LAPIC_ICR_LOGICAL)
        return false;
    return dest == 0xFFFFFFFFu || dest == target; /* all ones: broadcast */
}

/** ICR low word of an INIT to one CPU named by its APIC ID in the destination (physical, asserted). */
static inline u32 lapic_init_icr(void)
{
    return LAPIC_ICR_INIT | LAPIC_ICR_ASSERT;
}

/** ICR low word of an NMI to one CPU named by its APIC ID in the destination (physical, edge). */
static inline u32 lapic_nmi_icr(void)
{
    return LAPIC_ICR_NMI | LAPIC_ICR_ASSERT; /* the vector field is ignored for an NMI */
}

/** ICR low word of a start-up IPI: the CPU starts in real mode at @p vector << 12. */
static inline u32 lapic_startup_icr(u8 vector)
{
    return LAPIC_ICR_STARTUP | LAPIC_ICR_ASSERT | vector;
}

/**
 * The x2APIC ICR (MSR 0x830) value of a command @p icr_low to the CPU whose
 * APIC ID is @p apic_id: one 64-bit write, the destination in the high half.
 */
static inline u64 lapic_x2apic_icr(u32 apic_id, u32 icr_low)
{
    return ((u64)apic_id << 32) | icr_low;
}

/** The xAPIC ICR high word that names the CPU with 8-bit APIC ID @p apic_id. */
static inline u32 lapic_xapic_icr_high(u32 apic_id)
{
    return (apic_id & 0xFF) << 24;
}

/** What a processor bookvisor holds does with an INIT or start-up command that reaches it. */
enum lapic_start_step {
    LAPIC_START_IGNORE, /**< nothing: the command changes nothing for it */
    LAPIC_START_INIT,   /**< it takes the INIT: from now on it waits for a SIPI */
    LAPIC_START_RUN,    /**< it starts, in real mode at the SIPI's vector << 12 */
};

/**
 * The INIT, SIPI, SIPI recipe as a processor sees it (Intel SDM vol. 3,
 * "MP initialization"; chapter 08, "SMP start-up"). An INIT puts a processor
 * in wait-for-SIPI; the first SIPI after it starts the processor; a SIPI to a
 * processor that is not waiting for one (no INIT yet, or started already: the
 * recipe's second SIPI) is ignored. bookvisor does not restart a processor
 * the guest has started, so an INIT to it changes nothing either. Commands of
 * other delivery modes are not start commands: ignored.
 * @param mode the command's delivery mode (lapic_icr_mode_of(); the old INIT
 *        de-assert is filtered out before, as it is no INIT)
 * @param init_seen the processor has taken an INIT from the guest
 * @param started the processor has taken its SIPI (it runs the guest's code)
 */
static inline enum lapic_start_step lapic_start_step_of(enum lapic_icr_mode mode, bool init_seen,
                                                        bool started)
{
    /* LAB 9 BEGIN: what INIT and SIPI do to a processor waiting for the guest */
    /* LAB 9 FALLBACK: return started ? LAPIC_START_IGNORE : mode == LAPIC_ICR_MODE_INIT ? LAPIC_START_INIT : (mode == LAPIC_ICR_MODE_STARTUP && init_seen) ? LAPIC_START_RUN : LAPIC_START_IGNORE; */
    if (started)
        return LAPIC_START_IGNORE; /* running: the second SIPI, or an INIT it will not get */
    if (mode == LAPIC_ICR_MODE_INIT)
        return LAPIC_START_INIT;
    if (mode == LAPIC_ICR_MODE_STARTUP && init_seen)
        return LAPIC_START_RUN;
    return LAPIC_START_IGNORE; /* a SIPI before any INIT, or no start command at all */
    /* LAB 9 END */
}

#endif
