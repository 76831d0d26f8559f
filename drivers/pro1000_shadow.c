/*
 * drivers/pro1000_shadow.c - the guest's register BAR and rings under
 * net=pass (see pro1000_shadow.h; the pure part is pro1000_shadow_hw.c).
 */
#include "drivers/pro1000_shadow.h"
#include "drivers/pro1000_shadow_ext.h"
#include "arch/x86/phys.h"
#include "common/base/clock.h"
#include "common/base/kprintf.h"
#include "common/lib/kstring.h"
#include "pci/pci_mediate.h"

/* How long a reset the guest asked for may take before bookvisor reprograms anyway. */
#define RESET_WAIT_US 100000
/* The I/O window's two registers, and the register offsets IOADDR can name (BAR 0's 128 KiB). */
#define IO_IOADDR 0
#define IO_IODATA 4
#define IOADDR_MASK 0x1FFFCu

void pro1000_shadow_init(struct pro1000_shadow *s, const char *name, u64 regs,
                         const struct pro1000_shadow_ops *ops, void *dev, u8 *frame)
{
    memset(s, 0, sizeof(*s));
    s->frame = frame;
    s->name = name;
    s->regs = regs;
    s->ops = ops;
    s->dev = dev;
}

static void raise_cause(struct pro1000_shadow *s, u32 cause)
{
    /* ICS sets the cause on the device itself: the guest's ICR read and its
     * interrupt line then work exactly as without bookvisor. */
    phys_write(s->regs + PRO1000_ICS, 4, pro1000_shadow_causes(s, cause));
}

/* Is the ring in guest RAM? If not, say so once for this setting of it. */
static bool ring_usable(struct pro1000_shadow *s, const struct pro1000_vring *r, bool *said,
                        const char *which)
{
    u32 n = pro1000_vring_count(r);

    if (n && pci_guest_ram(pro1000_vring_base(r), r->len))
        return true;
    if (!*said) {
        s->count.dma_refused++;
        kprintf("bookvisor: pro1000: %s: the guest's %s ring at 0x%llx (%u bytes) is not in "
                "its RAM or not a ring; refused\n",
                s->name, which, (unsigned long long)pro1000_vring_base(r), r->len);
        *said = true;
    }
    return false;
}

/* A buffer the guest named lies outside its RAM: count it, say the first few. */
static void buffer_refused(struct pro1000_shadow *s, const char *which, u64 addr, u32 len)
{
    if (s->count.dma_refused++ < 4)
        kprintf("bookvisor: pro1000: %s: a guest %s buffer at 0x%llx (%u bytes) is not in "
                "its RAM; refused\n",
                s->name, which, (unsigned long long)addr, len);
}

/* One data descriptor's bytes join the frame being gathered. */
static void gather(struct pro1000_shadow *s, u64 addr, u32 len)
{
    if (s->gather_bad || len == 0)
        return;
    if (len > PRO1000_GATHER_BYTES - s->gathered) {
        s->count.dma_refused++;
        s->gather_bad = true;
        return;
    }
    if (!pci_guest_ram_read(addr, s->frame + s->gathered, len)) {
        buffer_refused(s, "transmit", addr, len);
        s->gather_bad = true;
        return;
    }
    s->gathered += len;
}

/* A frame whose offload cannot be done is dropped: count it, say the first few. */
static void offload_refused(struct pro1000_shadow *s, enum pro1000_offload_result r)
{
    if (s->count.offload_refused++ < 4)
        kprintf("bookvisor: pro1000: %s: a guest frame of %u bytes asks for an offload that "
                "cannot be done (%s); dropped\n",
                s->name, s->gathered, pro1000_offload_result_text(r));
}

/* A segmentation frame goes out as its segments, each a frame of its own. */
static enum pro1000_offload_result send_segments(struct pro1000_shadow *s)
{
    u32 count = 0;
    size_t len = 0;
    enum pro1000_offload_result r = pro1000_tso_check(s->gathered, &s->ctx_tso, &count);

    for (u32 i = 0; r == PRO1000_OFFLOAD_OK && i < count; i++) {
        r = pro1000_tso_segment(s->frame, s->gathered, &s->ctx_tso, s->popts, i, s->segment,
                                sizeof(s->segment), &len);
        if (r == PRO1000_OFFLOAD_OK) {
            s->count.tso_segments++;
            s->ops->guest_send(s->dev, s->segment, len);
        }
    }
    if (r == PRO1000_OFFLOAD_OK)
        s->count.tso_frames++;
    return r;
}

/* The gathered frame is whole: carry out its offloads, send it. */
static void send_gathered(struct pro1000_shadow *s)
{
    enum pro1000_offload_result r;

    s->count.tx_frames++;
    if (s->tse) {
        r = send_segments(s);
    } else {
        r = pro1000_offload_checksums(s->frame, s->gathered, &s->ctx_sum, s->popts);
        if (r == PRO1000_OFFLOAD_OK)
            s->ops->guest_send(s->dev, s->frame, s->gathered);
    }
    if (r != PRO1000_OFFLOAD_OK)
        offload_refused(s, r);
}

/* A context descriptor sets the context its TSE names, for the frames that follow. */
static void take_context(struct pro1000_shadow *s, const struct pro1000_tx_desc *d)
{
    struct pro1000_offload_ctx c;

    pro1000_offload_ctx_parse((const u8 *)d, &c);
    if (c.tucmd & PRO1000_TUCMD_TSE)
        s->ctx_tso = c;
    else
        s->ctx_sum = c;
}

/* The first data descriptor of a frame carries its offloads (extended ones only). */
static void frame_begins(struct pro1000_shadow *s, const struct pro1000_tx_desc *d)
{
    bool extended = d->cmd & PRO1000_TXD_DEXT;

    s->in_frame = true;
    s->popts = extended ? d->css : 0; /* byte 13: POPTS in an extended data descriptor */
    s->tse = extended && (d->cmd & PRO1000_DCMD_TSE);
}

/* The guest moved TDT: send what it handed over, mark it done. */
static void transmit(struct pro1000_shadow *s)
{
    bool any = false;

    /* Tail on head hands nothing over (a driver's set-up writes TDT = 0 so, ring or not). */
    if (s->tx.tail == s->tx.head || !ring_usable(s, &s->tx, &s->tx_refused_said, "transmit"))
        return;
    while (pro1000_vring_pending(&s->tx)) {
        u64 at = pro1000_vring_desc_addr(&s->tx, s->tx.head);
        struct pro1000_tx_desc d;
        u64 addr = 0;
        u32 len = 0;
        bool eop = false;

        if (!pci_guest_ram_read(at, &d, sizeof(d)))
            return; /* the ring was checked: only a change of the map gets here */
        enum pro1000_txd_kind kind = pro1000_txd_parse(&d, &addr, &len, &eop);
        if (kind == PRO1000_TXD_DATA) {
            if (!s->in_frame)
                frame_begins(s, &d);
            gather(s, addr, len);
        } else if (kind == PRO1000_TXD_CONTEXT) {
            take_context(s, &d);
        } else {
            s->gather_bad = true;
        }
        if (kind == PRO1000_TXD_DATA && eop) {
            if (!s->gather_bad && s->gathered)
                send_gathered(s);
            s->gathered = 0;
            s->gather_bad = false;
            s->in_frame = false;
        }
        pro1000_txd_complete(&d);
        pci_guest_ram_write(at + 12, &d.status, 1);
        s->tx.head = pro1000_ring_next(s->tx.head, pro1000_vring_count(&s->tx));
        any = true;
    }
    if (any)
        raise_cause(s, PRO1000_ICR_TXDW);
}

void pro1000_shadow_to_guest(struct pro1000_shadow *s, const u8 *frame, size_t len)
{
    struct pro1000_rx_desc d;

    spin_lock(&s->lock);
    u32 room = pro1000_shadow_rx_room(s);
    bool fcs = !(s->rctl & PRO1000_RCTL_SECRC);
    size_t total = len + (fcs ? 4 : 0);

    if (!(s->rctl & PRO1000_RCTL_EN) || !pro1000_vring_pending(&s->rx)) {
        s->count.rx_no_room++;
        goto out;
    }
    if (!ring_usable(s, &s->rx, &s->rx_refused_said, "receive")) {
        s->count.rx_no_room++;
        goto out;
    }
    if (!pro1000_shadow_rx_format_ok(s))
        goto out;
    u64 at = pro1000_vring_desc_addr(&s->rx, s->rx.head);
    if (!pci_guest_ram_read(at, &d, sizeof(d)))
        goto out;
    if (total > room || total > 0xFFFF) {
        s->count.dma_refused++;
        goto out; /* the descriptor stays the guest's for the next frame */
    }
    u8 tail[4];
    u32 crc = fcs ? pro1000_fcs(frame, len) : 0;
    for (int i = 0; i < 4; i++)
        tail[i] = (u8)(crc >> (8 * i));
    /* The whole buffer is checked first: nothing is written unless all of it may be. */
    if (!pci_guest_ram(d.addr, total)) {
        buffer_refused(s, "receive", d.addr, (u32)total);
        /* Done with an error, so that the guest's driver moves past it. */
        pro1000_rxd_complete(&d, 0);
        d.errors = PRO1000_RXD_RXE;
    } else {
        pci_guest_ram_write(d.addr, frame, len);
        if (fcs)
            pci_guest_ram_write(d.addr + len, tail, 4);
        pro1000_rxd_complete(&d, (u16)total);
        s->count.rx_frames++;
    }
    u32 from = pro1000_shadow_rx_extend(s, &d); /* the guest's format: legacy or extended */
    pci_guest_ram_write(at + from, (const u8 *)&d + from, 16 - from);
    s->rx.head = pro1000_ring_next(s->rx.head, pro1000_vring_count(&s->rx));
    raise_cause(s, PRO1000_ICR_RXT0);
out:
    spin_unlock(&s->lock);
}

/* The device's side of sharing with the stack: its MAC, transmitter and receiver on. */
static void stack_filter_to_device(struct pro1000_shadow *s)
{
    u32 ral, rah;

    pro1000_mac_to_ral(s->stack_mac, &ral, &rah);
    phys_write(s->regs + PRO1000_RAL_STACK, 4, ral);
    phys_write(s->regs + PRO1000_RAH_STACK, 4, rah);
    phys_write(s->regs + PRO1000_TCTL, 4, PRO1000_TCTL_VALUE |
               ((u32)phys_read(s->regs + PRO1000_TCTL, 4) & ~PRO1000_TCTL_VALUE));
    phys_write(s->regs + PRO1000_RCTL, 4, pro1000_shadow_device_rctl(s));
}

void pro1000_shadow_share(struct pro1000_shadow *s, const u8 mac[6])
{
    spin_lock(&s->lock);
    memcpy(s->stack_mac, mac, 6);
    s->stack_shares = true;
    stack_filter_to_device(s);
    spin_unlock(&s->lock);
}

/* The guest's reset resets the rings too: bookvisor's on the device, the guest's view here. */
static void guest_reset(struct pro1000_shadow *s, u32 ctrl)
{
    u64 end = clock_now_us() + RESET_WAIT_US;

    phys_write(s->regs + PRO1000_CTRL, 4, ctrl);
    while ((phys_read(s->regs + PRO1000_CTRL, 4) & PRO1000_CTRL_RST) && clock_now_us() < end)
        ;
    memset(&s->rx, 0, sizeof(s->rx));
    memset(&s->tx, 0, sizeof(s->tx));
    s->rctl = 0;
    s->gathered = 0;
    s->gather_bad = false;
    s->in_frame = false;
    memset(&s->ctx_sum, 0, sizeof(s->ctx_sum));
    memset(&s->ctx_tso, 0, sizeof(s->ctx_tso));
    s->rx_refused_said = s->tx_refused_said = false;
    s->guest_ral15 = s->guest_rah15 = 0; /* the reset clears the entry, as on the device */
    pro1000_shadow_ext_reset(s);
    s->reset_pending = true; /* bookvisor's rings: once the lock is let go (pro1000_shadow.h) */
}

static u32 *ring_field(struct pro1000_shadow *s, enum pro1000_vreg r)
{
    struct pro1000_vring *ring = r >= PRO1000_VREG_TDBAL ? &s->tx : &s->rx;

    switch (r) {
    case PRO1000_VREG_RDBAL: case PRO1000_VREG_TDBAL: return &ring->bal;
    case PRO1000_VREG_RDBAH: case PRO1000_VREG_TDBAH: return &ring->bah;
    case PRO1000_VREG_RDLEN: case PRO1000_VREG_TDLEN: return &ring->len;
    case PRO1000_VREG_RDH: case PRO1000_VREG_TDH: return &ring->head;
    default: return &ring->tail;
    }
}

/* What a read of the virtual dword register r gives. */
static u32 dword_read(struct pro1000_shadow *s, u32 reg, enum pro1000_vreg r)
{
    if (pro1000_vreg_is_ring(r))
        return *ring_field(s, r);
    if (r == PRO1000_VREG_RCTL)
        return s->rctl;
    if (s->stack_shares && r == PRO1000_VREG_RAL_STACK)
        return s->guest_ral15;
    if (s->stack_shares && r == PRO1000_VREG_RAH_STACK)
        return s->guest_rah15;
    if (r >= PRO1000_VREG_RFCTL)
        return pro1000_shadow_ext_read(s, reg, r);
    return (u32)phys_read(s->regs + reg, 4);
}

/* A write of the dword register r, of class other than PASS. */
static void dword_write(struct pro1000_shadow *s, u32 reg, enum pro1000_vreg r, u32 value)
{
    switch (r) {
    case PRO1000_VREG_CTRL:
        if (value & PRO1000_CTRL_RST)
            guest_reset(s, value);
        else
            phys_write(s->regs + reg, 4, value);
        return;
    case PRO1000_VREG_RCTL:
        s->rctl = value;
        phys_write(s->regs + reg, 4, pro1000_shadow_device_rctl(s));
        return;
    case PRO1000_VREG_TCTL:
        /* The stack sends on the same transmitter: the guest cannot switch it off. */
        phys_write(s->regs + reg, 4, value | (s->stack_shares ? PRO1000_TCTL_EN : 0));
        return;
    case PRO1000_VREG_RAL_STACK: case PRO1000_VREG_RAH_STACK:
        /* The stack's entry: the guest keeps its own value, the device the stack's MAC. */
        if (!s->stack_shares)
            phys_write(s->regs + reg, 4, value);
        else if (r == PRO1000_VREG_RAL_STACK)
            s->guest_ral15 = value;
        else
            s->guest_rah15 = value;
        return;
    case PRO1000_VREG_RFCTL: case PRO1000_VREG_MRQC: case PRO1000_VREG_RX1:
    case PRO1000_VREG_TX1:
        pro1000_shadow_ext_write(s, reg, r, value);
        return;
    case PRO1000_VREG_RDBAL: case PRO1000_VREG_TDBAL:
        value &= ~0xFu; /* the device ignores the low four bits */
        break;
    case PRO1000_VREG_RDLEN: case PRO1000_VREG_TDLEN:
        value &= 0xFFF80u; /* bits 19:7, as the device keeps them */
        break;
    case PRO1000_VREG_RDH: case PRO1000_VREG_RDT: case PRO1000_VREG_TDH: case PRO1000_VREG_TDT:
        value &= 0xFFFFu;
        break;
    default:
        break;
    }
    *ring_field(s, r) = value;
    /* A new base or length is a new setting: its refusal is said again. */
    if (r == PRO1000_VREG_TDBAL || r == PRO1000_VREG_TDBAH || r == PRO1000_VREG_TDLEN)
        s->tx_refused_said = false;
    if (r == PRO1000_VREG_RDBAL || r == PRO1000_VREG_RDBAH || r == PRO1000_VREG_RDLEN)
        s->rx_refused_said = false;
    if (r == PRO1000_VREG_TDT)
        transmit(s);
    else if (r == PRO1000_VREG_RDT && s->rx.tail != s->rx.head)
        (void)ring_usable(s, &s->rx, &s->rx_refused_said, "receive");
}

/* One piece of at most a dword, inside one register. */
static void piece(struct pro1000_shadow *s, u32 offset, u8 size, bool write, u64 *value)
{
    u32 reg = offset & ~3u, shift = (offset & 3) * 8;
    enum pro1000_vreg r = s->ext.on ? pro1000_vreg_of_82574l(reg) : pro1000_vreg_of(reg);
    u32 mask = size == 4 ? ~0u : ((1u << (8 * size)) - 1) << shift;

    if (r == PRO1000_VREG_PASS) {
        if (write)
            phys_write(s->regs + offset, size, *value);
        else
            *value = phys_read(s->regs + offset, size);
        return;
    }
    if (!write) {
        *value = (dword_read(s, reg, r) & mask) >> shift;
        return;
    }
    /* A narrow write keeps the register's other bytes. */
    u32 merged = (dword_read(s, reg, r) & ~mask) | (((u32)*value << shift) & mask);
    dword_write(s, reg, r, merged);
}

void pro1000_shadow_access(struct pro1000_shadow *s, u64 offset, u8 size, bool write, u64 *value)
{
    bool reset;

    /* The guest asks what happened: first let bookvisor's ring deliver what
     * has arrived, so that a frame behind RXT0 is in the guest's ring when it
     * looks (and a guest that waits for its interrupt needs no other exit).
     * Under MSI-X an 82574L's guest reads no ICR: it unmasks its queue's cause
     * in IMS when its ring is empty, and that is when bookvisor looks. */
    if ((!write && (offset & ~3ULL) == PRO1000_ICR) ||
        (write && s->ext.on && (offset & ~3ULL) == PRO1000_IMS))
        s->ops->poll(s->dev);
    spin_lock(&s->lock);
    if (size == 8) {
        /* Two registers: the low dword first, as the device takes a quadword. */
        u64 lo = *value & 0xFFFFFFFFu, hi = *value >> 32;
        piece(s, (u32)offset, 4, write, &lo);
        piece(s, (u32)offset + 4, 4, write, &hi);
        if (!write)
            *value = (lo & 0xFFFFFFFFu) | hi << 32;
    } else {
        piece(s, (u32)offset, size, write, value);
    }
    reset = s->reset_pending;
    s->reset_pending = false;
    spin_unlock(&s->lock);
    if (!reset)
        return;
    s->ops->rings_lost(s->dev);
    /* The stack's filter and enables after the rings: the receiver needs a ring. */
    spin_lock(&s->lock);
    if (s->stack_shares)
        stack_filter_to_device(s);
    spin_unlock(&s->lock);
}

void pro1000_shadow_io(struct pro1000_shadow *s, u32 offset, u8 size, bool write, u32 *value)
{
    u64 data;
    u32 reg;

    if (size != 4 || (offset != IO_IOADDR && offset != IO_IODATA)) {
        if (!write)
            *value = size == 4 ? ~0u : (1u << (8 * size)) - 1;
        return;
    }
    spin_lock(&s->lock);
    if (offset == IO_IOADDR) {
        if (write)
            s->ioaddr = *value & IOADDR_MASK;
        else
            *value = s->ioaddr;
        spin_unlock(&s->lock);
        return;
    }
    reg = s->ioaddr;
    spin_unlock(&s->lock);
    data = *value;
    pro1000_shadow_access(s, reg, 4, write, &data);
    if (!write)
        *value = (u32)data;
}
