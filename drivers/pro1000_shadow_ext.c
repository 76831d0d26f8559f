/*
 * drivers/pro1000_shadow_ext.c - net=pass on the 82574L: its own registers,
 * receive formats and causes (see pro1000_shadow_ext.h; the pure part is
 * pro1000_shadow_ext_hw.c).
 */
#include "drivers/pro1000_shadow_ext.h"
#include "arch/x86/phys.h"
#include "common/base/kprintf.h"
#include "common/lib/kstring.h"

void pro1000_shadow_ext_enable(struct pro1000_shadow *s)
{
    s->ext.on = true;
}

void pro1000_shadow_ext_reset(struct pro1000_shadow *s)
{
    s->ext.rfctl = 0;
    s->ext.mrqc = 0;
    memset(s->ext.rx1, 0, sizeof(s->ext.rx1));
    memset(s->ext.tx1, 0, sizeof(s->ext.tx1));
    s->ext.split_said = false;
}

/* The guest's copy of a queue-1 ring register. */
static u32 *queue1_field(struct pro1000_shadow *s, u32 reg, enum pro1000_vreg r)
{
    if (r == PRO1000_VREG_RX1)
        return &s->ext.rx1[(reg - PRO1000_RDBAL1) / 4];
    return &s->ext.tx1[(reg - PRO1000_TDBAL1) / 4];
}

u32 pro1000_shadow_ext_read(struct pro1000_shadow *s, u32 reg, enum pro1000_vreg r)
{
    switch (r) {
    case PRO1000_VREG_RFCTL: return s->ext.rfctl;
    case PRO1000_VREG_MRQC: return s->ext.mrqc;
    case PRO1000_VREG_RX1: case PRO1000_VREG_TX1: return *queue1_field(s, reg, r);
    default: return (u32)phys_read(s->regs + reg, 4);
    }
}

void pro1000_shadow_ext_write(struct pro1000_shadow *s, u32 reg, enum pro1000_vreg r, u32 value)
{
    switch (r) {
    case PRO1000_VREG_RFCTL:
        s->ext.rfctl = value;
        s->ext.split_said = false;
        phys_write(s->regs + reg, 4, pro1000_rfctl_for_device(value));
        return;
    case PRO1000_VREG_MRQC:
        s->ext.mrqc = value;
        phys_write(s->regs + reg, 4, pro1000_mrqc_for_device(value));
        return;
    case PRO1000_VREG_RX1: case PRO1000_VREG_TX1:
        /* Kept, never served: the device has bookvisor's queue 0 only, and
         * an address here would be one the guest could aim anywhere. */
        *queue1_field(s, reg, r) = value;
        return;
    default:
        phys_write(s->regs + reg, 4, value);
        return;
    }
}

u32 pro1000_shadow_device_rctl(const struct pro1000_shadow *s)
{
    u32 v = s->stack_shares ? pro1000_rctl_for_shared_device(s->rctl)
                            : pro1000_rctl_for_device(s->rctl);

    return s->ext.on ? pro1000_rctl_for_82574l(v) : v;
}

u32 pro1000_shadow_causes(const struct pro1000_shadow *s, u32 causes)
{
    return s->ext.on ? pro1000_causes_82574l(causes) : causes;
}

/* Is the guest's receive ring of packet-split descriptors? Said once, the first
 * time it is found so: when the guest turns receive on (RCTL.EN) or a frame
 * comes, whichever is first, so the refusal is on the console even if no frame
 * ever comes. */
static bool rx_is_split(struct pro1000_shadow *s)
{
    if (!s->ext.on || pro1000_rx_format_of(s->rctl, s->ext.rfctl) != PRO1000_RX_SPLIT)
        return false;
    if (!s->ext.split_said) {
        kprintf("bookvisor: pro1000: %s: the guest's receive ring uses packet-split "
                "descriptors (RCTL.DTYP %u), which the shadow rings do not fill; frames "
                "dropped\n",
                s->name, (s->rctl & PRO1000_RCTL_DTYP) >> 10);
        s->ext.split_said = true;
    }
    return true;
}

void pro1000_shadow_rx_format_note(struct pro1000_shadow *s)
{
    if (s->rctl & PRO1000_RCTL_EN)
        (void)rx_is_split(s);
}

bool pro1000_shadow_rx_format_ok(struct pro1000_shadow *s)
{
    if (!rx_is_split(s))
        return true;
    s->ext.split_refused++;
    return false;
}

u32 pro1000_shadow_rx_room(const struct pro1000_shadow *s)
{
    return s->ext.on ? pro1000_rx_buf_bytes_82574l(s->rctl) : pro1000_rctl_buf_bytes(s->rctl);
}

u32 pro1000_shadow_rx_extend(const struct pro1000_shadow *s, struct pro1000_rx_desc *d)
{
    if (!s->ext.on || pro1000_rx_format_of(s->rctl, s->ext.rfctl) != PRO1000_RX_EXTENDED)
        return 8;
    pro1000_rxd_to_extended(d);
    return 0;
}
