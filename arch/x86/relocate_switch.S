/*
 * relocate_switch(dst, src, len, cr3): copy the image and switch page tables
 * with no stack write in between, so the copied stack is exactly the live one.
 */
    .text
    .code64
    .globl relocate_switch
relocate_switch:
    movq %rcx, %r8
    movq %rdx, %rcx
    rep movsb
    movq %r8, %cr3
    ret
