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

/* The frame is whole: count it, carry out its checksums, and say what it becomes on the wire. */
static void frame_ends(struct pro1000_shadow *s, const struct pro1000_tx_desc *last)
{
    enum pro1000_offload_result r = PRO1000_OFFLOAD_OK;
    struct pro1000_offload_ctx legacy;
    u32 count = 1;

    s->tx_held = true;
    s->held_sends = 0;
    s->held_sent = 0;
    if (s->gather_bad || s->gathered == 0)
        return;
    s->count.tx_frames++;
    if (s->tse)
        r = pro1000_tso_check(s->gathered, &s->ctx_tso, &count);
    else if (pro1000_txd_legacy_checksum(last, &legacy))
        r = pro1000_offload_checksums(s->frame, s->gathered, &legacy, PRO1000_POPTS_TXSM);
    else
        r = pro1000_offload_checksums(s->frame, s->gathered, &s->ctx_sum, s->popts);
    if (r != PRO1000_OFFLOAD_OK) {
        offload_refused(s, r);
        return;
    }
    if (s->tse)
        s->count.tso_frames++;
    s->held_sends = count;
}

/*
 * Gather the frame that starts at the guest's TDH, reading its descriptors
 * but leaving them the guest's: false when its last descriptor has not been
 * handed over yet. A context descriptor, or one of a type the device does
 * not know, at TDH is a unit of its own (so that nonsense cannot stop the
 * ring); inside a frame the latter spoils the frame.
 */
static bool take_frame(struct pro1000_shadow *s)
{
    u32 n = pro1000_vring_count(&s->tx), at = s->tx.head;

    s->gathered = 0;
    s->gather_bad = false;
    s->in_frame = false;
    for (u32 i = 0; i < pro1000_vring_pending(&s->tx); i++, at = pro1000_ring_next(at, n)) {
        struct pro1000_tx_desc d;
        u64 addr = 0;
        u32 len = 0;
        bool eop = false;

        if (!pci_guest_ram_read(pro1000_vring_desc_addr(&s->tx, at), &d, sizeof(d)))
            return false; /* the ring was checked: only a change of the map gets here */
        enum pro1000_txd_kind kind = pro1000_txd_parse(&d, &addr, &len, &eop);
        s->held_descs = i + 1;
        if (kind != PRO1000_TXD_DATA) {
            if (kind == PRO1000_TXD_CONTEXT)
                take_context(s, &d);
            else
                s->gather_bad = true;
            if (!s->in_frame) {
                frame_ends(s, &d); /* nothing gathered: nothing to send */
                return true;
            }
            continue;
        }
        if (!s->in_frame)
            frame_begins(s, &d);
        gather(s, addr, len);
        if (eop) {
            frame_ends(s, &d);
            return true;
        }
    }
    return false;
}

/* Send what is left of the held frame while bookvisor's ring has room; false if it ran out. */
static bool send_held(struct pro1000_shadow *s)
{
    while (s->held_sent < s->held_sends) {
        const u8 *out = s->frame;
        size_t len = s->gathered;

        if (s->tse) {
            enum pro1000_offload_result r =
                pro1000_tso_segment(s->frame, s->gathered, &s->ctx_tso, s->popts, s->held_sent,
                                    s->segment, sizeof(s->segment), &len);
            if (r != PRO1000_OFFLOAD_OK) {
                offload_refused(s, r); /* the rest of the frame is dropped */
                return true;
            }
            out = s->segment;
        }
        /* The room it is given is kept for it until guest_send() returns (pro1000.c). */
        if (s->ops->tx_room(s->dev) == 0)
            return false;
        if (s->tse)
            s->count.tso_segments++;
        s->ops->guest_send(s->dev, out, len);
        s->held_sent++;
    }
    return true;
}

/* The held frame is gone: its descriptors are done, DD where RS asks. True if any asked. */
static bool held_done(struct pro1000_shadow *s)
{
    u32 n = pro1000_vring_count(&s->tx);
    bool reported = false;

    for (u32 i = 0; i < s->held_descs; i++) {
        u64 at = pro1000_vring_desc_addr(&s->tx, s->tx.head);
        struct pro1000_tx_desc d;

        if (pci_guest_ram_read(at, &d, sizeof(d)) && pro1000_txd_reports(&d)) {
            pro1000_txd_complete(&d);
            pci_guest_ram_write(at + 12, &d.status, 1);
            reported = true;
        }
        s->tx.head = pro1000_ring_next(s->tx.head, n);
    }
    s->tx_held = false;
    return reported;
}

/* Forget a held frame (the guest moved its ring or its head under it). */
static void drop_held(struct pro1000_shadow *s)
{
    s->tx_held = false;
    s->gathered = 0;
    s->gather_bad = false;
    s->in_frame = false;
}

/*
 * Send every whole frame the guest handed over. A frame that finds
 * bookvisor's transmit ring full stays in the guest's ring, TDH on its first
 * descriptor, as a device leaves a frame it has not sent yet; the next TDT
 * write or pro1000_shadow_tx_retry() goes on where it stopped.
 */
static void transmit(struct pro1000_shadow *s)
{
    bool reported = false;

    /* Tail on head hands nothing over (a driver's set-up writes TDT = 0 so, ring or not). */
    if (s->tx.tail == s->tx.head || !ring_usable(s, &s->tx, &s->tx_refused_said, "transmit"))
        return;
    while (s->tx_held || take_frame(s)) {
        if (!send_held(s)) {
            s->count.tx_waits++;
            break;
        }
        reported |= held_done(s);
    }
    /* TXDW: a descriptor with RS was written back. Raised at once: bookvisor
     * does not model the delay timers (IDE, TIDV, TADV; chapter 09). */
    if (reported)
        raise_cause(s, PRO1000_ICR_TXDW);
}

void pro1000_shadow_tx_retry(struct pro1000_shadow *s)
{
    spin_lock(&s->lock);
    if (s->tx_held)
        transmit(s);
    spin_unlock(&s->lock);
}

/* A frame for a guest receive buffer that is not its RAM: its descriptors come back with RXE. */
static void to_guest_refused(struct pro1000_shadow *s, u32 descs, u64 addr, u32 len)
{
    u32 n = pro1000_vring_count(&s->rx);
    struct pro1000_rx_desc d;

    buffer_refused(s, "receive", addr, len);
    for (u32 i = 0; i < descs; i++) {
        u64 at = pro1000_vring_desc_addr(&s->rx, s->rx.head);
        if (!pci_guest_ram_read(at, &d, sizeof(d)))
            return;
        /* Done with an error and no bytes, so that the guest's driver moves past it. */
        pro1000_rxd_complete_piece(&d, 0, i + 1 == descs);
        d.errors = PRO1000_RXD_RXE;
        u32 wb = pro1000_shadow_rx_extend(s, &d); /* the guest's format: legacy or extended */
        pci_guest_ram_write(at + wb, (const u8 *)&d + wb, 16 - wb);
        s->rx.head = pro1000_ring_next(s->rx.head, n);
    }
}

/*
 * Put a frame of len bytes (and its CRC, when the guest keeps it) into
 * descs descriptors from RDH on, buf bytes in each but the last. Every
 * buffer is checked before a byte is written: a frame lands whole or not
 * at all.
 */
static bool to_guest_pieces(struct pro1000_shadow *s, const u8 *frame, size_t len, bool fcs,
                            u32 descs, u32 buf)
{
    u32 n = pro1000_vring_count(&s->rx), total = (u32)len + (fcs ? 4 : 0), at = s->rx.head;
    struct pro1000_rx_desc d;
    u8 tail[4];

    for (u32 i = 0; i < descs; i++, at = pro1000_ring_next(at, n)) {
        u32 piece = i + 1 < descs ? buf : total - i * buf;
        if (!pci_guest_ram_read(pro1000_vring_desc_addr(&s->rx, at), &d, sizeof(d)))
            return false;
        if (!pci_guest_ram(d.addr, piece)) {
            to_guest_refused(s, descs, d.addr, piece);
            return false;
        }
    }
    u32 crc = fcs ? pro1000_fcs(frame, len) : 0;
    for (int i = 0; i < 4; i++)
        tail[i] = (u8)(crc >> (8 * i));
    for (u32 i = 0; i < descs; i++) {
        u64 at_desc = pro1000_vring_desc_addr(&s->rx, s->rx.head);
        u32 from = i * buf, piece = i + 1 < descs ? buf : total - from;
        if (!pci_guest_ram_read(at_desc, &d, sizeof(d)))
            return false;
        /* The frame's bytes in this piece, then what of the CRC falls in it. */
        u32 data = from >= len ? 0 : (u32)(len - from < piece ? len - from : piece);
        pci_guest_ram_write(d.addr, frame + from, data);
        if (data < piece)
            pci_guest_ram_write(d.addr + data, tail + (from + data - len), piece - data);
        pro1000_rxd_complete_piece(&d, (u16)piece, i + 1 == descs);
        u32 wb = pro1000_shadow_rx_extend(s, &d); /* the guest's format: legacy or extended */
        pci_guest_ram_write(at_desc + wb, (const u8 *)&d + wb, 16 - wb);
        s->rx.head = pro1000_ring_next(s->rx.head, n);
    }
    return true;
}

void pro1000_shadow_to_guest(struct pro1000_shadow *s, const u8 *frame, size_t len)
{
    spin_lock(&s->lock);
    u32 buf = pro1000_shadow_rx_room(s);
    bool fcs = !(s->rctl & PRO1000_RCTL_SECRC);
    size_t total = len + (fcs ? 4 : 0);
    u32 descs = total > 0xFFFF ? 0 : pro1000_rx_descs_for((u32)total, buf);

    if (!(s->rctl & PRO1000_RCTL_EN) || !pro1000_vring_pending(&s->rx) ||
        !ring_usable(s, &s->rx, &s->rx_refused_said, "receive")) {
        s->count.rx_no_room++;
    } else if (!pro1000_shadow_rx_format_ok(s)) {
        /* packet split on an 82574L: counted and said there */
    } else if (descs == 0) {
        s->count.dma_refused++; /* a reserved buffer size: no descriptor can take it */
    } else if (pro1000_vring_pending(&s->rx) < descs) {
        /* Not all the room it needs: dropped whole, never half-written. */
        s->count.rx_no_room++;
    } else {
        if (to_guest_pieces(s, frame, len, fcs, descs, buf))
            s->count.rx_frames++;
        /* RXT0 at once: bookvisor does not model the delay timers (RDTR, RADV; chapter 09). */
        raise_cause(s, PRO1000_ICR_RXT0);
    }
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
    drop_held(s);
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
        pro1000_shadow_rx_format_note(s);
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
    /* A held frame's descriptors were counted from the old head, in the old ring. */
    if (r == PRO1000_VREG_TDBAL || r == PRO1000_VREG_TDBAH || r == PRO1000_VREG_TDLEN ||
        r == PRO1000_VREG_TDH)
        drop_held(s);
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
