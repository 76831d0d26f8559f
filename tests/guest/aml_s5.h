/**
 * @file tests/guest/aml_s5.h
 * @brief Find the \_S1_ to \_S5_ sleep type values in DSDT AML bytes.
 */
#ifndef GUEST_AML_S5_H
#define GUEST_AML_S5_H

#include "gtypes.h"

/**
 * Look for `Name (_S5_, Package () { a, b, ... })` in @p aml and return
 * the first two elements (SLP_TYPa, SLP_TYPb; b is 0 if absent).
 * Accepts ZeroOp, OneOp, OnesOp and Byte/Word/DWord prefixed integers.
 * @return false if no such package was found.
 */
bool aml_find_s5(const u8 *aml, u32 length, u8 *slp_typa, u8 *slp_typb);

/** aml_find_s5() for the package of sleep state @p state (1 to 5). */
bool aml_find_sleep_type(const u8 *aml, u32 length, u32 state, u8 *slp_typa, u8 *slp_typb);

#endif
