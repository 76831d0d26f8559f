/**
 * @file common/loader/loader.h
 * @brief The guest-loader interface: how a GRUB module becomes a guest (pure).
 *
 * A loader knows one boot protocol. It
 *  1. probes a module: cheap, no side effects, "mine" or a reason why not;
 *  2. loads it: places the image and the boot information the protocol
 *     promises in guest RAM, through struct guest_memory, and fills the
 *     initial vCPU state (a mode of common/vm/vcpu_state.h and registers).
 *
 * bookvisor tries the loaders of common/loader/loaders.h in order and uses
 * the first whose probe accepts the module; loader_choose() does that and,
 * when none accepts, says what each of them answered. Multiboot v1 and
 * Multiboot2 (common/loader/multiboot_loader.h) and the Linux boot protocol
 * (common/loader/linux_loader.h) are the loaders today; BIOS chain boot is
 * planned (chapter 12).
 *
 * Everything here is pure: guest RAM is reached only through the
 * struct guest_memory the caller passes, so tests load into a buffer.
 */
#ifndef BOOKVISOR_COMMON_LOADER_LOADER_H
#define BOOKVISOR_COMMON_LOADER_LOADER_H

#include "common/base/vmm_layout.h"
#include "common/lib/types.h"
#include "common/vm/vcpu.h"

/**
 * Guest memory as a loader sees it: the guest's memory map (bookvisor's
 * own range already reserved) and a way to reach its RAM. Loaders write
 * only through guest_memory_write(), guest_memory_zero() and
 * guest_memory_span(), which refuse anything that is not available RAM in
 * the map, and anything busy: RAM the guest gets, but that still holds the
 * modules being loaded (the VMM leaves them where they are, outside its own
 * range, and copies them from there).
 */
struct guest_memory {
    const struct phys_range *map; /**< the guest's memory map */
    size_t map_len;               /**< entries in map */
    /**
     * Where len bytes of guest-physical memory at gpa can be written; called
     * only for ranges the map says are RAM. The VMM gives its direct map of
     * physical memory; tests give a buffer.
     */
    u8 *(*host_ptr)(void *ctx, u64 gpa, size_t len);
    void *ctx; /**< passed to host_ptr */
    const struct phys_range *busy; /**< RAM no loader may write: the modules' bytes (NULL = none) */
    size_t busy_len;               /**< entries in busy */
};

/** Is [gpa, gpa + len) available RAM in m's map, and not busy? */
bool guest_memory_is_ram(const struct guest_memory *m, u64 gpa, u64 len);

/** The bytes [gpa, gpa + len) to write into, or NULL when they are not all RAM. */
u8 *guest_memory_span(const struct guest_memory *m, u64 gpa, size_t len);

/** Copy len bytes to guest RAM at gpa; false (nothing written) when not all RAM. */
bool guest_memory_write(const struct guest_memory *m, u64 gpa, const void *src, size_t len);

/** Zero len bytes of guest RAM at gpa; false (nothing written) when not all RAM. */
bool guest_memory_zero(const struct guest_memory *m, u64 gpa, size_t len);

/** A module as GRUB gave it to bookvisor. */
struct loader_module {
    const u8 *bytes;     /**< its contents (in bookvisor's memory) */
    size_t len;          /**< bytes */
    const char *cmdline; /**< the arguments on its GRUB line (GRUB leaves the file name out), NULL = none */
};

/**
 * The name a loader puts first on the guest kernel's command line, where
 * GRUB Legacy puts the kernel's file name (bookvisor does not know it: GRUB 2
 * hands over only the arguments). Chapter 12 explains why a name must be there.
 */
#define LOADER_KERNEL_NAME "guest-kernel"
/** The same for each further module: this, then its number from 1. */
#define LOADER_MODULE_NAME "guest-module"
/** Room for a module's name with its number and the NUL. */
#define LOADER_MODULE_NAME_SIZE 24
/** Most further modules a loader hands over. */
#define LOADER_MAX_MODULES 16

/** What a loader is asked to load. */
struct loader_request {
    struct loader_module kernel;         /**< the guest kernel and its arguments */
    const struct loader_module *modules; /**< further modules, in GRUB's order (NULL when none) */
    u32 module_count;                    /**< entries in modules (at most LOADER_MAX_MODULES) */
    const char *loader_name;             /**< what the guest is told loaded it */
    const u8 *rsdp_old;                  /**< ACPI 1.0 RSDP bytes, NULL = none */
    u32 rsdp_old_len;                    /**< bytes at rsdp_old */
    const u8 *rsdp_new;                  /**< ACPI 2.0+ RSDP bytes, NULL = none */
    u32 rsdp_new_len;                    /**< bytes at rsdp_new */
};

/** What a loader made of it. */
struct loader_result {
    struct vcpu_init_state state; /**< how and where the guest starts, registers included */
    char summary[160];            /**< one line for the log: what went where */
};

/** One boot protocol. */
struct guest_loader {
    const char *name; /**< short name, e.g. "multiboot2" */
    const char *kind; /**< what it loads, for refusals: e.g. "a multiboot2 kernel" */
    /**
     * Is this module for this loader? Cheap, and changes nothing.
     * @return 0 when it is; otherwise negative, with why saying what is missing
     */
    int (*probe)(const u8 *image, size_t len, char *why, size_t wlen);
    /**
     * Place req's kernel, its modules and its boot information in mem and
     * fill out. Called only after probe accepted req->kernel.
     * @return 0, or negative with why saying what could not be done
     */
    int (*load)(const struct loader_request *req, const struct guest_memory *mem,
                struct loader_result *out, char *why, size_t wlen);
};

/**
 * The first loader of table whose probe accepts image.
 * @param table the loaders, in the order they are tried
 * @param n     entries in table
 * @param image the module
 * @param len   bytes in image
 * @param why   when none accepts: what each said, as "is not a multiboot
 *              kernel: REASON, nor a multiboot2 kernel: REASON" (may be NULL)
 * @param wlen  bytes at why
 * @return the loader, or NULL
 */
const struct guest_loader *loader_choose(const struct guest_loader *const *table, size_t n,
                                         const u8 *image, size_t len, char *why, size_t wlen);

/** The name of further module number (from 1), LOADER_MODULE_NAME followed by it. */
void loader_module_name(u32 number, char out[LOADER_MODULE_NAME_SIZE]);

#endif
