/*
 * drivers/pcidebug.c - shadow the Interrupt Line of one device (see pcidebug.h).
 */
#include "drivers/pcidebug.h"
#include "common/base/kprintf.h"
#include "pci/pci_cfgspace.h"

/* Devices one boot can give pcidebug; more are refused. */
#define PCIDEBUG_MAX 8

struct pcidebug_state {
    u8 line; /* the shadowed Interrupt Line */
};

static struct pcidebug_state states[PCIDEBUG_MAX];
static u32 nstates;

/* Two lowercase or uppercase hex digits (one is fine too); false otherwise. */
static bool parse_hex_byte(const char *s, u8 *out)
{
    u32 v = 0, n = 0;

    for (; *s; s++, n++) {
        char c = *s;
        u32 d;

        if (c >= '0' && c <= '9')
            d = (u32)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (u32)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (u32)(c - 'A' + 10);
        else
            return false;
        v = v * 16 + d;
    }
    if (n == 0 || n > 2)
        return false;
    *out = (u8)v;
    return true;
}

static bool pcidebug_new(struct pci_device *dev, const char *const *options, u32 noptions)
{
    char slot[8];
    struct pcidebug_state *st;

    pci_device_slot(dev, slot);
    if (nstates == PCIDEBUG_MAX)
        return false;
    st = &states[nstates++];
    st->line = PCIDEBUG_DEFAULT_LINE;
    if (noptions >= 1 && options[0] && !parse_hex_byte(options[0], &st->line))
        kprintf("bookvisor: pcidebug: %s: line=%s is not a hex byte; using %02x\n", slot,
                options[0], PCIDEBUG_DEFAULT_LINE);
    dev->driver_data = st;
    kprintf("bookvisor: pcidebug: %s bound, Interrupt Line reads 0x%02x\n", slot, st->line);
    return true;
}

/* Does [offset, offset + size) cover the Interrupt Line byte? */
static bool covers_line(u16 offset, u8 size)
{
    return offset <= PCI_REG_INTERRUPT_LINE && PCI_REG_INTERRUPT_LINE < offset + size;
}

static enum pci_config_result pcidebug_read(struct pci_device *dev, u16 offset, u8 size, u32 *value)
{
    const struct pcidebug_state *st = dev->driver_data;

    if (!covers_line(offset, size))
        return PCI_CONFIG_PASS;
    u32 v = pci_device_read(dev, offset, size);
    u32 shift = 8 * (PCI_REG_INTERRUPT_LINE - offset);
    *value = (v & ~(0xffu << shift)) | ((u32)st->line << shift);
    return PCI_CONFIG_DONE;
}

static enum pci_config_result pcidebug_write(struct pci_device *dev, u16 offset, u8 size, u32 value)
{
    struct pcidebug_state *st = dev->driver_data;

    if (!covers_line(offset, size))
        return PCI_CONFIG_PASS;
    /* byte by byte, so the neighbours get exactly the bytes the guest wrote */
    for (u16 i = 0; i < size; i++) {
        u8 byte = (u8)(value >> (8 * i));

        if (offset + i == PCI_REG_INTERRUPT_LINE)
            st->line = byte;
        else
            pci_device_write(dev, (u16)(offset + i), 1, byte);
    }
    return PCI_CONFIG_DONE;
}

static const struct pci_driver_ops pcidebug_ops = {
    .new_device = pcidebug_new,
    .config_read = pcidebug_read,
    .config_write = pcidebug_write,
};

/* Refuse a bad line= while the string is parsed, with its column. */
static const char *pcidebug_check_option(u32 index, const char *value)
{
    u8 ignored;

    if (index == 0 && !parse_hex_byte(value, &ignored))
        return "not a hex byte (00 to ff)";
    return NULL;
}

const struct pci_driver pcidebug_driver = {
    .name = "pcidebug",
    .longname = "debug driver: shadows the Interrupt Line register",
    .device = "id=1b36:0005",
    .driver_options = "line",
    .ops = &pcidebug_ops,
    .check_option = pcidebug_check_option,
};
