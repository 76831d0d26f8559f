/**
 * @file tests/guest/aml_s5.c
 * @brief A pattern match for \_S1_ to \_S5_, not an AML interpreter.
 *
 * Encoding (ACPI spec, AML grammar): NameOp 0x08, optional root prefix '\',
 * the NameSeg "_Sn_", PackageOp 0x12, PkgLength (lead byte bits 7:6 = count
 * of extra bytes), NumElements byte, then the elements.
 */
#include "aml_s5.h"
#include "gstring.h"

#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0A
#define AML_WORD_PREFIX 0x0B
#define AML_DWORD_PREFIX 0x0C
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR '\\'
#define AML_ONES_OP 0xFF

/* Decode one integer element at *pos; SLP_TYP is 3 bits, so keep the low byte. */
static bool read_integer(const u8 *aml, u32 length, u32 *pos, u8 *value)
{
    u32 p = *pos;
    if (p >= length)
        return false;
    switch (aml[p]) {
    case AML_ZERO_OP:
        *value = 0;
        *pos = p + 1;
        return true;
    case AML_ONE_OP:
        *value = 1;
        *pos = p + 1;
        return true;
    case AML_ONES_OP:
        *value = 0xFF;
        *pos = p + 1;
        return true;
    case AML_BYTE_PREFIX:
    case AML_WORD_PREFIX:
    case AML_DWORD_PREFIX: {
        u32 size = aml[p] == AML_BYTE_PREFIX ? 1 : aml[p] == AML_WORD_PREFIX ? 2 : 4;
        if (p + 1 + size > length)
            return false;
        *value = aml[p + 1];
        *pos = p + 1 + size;
        return true;
    }
    default: return false;
    }
}

static bool is_name_definition(const u8 *aml, u32 at)
{
    if (at >= 1 && aml[at - 1] == AML_NAME_OP)
        return true;
    return at >= 2 && aml[at - 1] == AML_ROOT_CHAR && aml[at - 2] == AML_NAME_OP;
}

bool aml_find_s5(const u8 *aml, u32 length, u8 *slp_typa, u8 *slp_typb)
{
    return aml_find_sleep_type(aml, length, 5, slp_typa, slp_typb);
}

bool aml_find_sleep_type(const u8 *aml, u32 length, u32 state, u8 *slp_typa, u8 *slp_typb)
{
    const char name[4] = { '_', 'S', (char)('0' + state), '_' };
    for (u32 i = 0; i + 4 <= length; i++) {
        if (memcmp(aml + i, name, 4) != 0 || !is_name_definition(aml, i))
            continue;
        u32 p = i + 4;
        if (p >= length || aml[p] != AML_PACKAGE_OP)
            continue;
        p++;
        if (p >= length)
            continue;
        p += 1 + (aml[p] >> 6); /* PkgLength */
        if (p >= length)
            continue;
        u32 elements = aml[p++];
        u8 a, b = 0;
        if (elements < 1 || !read_integer(aml, length, &p, &a))
            continue;
        if (elements >= 2 && !read_integer(aml, length, &p, &b))
            b = 0;
        *slp_typa = a;
        *slp_typb = b;
        return true;
    }
    return false;
}
