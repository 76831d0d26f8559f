/**
 * @file arch/x86/boot_defs.h
 * @brief Constants shared by the boot assembly, the linker script and C.
 */
#ifndef BOOKVISOR_ARCH_X86_BOOT_DEFS_H
#define BOOKVISOR_ARCH_X86_BOOT_DEFS_H

#define MB2_HEADER_MAGIC 0xE85250D6 /**< multiboot2 header magic */
#define MB2_BOOT_MAGIC 0x36D76289   /**< EAX value from a multiboot2 loader */

#define KERNEL_VBASE 0xFFFFFFFF80000000 /**< where the image is linked */
#define BOOT_PHYS 0x200000              /**< where GRUB loads the image */
#define KERNEL_STACK_SIZE 16384         /**< boot CPU stack */

#define PTE_P 0x1    /**< present */
#define PTE_W 0x2    /**< writable */
#define PTE_U 0x4    /**< user */
#define PTE_PWT 0x8  /**< write-through */
#define PTE_PCD 0x10 /**< cache disable */
#define PTE_PS 0x80  /**< large page */
#define PTE_G 0x100  /**< global */

#define CR0_PE 0x1         /**< protection enable */
#define CR0_PG 0x80000000  /**< paging */
#define CR0_NW 0x20000000  /**< not write-through (with CD) */
#define CR0_CD 0x40000000  /**< cache disable */
#define CR4_PAE 0x20       /**< physical address extension */
#define MSR_EFER 0xC0000080 /**< extended feature enable register */
#define EFER_LME 0x100     /**< long mode enable */

#endif
