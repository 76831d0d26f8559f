/*
 * Unit tests for pci/pci_enum.c on a fake bus: bridges, multi-function
 * devices, BAR sizing (with decoding off, everything restored) and
 * capability lists, subsystem IDs (checked through the selector formatter too).
 *
 * unit-sources: pci/pci_enum.c pci/pci_cfgspace.c pci/pci_match.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>

#include "pci/pci_enum.h"
#include "tests/unit/unit_main.h"

/* One fake function: its configuration bytes and which BAR bits are writable. */
struct fake_fn {
    bool present;
    u8 bus, dev, fn;
    u8 cfg[4096];
    u32 bar_mask[6]; /* writable bits of each BAR register */
};

#define NFAKE 10
static struct fake_fn fake[NFAKE];
static u32 nfake;
static u32 bar_writes_while_decoding;
static u32 writes;

static struct fake_fn *lookup(const struct pci_cfgspace_addr *a)
{
    for (u32 i = 0; i < nfake; i++)
        if (fake[i].present && fake[i].bus == a->bus && fake[i].dev == a->device &&
            fake[i].fn == a->function)
            return &fake[i];
    return NULL;
}

static u32 fake_read(void *ctx, const struct pci_cfgspace_addr *a, u8 size)
{
    struct fake_fn *f = lookup(a);
    u32 v = 0;

    (void)ctx;
    if (!f)
        return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    for (u32 i = 0; i < size; i++)
        v |= (u32)f->cfg[a->offset + i] << (8 * i);
    return v;
}

static void fake_write(void *ctx, const struct pci_cfgspace_addr *a, u8 size, u32 value)
{
    struct fake_fn *f = lookup(a);

    (void)ctx;
    writes++;
    if (!f)
        return;
    if (a->offset >= 0x10 && a->offset < 0x28 && size == 4) {
        u32 i = (a->offset - 0x10) / 4;
        u32 old;
        u16 command = (u16)(f->cfg[4] | f->cfg[5] << 8);

        if (command & 3)
            bar_writes_while_decoding++;
        memcpy(&old, &f->cfg[a->offset], 4);
        /* read-only flag bits and unimplemented bits keep their value */
        value = (value & f->bar_mask[i]) | (old & ~f->bar_mask[i]);
        memcpy(&f->cfg[a->offset], &value, 4);
        return;
    }
    for (u32 i = 0; i < size; i++)
        f->cfg[a->offset + i] = (u8)(value >> (8 * i));
}

static const struct pci_cfgspace_ops ops = { fake_read, fake_write, NULL };

static struct fake_fn *add(u8 bus, u8 dev, u8 fn, u16 vendor, u16 device, u32 class_code, u8 header)
{
    struct fake_fn *f = &fake[nfake++];

    memset(f, 0, sizeof(*f));
    f->present = true;
    f->bus = bus;
    f->dev = dev;
    f->fn = fn;
    memcpy(&f->cfg[0], &vendor, 2);
    memcpy(&f->cfg[2], &device, 2);
    f->cfg[8] = 0x02; /* revision */
    f->cfg[9] = (u8)class_code;
    f->cfg[10] = (u8)(class_code >> 8);
    f->cfg[11] = (u8)(class_code >> 16);
    f->cfg[0x0e] = header;
    return f;
}

static void set_bar(struct fake_fn *f, u32 i, u32 value, u32 mask)
{
    memcpy(&f->cfg[0x10 + 4 * i], &value, 4);
    f->bar_mask[i] = mask;
}

/* Subsystem vendor and ID: offsets 0x2c and 0x2e of a type-0 header. */
static void set_subsystem(struct fake_fn *f, u16 vendor, u16 id)
{
    memcpy(&f->cfg[0x2c], &vendor, 2);
    memcpy(&f->cfg[0x2e], &id, 2);
}

static void add_cap(struct fake_fn *f, u8 at, u8 id, u8 next)
{
    f->cfg[6] |= 0x10; /* status: capability list */
    if (!f->cfg[0x34])
        f->cfg[0x34] = at;
    f->cfg[at] = id;
    f->cfg[at + 1] = next;
}

static struct fake_fn saved[NFAKE];

static void build_bus(void)
{
    struct fake_fn *f;

    nfake = 0;
    bar_writes_while_decoding = 0;
    writes = 0;
    add(0, 0, 0, 0x8086, 0x29c0, 0x060000, 0x00);
    /* multi-function device: I/O and 32-bit memory BARs, decoding on */
    f = add(0, 1, 0, 0x8086, 0x100e, 0x020000, 0x80);
    f->cfg[4] = 0x07;
    set_subsystem(f, 0x17aa, 0x20ee);
    set_bar(f, 0, 0xc001, 0xffffffe0u);
    set_bar(f, 1, 0xfeb00000u, 0xfffe0000u);
    /* its function 2: a 64-bit BAR in registers 2-3, MSI, MSI-X and PCIe */
    f = add(0, 1, 2, 0x8086, 0x10d3, 0x020000, 0x00);
    f->cfg[4] = 0x06;
    set_bar(f, 2, 0x0000000c, 0xffffc000u);
    set_bar(f, 3, 0x00000008, 0xffffffffu);
    add_cap(f, 0x50, 0x05, 0x60);
    add_cap(f, 0x60, 0x11, 0x70);
    add_cap(f, 0x70, 0x10, 0x00);
    /* single-function device: its function 1 must not be looked at */
    add(0, 2, 0, 0x1234, 0x0001, 0xff0000, 0x00);
    add(0, 2, 1, 0x1234, 0x0002, 0xff0000, 0x00);
    /* a bridge to bus 5, and a device there */
    f = add(0, 3, 0, 0x8086, 0x244e, 0x060400, 0x01);
    f->cfg[0x19] = 5;
    f->cfg[0x1a] = 5;
    /* in a type-1 header 0x2c is the prefetchable limit, not a subsystem */
    set_subsystem(f, 0x1234, 0x5678);
    f = add(5, 0, 0, 0x10ec, 0x8168, 0x020000, 0x00);
    set_subsystem(f, 0x1043, 0x8432);
    /* bus 7 has no bridge leading to it */
    add(7, 0, 0, 0xdead, 0xbeef, 0x020000, 0x00);
    /* a capability list that loops */
    f = add(0, 4, 0, 0x1af4, 0x1000, 0x020000, 0x00);
    add_cap(f, 0x40, 0x09, 0x40);
    memcpy(saved, fake, sizeof(fake));
}

static const struct pci_function *find_fn(const struct pci_function *fns, u32 n, u8 bus, u8 dev,
                                          u8 fn)
{
    for (u32 i = 0; i < n; i++)
        if (fns[i].desc.bus == bus && fns[i].desc.device == dev && fns[i].desc.function == fn)
            return &fns[i];
    return NULL;
}

START_TEST(test_walk_finds_what_is_reachable)
{
    struct pci_function fns[16];
    struct pci_enum_result r;

    build_bus();
    r = pci_enumerate(&ops, fns, 16);
    ck_assert(!r.truncated);
    ck_assert_uint_eq(r.count, 7);
    /* enumeration order: bus 0 ascending, then bus 5 */
    ck_assert_uint_eq(fns[0].desc.device, 0);
    ck_assert_uint_eq(fns[1].desc.device, 1);
    ck_assert_uint_eq(fns[2].desc.function, 2);
    ck_assert_uint_eq(fns[6].desc.bus, 5);
    ck_assert_ptr_nonnull(find_fn(fns, r.count, 0, 2, 0));
    ck_assert_ptr_null(find_fn(fns, r.count, 0, 2, 1));
    ck_assert_ptr_null(find_fn(fns, r.count, 7, 0, 0));
    const struct pci_function *b = find_fn(fns, r.count, 0, 3, 0);
    ck_assert_ptr_nonnull(b);
    ck_assert(pci_function_is_bridge(b));
    ck_assert_uint_eq(b->secondary_bus, 5);
    ck_assert_uint_eq(b->nbars, 2);
    const struct pci_function *nic = find_fn(fns, r.count, 5, 0, 0);
    ck_assert_uint_eq(nic->desc.vendor_id, 0x10ec);
    ck_assert_uint_eq(nic->desc.device_id, 0x8168);
    ck_assert_uint_eq(nic->desc.class_code, 0x020000);
    ck_assert_uint_eq(nic->desc.revision, 0x02);
}
END_TEST

START_TEST(test_truncated)
{
    struct pci_function fns[3];
    struct pci_enum_result r;

    build_bus();
    r = pci_enumerate(&ops, fns, 3);
    ck_assert(r.truncated);
    ck_assert_uint_eq(r.count, 3);
}
END_TEST

START_TEST(test_bars_sized_and_restored)
{
    struct pci_function fns[16];
    struct pci_enum_result r;

    build_bus();
    r = pci_enumerate(&ops, fns, 16);
    const struct pci_function *f = find_fn(fns, r.count, 0, 1, 0);
    ck_assert_int_eq(f->bars[0].kind, PCI_BAR_IO);
    ck_assert_uint_eq(f->bars[0].base, 0xc000);
    ck_assert_uint_eq(f->bars[0].size, 0x20);
    ck_assert_int_eq(f->bars[1].kind, PCI_BAR_MEM32);
    ck_assert_uint_eq(f->bars[1].base, 0xfeb00000u);
    ck_assert_uint_eq(f->bars[1].size, 0x20000);
    ck_assert_int_eq(f->bars[2].kind, PCI_BAR_NONE);
    ck_assert_uint_eq(f->command, 0x07);
    f = find_fn(fns, r.count, 0, 1, 2);
    ck_assert_int_eq(f->bars[2].kind, PCI_BAR_MEM64);
    ck_assert(f->bars[2].prefetchable);
    ck_assert_uint_eq(f->bars[2].base, 0x800000000ull);
    ck_assert_uint_eq(f->bars[2].size, 0x4000);
    ck_assert_int_eq(f->bars[3].kind, PCI_BAR_NONE);
    /* no BAR was written while the device decoded, and all is as before */
    ck_assert_uint_eq(bar_writes_while_decoding, 0);
    ck_assert_uint_gt(writes, 0);
    for (u32 i = 0; i < nfake; i++)
        ck_assert_mem_eq(fake[i].cfg, saved[i].cfg, sizeof(fake[i].cfg));
}
END_TEST

START_TEST(test_capabilities)
{
    struct pci_function fns[16];
    struct pci_enum_result r;

    build_bus();
    r = pci_enumerate(&ops, fns, 16);
    const struct pci_function *f = find_fn(fns, r.count, 0, 1, 2);
    ck_assert_uint_eq(f->cap_msi, 0x50);
    ck_assert_uint_eq(f->cap_msix, 0x60);
    ck_assert_uint_eq(f->cap_pcie, 0x70);
    ck_assert_uint_eq(f->cap_pm, 0);
    f = find_fn(fns, r.count, 0, 0, 0);
    ck_assert_uint_eq(f->cap_msi, 0);
    /* the looping list ends and finds nothing it does not have */
    f = find_fn(fns, r.count, 0, 4, 0);
    ck_assert_uint_eq(f->cap_msi, 0);
    struct pci_cfgspace_addr a = { 0, 4, 0, 0 };
    ck_assert_uint_eq(pci_find_capability(&ops, &a, 0x09), 0x40);
}
END_TEST

START_TEST(test_subsystem_ids)
{
    struct pci_function fns[16];
    struct pci_enum_result r;
    char text[PCI_SEL_VALUE_MAX];

    build_bus();
    r = pci_enumerate(&ops, fns, 16);
    /* behind the bridge, type 0 */
    const struct pci_function *f = find_fn(fns, r.count, 5, 0, 0);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->desc.subsys_vendor, 0x1043);
    ck_assert_uint_eq(f->desc.subsys_id, 0x8432);
    ck_assert_uint_eq(pci_sel_format(PCI_KEY_SUBSYSTEM, &f->desc, text), 9);
    ck_assert_str_eq(text, "1043:8432");
    /* type 0 with the multi-function bit (header 0x80) has one too */
    f = find_fn(fns, r.count, 0, 1, 0);
    ck_assert_uint_eq(f->desc.header_type, 0x80);
    ck_assert_uint_eq(f->desc.subsys_vendor, 0x17aa);
    ck_assert_uint_eq(f->desc.subsys_id, 0x20ee);
    pci_sel_format(PCI_KEY_SUBSYSTEM, &f->desc, text);
    ck_assert_str_eq(text, "17aa:20ee");
    /* none given: zero, not another function's */
    f = find_fn(fns, r.count, 0, 1, 2);
    ck_assert_uint_eq(f->desc.subsys_vendor, 0);
    ck_assert_uint_eq(f->desc.subsys_id, 0);
    /* a bridge has no subsystem at 0x2c: its bytes there are not taken */
    f = find_fn(fns, r.count, 0, 3, 0);
    ck_assert(pci_function_is_bridge(f));
    ck_assert_uint_eq(f->desc.subsys_vendor, 0);
    ck_assert_uint_eq(f->desc.subsys_id, 0);
}
END_TEST

static Suite *pci_enum_suite(void)
{
    Suite *s = suite_create("pci_enum");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_walk_finds_what_is_reachable);
    tcase_add_test(tc, test_truncated);
    tcase_add_test(tc, test_bars_sized_and_restored);
    tcase_add_test(tc, test_capabilities);
    tcase_add_test(tc, test_subsystem_ids);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run_suite(pci_enum_suite());
}
