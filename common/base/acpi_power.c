/*
 * common/base/acpi_power.c - find the FADT and DSDT, and switch the machine off.
 */
#include "common/base/acpi_power.h"
#include "arch/x86/io.h"
#include "common/base/kprintf.h"
#include "common/lib/kstring.h"
#include "arch/x86/phys.h"

static struct acpi_power_info power;
static bool power_initialised;
static u64 rsdp_phys;
static u64 root_phys;      /* RSDT or XSDT found by acpi_power_init() */
static bool root_is_xsdt;

static const u8 *scan_rsdp(u64 start, u64 len)
{
    for (u64 a = start; a + 20 <= start + len; a += 16) {
        const u8 *p = phys_to_virt(a);
        if (memcmp(p, "RSD PTR ", 8) == 0 && acpi_checksum(p, 20) == 0) {
            rsdp_phys = a;
            return p;
        }
    }
    return NULL;
}

static void use_table(u64 pa)
{
    const u8 *t = phys_to_virt(pa);
    u32 len = *(const u32 *)(t + 4);
    if (len < 36 || len > 1024 * 1024 || acpi_checksum(t, len) != 0)
        return;
    if (memcmp(t, "FACP", 4) == 0 && acpi_parse_fadt(t, len, &power) && power.dsdt) {
        const u8 *d = phys_to_virt(power.dsdt);
        u32 dlen = *(const u32 *)(d + 4);
        if (memcmp(d, "DSDT", 4) == 0 && dlen >= 36 && dlen < 16 * 1024 * 1024)
            acpi_find_sleep_types(d, dlen, &power);
    }
}

void acpi_power_init(const u8 *rsdp, size_t rsdp_len)
{
    if (power_initialised)
        return;
    power_initialised = true;
    if (!rsdp) {
        u64 ebda = (u64)(*(const u16 *)phys_to_virt(0x40E)) << 4;
        if (ebda)
            rsdp = scan_rsdp(ebda, 1024);
        if (!rsdp)
            rsdp = scan_rsdp(0xE0000, 0x20000);
        rsdp_len = 36;
    }
    if (!rsdp)
        return;
    bool is_xsdt;
    u64 root = acpi_rsdp_root(rsdp, rsdp_len, &is_xsdt);
    if (!root)
        return;
    const u8 *r = phys_to_virt(root);
    u32 len = *(const u32 *)(r + 4);
    if (len < 36 || len > 65536)
        return;
    root_phys = root;
    root_is_xsdt = is_xsdt;
    unsigned entry = is_xsdt ? 8 : 4;
    for (u32 off = 36; off + entry <= len; off += entry) {
        u64 pa = is_xsdt ? *(const u64 *)(r + off) : *(const u32 *)(r + off);
        if (pa)
            use_table(pa);
    }
}

const struct acpi_power_info *acpi_power_info(void)
{
    return &power;
}

u64 acpi_find_table(const char sig[4])
{
    if (!root_phys)
        return 0;
    const u8 *r = phys_to_virt(root_phys);
    u32 len = *(const u32 *)(r + 4);
    unsigned entry = root_is_xsdt ? 8 : 4;
    for (u32 off = 36; off + entry <= len; off += entry) {
        u64 pa = root_is_xsdt ? *(const u64 *)(r + off) : *(const u32 *)(r + off);
        if (!pa || pa >= 4 * GIB)
            continue;
        const u8 *t = phys_to_virt(pa);
        u32 tlen = *(const u32 *)(t + 4);
        if (memcmp(t, sig, 4) == 0 && tlen >= 36 && tlen <= 1024 * 1024 &&
            acpi_checksum(t, tlen) == 0)
            return pa;
    }
    return 0;
}

u64 acpi_rsdp_phys(void)
{
    return rsdp_phys;
}

void acpi_power_off(void)
{
    if (!power.valid || !acpi_s5_known(&power))
        return;
    if (power.smi_cmd && power.acpi_enable && !(inw(power.pm1a_cnt) & 1)) {
        outb((u16)power.smi_cmd, power.acpi_enable);
        for (int i = 0; i < 1000000 && !(inw(power.pm1a_cnt) & 1); i++)
            ;
    }
    outw(power.pm1a_cnt, (u16)((power.slp_typ_a[5] << 10) | (1 << 13)));
    if (power.pm1b_cnt)
        outw(power.pm1b_cnt, (u16)((power.slp_typ_b[5] << 10) | (1 << 13)));
}
