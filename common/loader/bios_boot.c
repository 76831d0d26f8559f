/*
 * common/loader/bios_boot.c - BIOS chain boot: the real-mode start-up in
 * guest memory and the state that runs it (chapter 12).
 */
#include "common/loader/bios_boot.h"
#include "common/lib/format.h"
#include "common/vm/vcpu_state.h"

int bios_boot_load(u8 drive, bool vmmcall, const struct guest_memory *mem,
                   struct loader_result *out, char *why, size_t wlen)
{
    size_t len = (size_t)(bios_boot_code_end - bios_boot_code);
    u64 where = (u64)BIOS_BOOT_CODE_SEG << 4;
    u8 *dst = guest_memory_span(mem, where, len);
    if (!dst) {
        ksnprintf(why, wlen, "cannot place the BIOS boot start-up at 0x%llx: not RAM in the memory map",
                  (unsigned long long)where);
        return -1;
    }
    for (size_t i = 0; i < len; i++)
        dst[i] = bios_boot_code[i];
    dst[BIOS_BOOT_PARAM_DRIVE] = drive;
    dst[BIOS_BOOT_PARAM_VMMCALL] = vmmcall ? 1 : 0;
    vcpu_state_real_mode(&out->state, BIOS_BOOT_CODE_SEG, 0);
    ksnprintf(out->summary, sizeof(out->summary),
              "BIOS chain boot of drive 0x%02x: start-up at %04x:0000 reads its first sector to 0000:7c00",
              drive, BIOS_BOOT_CODE_SEG);
    return 0;
}

/* The INT 13h status codes a BIOS returns most (facts from the BIOS disk-services tables). */
static const char *int13_status_name(u32 status)
{
    switch (status) {
    case 0x01: return "bad command or no such drive";
    case 0x02: return "address mark not found";
    case 0x04: return "sector not found";
    case 0x05: return "reset failed";
    case 0x0C: return "unsupported track or invalid media";
    case 0x10: return "uncorrectable read error";
    case 0x20: return "controller failure";
    case 0x40: return "seek failed";
    case 0x80: return "timeout: drive not ready";
    case 0xAA: return "drive not ready";
    default: return "unknown status";
    }
}

void bios_boot_failure_text(u32 status, char *out, size_t len)
{
    if (status == BIOS_BOOT_NO_SIGNATURE)
        ksnprintf(out, len, "its first sector has no boot signature (55 AA at offset 510)");
    else
        ksnprintf(out, len, "the BIOS could not read its first sector (INT 13h status 0x%02x: %s)",
                  status & 0xFF, int13_status_name(status & 0xFF));
}
