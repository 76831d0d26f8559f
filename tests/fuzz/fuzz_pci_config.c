/*
 * Fuzz target for the PCI driver grammar (pci/pci_config.c, pci/pci_match.c).
 *
 * The input is split at 0x01 bytes: part 1 is the configuration string,
 * part 2 (optional) the default selector of an extra driver "fz", part 3 its
 * option list. Everything is parsed, bound against a fixed machine and
 * formatted; invariants are checked with abort(). Short inputs are also
 * matched as `pattern\ntext` against a slow reference matcher.
 *
 * libFuzzer:  clang -g -O1 -fsanitize=fuzzer,address,undefined -DBOOKVISOR_HOST -I. \
 *               tests/fuzz/fuzz_pci_config.c pci/pci_config.c pci/pci_bind.c pci/pci_match.c \
 *               common/lib/format.c common/lib/kstring.c -o build/fuzz/fuzz_pci_config
 * standalone: drop "fuzzer," from -fsanitize and add tests/fuzz/fuzz_standalone.c
 *             (a main that runs the files named, or stdin).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci/pci_config.h"

#define MAX_INPUT 4096

/* The capability lists too, so that the `capability=` key has something to match. */
static const struct pci_device_desc machine[] = {
    { 0x00, 0x00, 0, 0x02, 0x8086, 0x29c0, 0x060000, 0x00, 0x8086, 0x5044, 1, { 0x09 } },
    { 0x00, 0x19, 0, 0x02, 0x8086, 0x10f5, 0x020000, 0x00, 0x17aa, 0x20ee, 3, { 0x01, 0x05, 0x13 } },
    { 0x00, 0x1a, 7, 0x02, 0x8086, 0x293a, 0x0c0320, 0x80, 0x17aa, 0x20f1, 2, { 0x01, 0x0a } },
    { 0x00, 0x1f, 2, 0x03, 0x8086, 0x2922, 0x010601, 0x00, 0x17aa, 0x20f8, 3, { 0x05, 0x01, 0x12 } },
    { 0x00, 0x1f, 5, 0x03, 0x8086, 0x2926, 0x01018f, 0x00, 0x17aa, 0x20f8, 0, { 0 } },
    { 0x03, 0x00, 0, 0x06, 0x8086, 0x105e, 0x020000, 0x80, 0x103c, 0x7044, 4,
      { 0x01, 0x05, 0x10, 0x11 } },
    { 0xff, 0x1f, 7, 0xff, 0xffff, 0xffff, 0xffffff, 0xff, 0xffff, 0xffff, PCI_DESC_MAX_CAPS,
      { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
        0x10 } },
};
#define NDEVS (sizeof(machine) / sizeof(machine[0]))

static const struct pci_driver drv_ata = { "ata", "", "class_code=0101*", NULL, NULL, NULL };
static const struct pci_driver drv_ehci = { "ehci", "", "class_code=0c0320", "", NULL, NULL };
static const struct pci_driver drv_pro1000 = {
    "pro1000", "", "class_code=020000, id=8086:105e|8086:1081|8086:10f5", "tty,net", NULL, NULL
};
static struct pci_driver drv_fuzz = { "fz", "", NULL, NULL, NULL, NULL };

static struct pci_config cfg;
static struct pci_binding binding[NDEVS];
static char input[MAX_INPUT + 1];
static size_t config_len;

static void check_error(void *ctx, const struct pci_config_error *err)
{
    size_t n = strlen(err->message);

    (void)ctx;
    if (n >= PCI_CONFIG_MESSAGE_MAX || !strchr(err->message, '^'))
        abort();
    if (!err->driver && err->column > config_len + 1)
        abort();
}

/* The plain recursive definition, for short strings only. */
static int ref_one(const char *p, size_t pl, const char *t, size_t tl)
{
    if (pl == 0)
        return tl == 0;
    if (p[0] == '*')
        return ref_one(p + 1, pl - 1, t, tl) || (tl > 0 && ref_one(p, pl, t + 1, tl - 1));
    if (tl == 0)
        return 0;
    if (p[0] == '?' || p[0] == t[0])
        return ref_one(p + 1, pl - 1, t + 1, tl - 1);
    return 0;
}

static int ref_match(const char *p, size_t pl, const char *t, size_t tl)
{
    size_t start = 0;

    for (size_t i = 0; i <= pl; i++) {
        if (i == pl || p[i] == '|') {
            if (ref_one(p + start, i - start, t, tl))
                return 1;
            start = i + 1;
        }
    }
    return 0;
}

static void fuzz_matcher(const char *s, size_t len)
{
    const char *nl = memchr(s, '\n', len);
    size_t pl, tl;

    if (!nl)
        return;
    pl = (size_t)(nl - s);
    tl = len - pl - 1;
    if (pl > 14 || tl > 14)
        return;
    if (pci_wildcard_match(s, pl, nl + 1, tl) != (bool)ref_match(s, pl, nl + 1, tl))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct pci_driver *drivers[] = { &drv_ata, &drv_ehci, &drv_pro1000, &drv_fuzz };
    char line[160];
    char *parts[3] = { input, NULL, NULL };
    size_t n = size < MAX_INPUT ? size : MAX_INPUT;
    u32 nerr;

    memcpy(input, data, n);
    input[n] = '\0';
    for (int i = 1; i < 3; i++) {
        char *sep = strchr(parts[i - 1], '\x01');

        if (!sep)
            break;
        *sep = '\0';
        parts[i] = sep + 1;
    }
    config_len = strlen(input);
    fuzz_matcher(input, config_len);
    drv_fuzz.device = parts[1];
    drv_fuzz.driver_options = parts[2];

    nerr = pci_config_parse(&cfg, input, drivers, 4, check_error, NULL);
    if (nerr != cfg.nerrors || cfg.nentries > PCI_CONFIG_MAX_ENTRIES ||
        cfg.ndrivers > PCI_MAX_DRIVERS)
        abort();
    pci_config_bind(&cfg, machine, NDEVS, binding);
    for (size_t d = 0; d < NDEVS; d++) {
        const struct pci_binding *b = &binding[d];

        if (b->kind == PCI_BIND_DRIVER && (!b->driver || b->noptions > PCI_DRIVER_MAX_OPTIONS))
            abort();
        if (b->kind != PCI_BIND_UNBOUND && !cfg.use_defaults &&
            (b->entry < 0 || (u32)b->entry >= cfg.nentries))
            abort();
        for (u32 i = 0; i < b->noptions; i++)
            if (b->options[i] &&
                (b->options[i] < cfg.text || b->options[i] >= cfg.text + sizeof(cfg.text) ||
                 strlen(b->options[i]) > PCI_CONFIG_MAX_LEN))
                abort();
        int len = pci_format_device_line(line, sizeof(line), &cfg, &machine[d], b);

        if (len < 0 ||
            strlen(line) != ((size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1))
            abort();
    }
    return 0;
}
