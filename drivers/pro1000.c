/*
 * drivers/pro1000.c - the 82540EM and 82574L owned by bookvisor: reset, MAC, rings,
 * receive and transmit, polled or woken by the device's MSI (see pro1000.h;
 * the pure part is pro1000_hw.c).
 */
#include "drivers/pro1000.h"
#include "arch/x86/percpu.h"
#include "arch/x86/phys.h"
#include "common/base/clock.h"
#include "common/base/kprintf.h"
#include "common/base/mem.h"
#include "common/base/options.h"
#include "common/lib/format.h"
#include "common/lib/kstring.h"
#include "drivers/nic_sink.h"
#include "drivers/pro1000_hw.h"
#include "drivers/pro1000_shadow.h"
#include "drivers/pro1000_shadow_ext.h"
#include "drivers/pro1000_shadow_hw.h"
#include "pci/pci_cfgspace.h"
#include "pci/pci_irq.h"

/* Devices one boot can own; more are refused. */
#define PRO1000_MAX 4
/* Pages for the buffers: 2 rings x 32 x 2048 bytes = 128 KiB = 2^5 pages. */
#define PRO1000_BUF_ORDER 5
/* Pages for the guest's frame under pass: PRO1000_GATHER_BYTES = 2^4 pages. */
#define PRO1000_GATHER_ORDER 4
/* The causes that wake the network thread: a frame came, the ring runs low,
 * a frame was lost for want of room. Transmit needs none: send() reclaims. */
#define PRO1000_RX_CAUSES (PRO1000_ICR_RXT0 | PRO1000_ICR_RXDMT0 | PRO1000_ICR_RXO)

struct pro1000 {
    struct pci_device *dev;
    char name[16];
    u8 mac[6];
    u64 regs;                      /* BAR 0, physical */
    struct pro1000_rx_desc *rx;    /* the receive ring */
    struct pro1000_tx_desc *tx;    /* the transmit ring */
    u64 rx_ring_pa, tx_ring_pa;
    u64 buf_pa;                    /* receive buffers, then transmit buffers */
    u32 rx_next;                   /* the next receive descriptor to look at */
    u32 tx_tail;                   /* the next transmit descriptor to fill */
    u32 tx_clean;                  /* the oldest transmit descriptor not yet seen done */
    u32 tx_told;                   /* the TDT the device was last given */
    bool tx_hold;                  /* test.pro1000_tx_hold: TDT written only by the poll */
    /* Shared with bookvisor's sends (ippass's stack, tty=1's log): the CPU whose
     * guest frame was just promised room (shadow_tx_room()); other CPUs' sends
     * leave it one descriptor. */
    const struct cpu *tx_promised_to;
    void *up;                      /* the sink's handle */
    u64 rx_dropped;                /* frames the device marked bad or split */
    bool shared;                   /* the guest keeps the device: its rings are mediated */
    /* Shared, the guest's exits reach the rings too (its TDT writes, ICR
     * reads, resets), on any vCPU, beside the network thread. Order: the
     * shadow's lock before tx_lock; rx_lock before the shadow's. */
    struct spinlock rx_lock;       /* rx ring, rx_next, rx_dropped */
    struct spinlock tx_lock;       /* tx ring, tx_tail, tx_clean */
    struct pro1000_shadow shadow;  /* the guest's view, when shared */
    const struct pro1000_model *model; /* 82540EM or 82574L */
    struct pci_mediator mediator;  /* BAR 0 and the I/O window, when shared */
    int vector;                    /* the VMM vector of its MSI, or -1: polled only */
    u64 interrupts;                /* MSIs taken (written by the handler alone) */
    u8 stack_mac[6];               /* bookvisor's stack's MAC under ippass */
    bool stack_shares;             /* the sink asked for it (nic_offer.accept_mac) */
    bool vmm_sends;                /* bookvisor sends beside the guest: ippass, or tty=1 */
};

static struct pro1000 nics[PRO1000_MAX];
static u32 nnics;

static u32 reg_read(const struct pro1000 *p, u32 reg)
{
    return (u32)phys_read(p->regs + reg, 4);
}

static void reg_write(const struct pro1000 *p, u32 reg, u32 value)
{
    phys_write(p->regs + reg, 4, value);
}

static u64 rx_buf_pa(const struct pro1000 *p, u32 i)
{
    return p->buf_pa + (u64)i * PRO1000_RX_BUF_BYTES;
}

static u64 tx_buf_pa(const struct pro1000 *p, u32 i)
{
    return p->buf_pa + (u64)(PRO1000_RING_SIZE + i) * PRO1000_RX_BUF_BYTES;
}

/* Busy-wait up to us microseconds for (reg & mask) == want. */
static bool wait_reg(const struct pro1000 *p, u32 reg, u32 mask, u32 want, u64 us, u32 *last)
{
    u64 end = clock_now_us() + us;
    u32 v;

    do {
        v = reg_read(p, reg);
        if ((v & mask) == want)
            break;
    } while (clock_now_us() < end);
    if (last)
        *last = v;
    return (v & mask) == want;
}

/* The MAC: EEPROM words 0-2 by EERD; RAL0/RAH0 if the EEPROM does not answer. */
static bool read_mac(struct pro1000 *p)
{
    u16 words[3];
    u32 eerd;

    for (u8 i = 0; i < 3; i++) {
        reg_write(p, PRO1000_EERD, pro1000_eerd_start(p->model, i));
        if (!wait_reg(p, PRO1000_EERD, p->model->eerd_done, p->model->eerd_done, 10000, &eerd) ||
            !pro1000_eerd_word(p->model, eerd, &words[i]))
            return pro1000_mac_from_ral(reg_read(p, PRO1000_RAL0), reg_read(p, PRO1000_RAH0),
                                        p->mac);
    }
    pro1000_mac_from_eeprom(words, p->mac);
    return true;
}

/* Give the device bookvisor's rings, both empty (at start, and after a reset by the guest). */
static void program_rings(struct pro1000 *p)
{
    for (u32 i = 0; i < PRO1000_RING_SIZE; i++)
        pro1000_rx_reset(&p->rx[i], rx_buf_pa(p, i));
    reg_write(p, PRO1000_RDBAL, (u32)p->rx_ring_pa);
    reg_write(p, PRO1000_RDBAH, (u32)(p->rx_ring_pa >> 32));
    reg_write(p, PRO1000_RDLEN, PRO1000_RING_SIZE * sizeof(struct pro1000_rx_desc));
    reg_write(p, PRO1000_RDH, 0);
    /* Every descriptor but one is the device's: head == tail would mean none. */
    reg_write(p, PRO1000_RDT, PRO1000_RING_SIZE - 1);
    p->rx_next = 0;

    memset(p->tx, 0, PRO1000_RING_SIZE * sizeof(struct pro1000_tx_desc));
    reg_write(p, PRO1000_TDBAL, (u32)p->tx_ring_pa);
    reg_write(p, PRO1000_TDBAH, (u32)(p->tx_ring_pa >> 32));
    reg_write(p, PRO1000_TDLEN, PRO1000_RING_SIZE * sizeof(struct pro1000_tx_desc));
    reg_write(p, PRO1000_TDH, 0);
    reg_write(p, PRO1000_TDT, 0);
    p->tx_tail = p->tx_clean = p->tx_told = 0;
}

/* Reset, then set up rings, address filter and both directions; interrupts stay masked. */
static bool bring_up(struct pro1000 *p, const char *slot)
{
    u32 ral, rah;

    reg_write(p, PRO1000_IMC, ~0u);
    reg_write(p, PRO1000_CTRL, reg_read(p, PRO1000_CTRL) | PRO1000_CTRL_RST);
    /* The manual asks for a wait of at least 1 us before the next access. */
    u64 until = clock_now_us() + 10;
    while (clock_now_us() < until)
        ;
    if (!wait_reg(p, PRO1000_CTRL, PRO1000_CTRL_RST, 0, 100000, NULL)) {
        kprintf("bookvisor: pro1000: %s: the reset did not finish\n", slot);
        return false;
    }
    reg_write(p, PRO1000_IMC, ~0u);
    (void)reg_read(p, PRO1000_ICR);
    reg_write(p, PRO1000_CTRL, reg_read(p, PRO1000_CTRL) | PRO1000_CTRL_SLU | PRO1000_CTRL_ASDE);
    if (!read_mac(p)) {
        kprintf("bookvisor: pro1000: %s: no MAC address (EEPROM silent, RAL0 not valid)\n", slot);
        return false;
    }
    pro1000_mac_to_ral(p->mac, &ral, &rah);
    reg_write(p, PRO1000_RAL0, ral);
    reg_write(p, PRO1000_RAH0, rah);
    for (u32 i = 0; i < 128; i++)
        reg_write(p, PRO1000_MTA + 4 * i, 0);

    program_rings(p);
    reg_write(p, PRO1000_TIPG, PRO1000_TIPG_VALUE);
    reg_write(p, PRO1000_TCTL, PRO1000_TCTL_VALUE);
    /* Once: QEMU's e1000 drops what arrives for about a second after each RCTL write. */
    reg_write(p, PRO1000_RCTL, PRO1000_RCTL_VALUE);
    return true;
}

/* Reclaim what the device has sent; the descriptors free in the transmit ring (tx_lock held). */
static u32 tx_free_locked(struct pro1000 *p)
{
    while (p->tx_clean != p->tx_tail && pro1000_tx_done(&p->tx[p->tx_clean]))
        p->tx_clean = pro1000_ring_next(p->tx_clean, PRO1000_RING_SIZE);
    return pro1000_ring_free(p->tx_clean, p->tx_tail, PRO1000_RING_SIZE);
}

/* Tell the device of every filled descriptor (tx_lock held). */
static void tx_tell_locked(struct pro1000 *p)
{
    /* The descriptors are in memory before the device is told: x86 keeps stores in order. */
    __asm__ volatile("" ::: "memory");
    if (p->tx_told != p->tx_tail)
        reg_write(p, PRO1000_TDT, p->tx_tail);
    p->tx_told = p->tx_tail;
}

/* pro1000_send() with tx_lock held. */
static int send_locked(struct pro1000 *p, const u8 *frame, size_t len)
{
    u32 kept = p->tx_promised_to && p->tx_promised_to != this_cpu() ? 1 : 0;

    if (tx_free_locked(p) <= kept)
        return -1;
    memcpy(phys_to_virt(tx_buf_pa(p, p->tx_tail)), frame, len);
    pro1000_tx_fill(&p->tx[p->tx_tail], tx_buf_pa(p, p->tx_tail), (u16)len);
    p->tx_tail = pro1000_ring_next(p->tx_tail, PRO1000_RING_SIZE);
    /* Held for the test: a device that is slow to send, whose ring therefore fills. */
    if (!p->tx_hold)
        tx_tell_locked(p);
    return 0;
}

/* pro1000_poll() with rx_lock held. */
static void poll_locked(struct pro1000 *p)
{
    const struct nic_sink *sink = nic_sink_get();

    for (u32 budget = PRO1000_RING_SIZE; budget; budget--) {
        struct pro1000_rx_desc *d = &p->rx[p->rx_next];
        u16 len = 0;
        enum pro1000_rx_result r = pro1000_rx_parse(d, &len);

        if (r == PRO1000_RX_EMPTY)
            break;
        __asm__ volatile("" ::: "memory");
        if (r == PRO1000_RX_FRAME && sink && p->up)
            sink->receive(p->up, phys_to_virt(rx_buf_pa(p, p->rx_next)), len);
        else if (r != PRO1000_RX_FRAME)
            p->rx_dropped++;
        pro1000_rx_reset(d, rx_buf_pa(p, p->rx_next));
        __asm__ volatile("" ::: "memory");
        /* This descriptor becomes the one the device must not reach. */
        reg_write(p, PRO1000_RDT, p->rx_next);
        p->rx_next = pro1000_ring_next(p->rx_next, PRO1000_RING_SIZE);
    }
}

static int pro1000_send(void *ctx, const u8 *frame, size_t len)
{
    struct pro1000 *p = ctx;
    int sent;

    if (len == 0 || len > PRO1000_RX_BUF_BYTES)
        return -1;
    spin_lock(&p->tx_lock);
    sent = send_locked(p, frame, len);
    spin_unlock(&p->tx_lock);
    return sent;
}

/*
 * Hand every filled receive descriptor up, then give it back to the device.
 * Shared, also send the guest's frames that waited for room in the
 * transmit ring (the shadow's lock, then tx_lock: after rx_lock is let go).
 */
static void pro1000_poll(void *ctx)
{
    struct pro1000 *p = ctx;

    spin_lock(&p->rx_lock);
    poll_locked(p);
    spin_unlock(&p->rx_lock);
    if (p->tx_hold) {
        spin_lock(&p->tx_lock);
        tx_tell_locked(p);
        spin_unlock(&p->tx_lock);
    }
    if (p->shared)
        pro1000_shadow_tx_retry(&p->shadow);
}

/* net=pass: the guest's frames and its register accesses (pro1000_shadow.c). */
static void shadow_rings_lost(void *dev)
{
    struct pro1000 *p = dev;

    spin_lock(&p->rx_lock);
    spin_lock(&p->tx_lock);
    program_rings(p);
    spin_unlock(&p->tx_lock);
    spin_unlock(&p->rx_lock);
}

static void shadow_poll(void *dev)
{
    pro1000_poll(dev);
}

static void shadow_guest_send(void *dev, const u8 *frame, size_t len)
{
    const struct nic_sink *sink = nic_sink_get();
    struct pro1000 *p = dev;

    if (sink && p->up)
        sink->guest_send(p->up, frame, len);
    if (p->vmm_sends) {
        spin_lock(&p->tx_lock);
        p->tx_promised_to = NULL;
        spin_unlock(&p->tx_lock);
    }
}

/*
 * Room for the guest's next frame. Under ippass the network thread's stack
 * sends on the same ring, maybe on another CPU, and so does the log under
 * `pass, tty=1`: the descriptor promised here
 * stays this CPU's until shadow_guest_send() is done (the shadow's lock lets
 * one guest frame at a time through), so the frame cannot find it gone.
 */
static u32 shadow_tx_room(void *dev)
{
    struct pro1000 *p = dev;
    u32 room;

    spin_lock(&p->tx_lock);
    room = tx_free_locked(p);
    if (room && p->vmm_sends)
        p->tx_promised_to = this_cpu();
    spin_unlock(&p->tx_lock);
    return room;
}

static void pro1000_to_guest(void *ctx, const u8 *frame, size_t len)
{
    struct pro1000 *p = ctx;

    pro1000_shadow_to_guest(&p->shadow, frame, len);
}

/* ippass: kept until the shadow exists, which puts it into the device (pro1000_shadow_share()). */
static void pro1000_accept_mac(void *ctx, const u8 mac[6])
{
    struct pro1000 *p = ctx;

    memcpy(p->stack_mac, mac, 6);
    p->stack_shares = true;
}

static void pro1000_status(void *ctx, char *line, size_t size)
{
    const struct pro1000 *p = ctx;
    const struct pro1000_shadow_counts *c = &p->shadow.count;

    if (!p->shared && p->vector >= 0) {
        ksnprintf(line, size, "device: rx-dropped=%llu, MSI on vector 0x%x: irq=%llu",
                  (unsigned long long)p->rx_dropped, (unsigned)p->vector,
                  (unsigned long long)__atomic_load_n(&p->interrupts, __ATOMIC_RELAXED));
        return;
    }
    if (!p->shared) {
        ksnprintf(line, size, "device: rx-dropped=%llu, polled", (unsigned long long)p->rx_dropped);
        return;
    }
    ksnprintf(line, size, "shadow rings: tx=%llu rx=%llu rx-no-room=%llu dma-refused=%llu "
              "rx-dropped=%llu tso=%llu segments=%llu offload-refused=%llu tx-waits=%llu",
              (unsigned long long)c->tx_frames, (unsigned long long)c->rx_frames,
              (unsigned long long)c->rx_no_room, (unsigned long long)c->dma_refused,
              (unsigned long long)p->rx_dropped, (unsigned long long)c->tso_frames,
              (unsigned long long)c->tso_segments, (unsigned long long)c->offload_refused,
              (unsigned long long)c->tx_waits);
    size_t used = strlen(line);
    if (p->shadow.ext.on && used < size) /* the 82574L's one refusal more */
        ksnprintf(line + used, size - used, " split-refused=%llu",
                  (unsigned long long)p->shadow.ext.split_refused);
}

static void pro1000_bar_access(void *driver_data, u64 offset, u8 size, bool write, u64 *value)
{
    struct pro1000 *p = driver_data;

    pro1000_shadow_access(&p->shadow, offset, size, write, value);
}

static const struct pro1000_shadow_ops shadow_ops = { shadow_rings_lost, shadow_poll,
                                                      shadow_guest_send, shadow_tx_room };
static void pro1000_io_access(void *driver_data, u32 offset, u8 size, bool write, u32 *value)
{
    struct pro1000 *p = driver_data;

    pro1000_shadow_io(&p->shadow, offset, size, write, value);
}

/* BAR 0, and the I/O window wherever the device has it (QEMU: BAR 1; some parts: BAR 2 or 4). */
static void mediator_init(struct pro1000 *p)
{
    const struct pci_function *fn = &p->dev->fn;

    p->mediator = (struct pci_mediator){ .bar = 0, .access = pro1000_bar_access };
    for (u32 i = 1; i < fn->nbars; i++) {
        if (fn->bars[i].kind == PCI_BAR_IO) {
            p->mediator.io_bar = i;
            p->mediator.io_access = pro1000_io_access;
            break;
        }
    }
}

/*
 * The device's MSI, in an interrupt window: acknowledge and wake the network
 * thread. The rings stay the thread's alone: no lock, no race with its poll.
 */
static void pro1000_interrupt(void *ctx, u8 vector)
{
    struct pro1000 *p = ctx;
    const struct nic_sink *sink = nic_sink_get();

    (void)vector;
    /* Reading ICR clears the causes (IAME, start_interrupts()): the device may send the next MSI. */
    (void)reg_read(p, PRO1000_ICR);
    __atomic_add_fetch(&p->interrupts, 1, __ATOMIC_RELAXED);
    if (sink && sink->wake && p->up)
        sink->wake(p->up);
}

/* A hidden device with an MSI capability interrupts bookvisor; any other is polled. */
static void start_interrupts(struct pro1000 *p, const char *msi)
{
    p->vector = -1;
    /* msi=yes where it cannot be: said, and the device works as without it. */
    if (msi && strcmp(msi, "yes") == 0 && (p->shared || !p->dev->fn.cap_msi))
        kprintf("bookvisor: pro1000: %s: msi=yes, but %s; ignored\n", p->name,
                p->shared ? "the guest keeps the device and its interrupt"
                          : "the device has no MSI capability (polled)");
    if (p->shared || !p->dev->fn.cap_msi || (msi && strcmp(msi, "no") == 0))
        return;
    p->vector = pci_msi_to_vmm(p->dev, pro1000_interrupt, p);
    if (p->vector < 0)
        return; /* it said why; the thread's timer still polls */
    /* The 82574L clears ICR on a read only with IAME (Linux's e1000e sets it
     * too); IAM 0 masks nothing by itself: the causes stay unmasked. */
    reg_write(p, PRO1000_IAM, 0);
    reg_write(p, PRO1000_CTRL_EXT, reg_read(p, PRO1000_CTRL_EXT) | PRO1000_CTRL_EXT_IAME);
    (void)reg_read(p, PRO1000_ICR);
    reg_write(p, PRO1000_IMS, PRO1000_RX_CAUSES);
}

static bool pro1000_new(struct pci_device *dev, const char *const *options, u32 noptions)
{
    const struct nic_sink *sink = nic_sink_get();
    const char *tty = noptions >= 3 ? options[2] : NULL;
    const char *use = nic_offer_module(noptions >= 1 ? options[0] : NULL, tty);
    const char *msi = noptions >= 2 ? options[1] : NULL;
    const struct pci_bar *bar0 = &dev->fn.bars[0];
    struct pro1000 *p;
    char slot[8];
    bool hide = false;

    pci_device_slot(dev, slot);
    const struct pro1000_model *model = pro1000_model_of(dev->fn.desc.device_id);
    if (!model) {
        kprintf("bookvisor: pro1000: %s: device 8086:%04x is no model this driver knows\n", slot,
                dev->fn.desc.device_id);
        return false;
    }
    if (!use) {
        kprintf("bookvisor: pro1000: %s: no net= option; the device stays the guest's\n", slot);
        return false;
    }
    if (!sink) {
        kprintf("bookvisor: pro1000: %s: this build has no network API\n", slot);
        return false;
    }
    if (nnics == PRO1000_MAX) {
        kprintf("bookvisor: pro1000: %s: more than %u devices\n", slot, PRO1000_MAX);
        return false;
    }
    if (dev->fn.nbars == 0 || (bar0->kind != PCI_BAR_MEM32 && bar0->kind != PCI_BAR_MEM64) ||
        bar0->base == 0 || bar0->size < 0x20000 || bar0->base + bar0->size > 4 * GIB) {
        kprintf("bookvisor: pro1000: %s: BAR0 is not an assigned memory BAR below 4 GiB\n",
                slot);
        return false;
    }
    p = &nics[nnics];
    memset(p, 0, sizeof(*p));
    p->dev = dev;
    p->vector = -1;
    p->model = model;
    p->regs = bar0->base;
    p->tx_hold = vmm_options.test_pro1000_tx_hold;
    ksnprintf(p->name, sizeof(p->name), "pro1000.%u", nnics);
    /* The device decodes its registers and may DMA; the guest's writes to
     * the command register no longer reach it once it is hidden. */
    pci_device_write(dev, PCI_REG_COMMAND, 2,
                     (pci_device_read(dev, PCI_REG_COMMAND, 2) | PCI_COMMAND_MEMORY |
                      PCI_COMMAND_MASTER));
    u64 ring_pa = mem_try_alloc_pages(0);
    u64 buf_pa = ring_pa ? mem_try_alloc_pages(PRO1000_BUF_ORDER) : 0;
    /* The guest's frames are gathered here if the module leaves it the NIC (given back if not). */
    u64 gather_pa = buf_pa ? mem_try_alloc_pages(PRO1000_GATHER_ORDER) : 0;
    if (!gather_pa) {
        if (buf_pa)
            mem_free_pages(buf_pa, PRO1000_BUF_ORDER);
        if (ring_pa)
            mem_free_pages(ring_pa, 0);
        kprintf("bookvisor: pro1000: %s: no memory for the rings\n", slot);
        return false;
    }
    p->rx_ring_pa = ring_pa;
    p->tx_ring_pa = ring_pa + 2048;
    p->rx = phys_to_virt(p->rx_ring_pa);
    p->tx = phys_to_virt(p->tx_ring_pa);
    p->buf_pa = buf_pa;
    if (!bring_up(p, slot)) {
        mem_free_pages(gather_pa, PRO1000_GATHER_ORDER);
        mem_free_pages(buf_pa, PRO1000_BUF_ORDER);
        mem_free_pages(ring_pa, 0);
        return false;
    }
    /* can_share: with a module that leaves the NIC to the guest, its rings are
     * mediated; the sink refuses such a module on a model that cannot be. */
    struct nic_offer offer = { .name = p->name, .mac = p->mac, .use = use, .tty = tty,
                               .can_share = model->can_share,
                               .to_guest = pro1000_to_guest, .accept_mac = pro1000_accept_mac,
                               .send = pro1000_send,
                               .poll = pro1000_poll, .status = pro1000_status, .ctx = p };
    p->up = sink->attach(&offer, &hide);
    if (!p->up) {
        /* The sink said why; stop the device again and give the memory back. */
        reg_write(p, PRO1000_RCTL, 0);
        reg_write(p, PRO1000_TCTL, 0);
        reg_write(p, PRO1000_CTRL, reg_read(p, PRO1000_CTRL) | PRO1000_CTRL_RST);
        mem_free_pages(gather_pa, PRO1000_GATHER_ORDER);
        mem_free_pages(buf_pa, PRO1000_BUF_ORDER);
        mem_free_pages(ring_pa, 0);
        return false;
    }
    nnics++;
    dev->driver_data = p;
    dev->hidden = hide;
    p->shared = !hide;
    p->vmm_sends = p->stack_shares || (tty && strcmp(tty, "1") == 0);
    if (!p->shared)
        mem_free_pages(gather_pa, PRO1000_GATHER_ORDER);
    if (p->shared) {
        pro1000_shadow_init(&p->shadow, p->name, p->regs, &shadow_ops, p,
                            phys_to_virt(gather_pa));
        if (model->ext_regs)
            pro1000_shadow_ext_enable(&p->shadow);
        if (p->stack_shares)
            pro1000_shadow_share(&p->shadow, p->stack_mac);
        mediator_init(p);
        dev->mediator = &p->mediator;
    }
    start_interrupts(p, msi);
    char how[24] = "polled";
    if (p->vector >= 0)
        ksnprintf(how, sizeof(how), "MSI on vector 0x%x", (unsigned)p->vector);
    kprintf("bookvisor: pro1000: %s: %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, net=%s, "
            "%u-descriptor rings at 0x%llx, %s%s\n",
            slot, p->name, p->mac[0], p->mac[1], p->mac[2], p->mac[3], p->mac[4], p->mac[5], use,
            PRO1000_RING_SIZE, (unsigned long long)ring_pa, how,
            p->shared ? ", the guest's rings shadowed" : "");
    return true;
}

static const struct pci_driver_ops pro1000_ops = {
    .new_device = pro1000_new,
};

/* Refuse a net= no module has, a bad msi= or tty=, while the string is parsed, with its column. */
static const char *pro1000_check_option(u32 index, const char *value)
{
    const struct nic_sink *sink = nic_sink_get();

    if (index == 0 && sink && sink->check_use)
        return sink->check_use(value);
    if (index == 1 && strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
        return "msi= takes yes or no";
    if (index == 2)
        return nic_tty_check(value);
    return NULL;
}

const struct pci_driver pro1000_driver = {
    .name = "pro1000",
    .longname = "Intel 82540EM and 82574L gigabit Ethernet (e1000, e1000e)",
    .device = "class_code=020000, id=8086:100e|8086:10d3",
    .driver_options = "net,msi,tty",
    .ops = &pro1000_ops,
    .check_option = pro1000_check_option,
};
