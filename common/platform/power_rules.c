/*
 * common/platform/power_rules.c - recognising sleep and reset requests in guest writes.
 */
#include "common/platform/power_rules.h"

bool io_write_merge(u16 reg_port, u8 reg_len, u32 current, u16 port, u8 size, u32 value,
                    u32 *out)
{
    bool touched = false;
    u32 merged = current;
    for (u8 i = 0; i < size; i++) {
        u32 at = (u32)port + i;
        if (at < reg_port || at >= (u32)reg_port + reg_len)
            continue;
        unsigned shift = 8 * (at - reg_port);
        merged = (merged & ~(0xFFu << shift)) | (((value >> (8 * i)) & 0xFF) << shift);
        touched = true;
    }
    *out = merged;
    return touched;
}

int pm1_sleep_state(const struct acpi_power_info *pi, bool block_b, u32 cnt)
{
    if (!(cnt & PM1_CNT_SLP_EN))
        return 0;
    u16 typ = (cnt >> PM1_CNT_SLP_TYP_SHIFT) & 7;
    const u16 *types = block_b ? pi->slp_typ_b : pi->slp_typ_a;
    /* The deepest state first: where firmware gives two states one type
     * (some give S4 and S5 the same), the safe reading is the power-off. */
    for (int n = ACPI_SLEEP_STATES - 1; n >= 1; n--)
        if (((pi->sleep_found >> n) & 1) && types[n] == typ)
            return n;
    return -1;
}

bool io_lane_byte(u16 port, u8 size, u32 value, u16 lane, u8 *byte)
{
    if (lane < port || (u32)lane >= (u32)port + size)
        return false;
    *byte = (u8)(value >> (8 * (lane - port)));
    return true;
}

bool io_is_pci_config_address(u16 port, u8 size)
{
    return port == 0xCF8 && size == 4;
}

bool cf9_write_resets(u8 value)
{
    return (value & 0x04) != 0;
}

bool port92_write_resets(u8 before, u8 value)
{
    return !(before & 1) && (value & 1);
}

bool kbc_write_resets(struct kbc_watch *w, u16 port, u8 value)
{
    if (port == 0x64) {
        w->output_port_next = value == 0xD1;
        return value >= 0xF0 && !(value & 1);
    }
    if (port == 0x60 && w->output_port_next) {
        w->output_port_next = false;
        return !(value & 1);
    }
    return false;
}
