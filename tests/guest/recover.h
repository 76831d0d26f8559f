/**
 * @file tests/guest/recover.h
 * @brief Save a point to resume at after an unexpected exception.
 */
#ifndef GUEST_RECOVER_H
#define GUEST_RECOVER_H

#include "gtypes.h"

/** Registers needed to resume at a recover_save() call (layout used by recover.S). */
struct recover_point {
    u32 ebx; /**< callee-saved */
    u32 esi; /**< callee-saved */
    u32 edi; /**< callee-saved */
    u32 ebp; /**< frame pointer */
    u32 esp; /**< stack pointer after recover_save returns */
    u32 eip; /**< return address of recover_save */
};

/**
 * Remember where we are.
 * @return 0 when called, nonzero when resumed through recover_jump().
 */
int recover_save(struct recover_point *point) __attribute__((returns_twice));

/**
 * Resume at @p point; recover_save() then returns @p value (1 if 0).
 * Safe to call from an exception handler: the handler's frame is dropped.
 */
void recover_jump(const struct recover_point *point, int value) __attribute__((noreturn));

#endif
