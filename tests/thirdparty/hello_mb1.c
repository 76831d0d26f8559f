/*
 * tests/thirdparty/hello_mb1.c - a plain Multiboot (version 1) ELF kernel that
 * knows nothing about bookvisor, written the way small C kernels are: a
 * header in its own section, an entry stub that sets a stack, C that prints
 * on COM1 what the loader handed over (the magic, the command line and,
 * split as Xen splits it, its first word - the image name - and the
 * options after it, the loader's name, the number of modules, the memory
 * fields and the number of memory-map entries), then `cli; hlt`.
 * Its header asks for memory information and has no address fields (flag 16
 * clear): the loader must place it by its ELF program headers.
 */
typedef unsigned int u32;
typedef unsigned char u8;
typedef unsigned short u16;

#define MB1_HEADER_MAGIC 0x1BADB002u
#define MB1_WANT_ALIGN_AND_MEMORY 0x3u
#define COM1 0x3F8

struct mb1_header {
    u32 magic, flags, checksum;
};

__attribute__((section(".multiboot"), used,
               aligned(4))) static const struct mb1_header mb1_header = {
    MB1_HEADER_MAGIC,
    MB1_WANT_ALIGN_AND_MEMORY,
    (u32) - (MB1_HEADER_MAGIC + MB1_WANT_ALIGN_AND_MEMORY),
};

/* The boot information fields this kernel reads (Multiboot 0.6.96, 3.3). */
struct mb1_info {
    u32 flags; /* which fields below are valid */
    u32 mem_lower, mem_upper; /* KiB; flag 0 */
    u32 boot_device;
    u32 cmdline; /* flag 2 */
    u32 mods_count, mods_addr;
    u32 syms[4];
    u32 mmap_length, mmap_addr; /* flag 6 */
    u32 drives_length, drives_addr, config_table;
    u32 boot_loader_name; /* flag 9 */
};

unsigned char hello_stack[4096] __attribute__((aligned(16)));

__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "	movl $hello_stack + 4096, %esp\n"
        "	pushl %ebx\n" /* boot information */
        "	pushl %eax\n" /* magic */
        "	call hello_main\n"
        "	cli\n"
        "1:	hlt\n"
        "	jmp 1b\n");

static inline void outb(u16 port, u8 v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
    u8 v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static void say_char(char c)
{
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (u8)c);
}

static void say(const char *s)
{
    for (; *s; s++)
        say_char(*s);
}

static void say_hex(u32 v)
{
    char buf[11] = "0x";
    for (int i = 0; i < 8; i++)
        buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xF];
    buf[10] = '\0';
    say(buf);
}

void hello_main(u32 magic, const struct mb1_info *info);

void hello_main(u32 magic, const struct mb1_info *info)
{
    outb(COM1 + 3, 0x03); /* 8N1; the divisor the firmware left is fine */
    say("hello-mb1: started by a multiboot loader, eax=");
    say_hex(magic);
    say("\n");
    if (info->flags & (1u << 2)) {
        const char *cmdline = (const char *)info->cmdline;
        say("hello-mb1: cmdline=");
        say(cmdline);
        say("\n");
        /* Loaders other than GRUB 2 put the image name first; a kernel
         * like Xen skips it and reads its options after it. */
        say("hello-mb1: image name=");
        while (*cmdline && *cmdline != ' ')
            say_char(*cmdline++);
        say("\nhello-mb1: options=");
        while (*cmdline == ' ')
            cmdline++;
        say(cmdline);
        say("\n");
    }
    if (info->flags & (1u << 9)) {
        say("hello-mb1: loader=");
        say((const char *)info->boot_loader_name);
        say("\n");
    }
    if (info->flags & (1u << 3)) {
        say("hello-mb1: modules=");
        say_hex(info->mods_count);
        say("\n");
    }
    if (info->flags & 1u) {
        say("hello-mb1: mem_upper=");
        say_hex(info->mem_upper);
        say(" KiB\n");
    }
    if (info->flags & (1u << 6)) {
        u32 entries = 0;
        /* Each entry starts with its size, which does not count itself. */
        for (u32 at = 0; at < info->mmap_length; entries++)
            at += *(const u32 *)(info->mmap_addr + at) + 4;
        say("hello-mb1: memory map entries=");
        say_hex(entries);
        say("\n");
    }
    say("hello-mb1: halting\n");
    while (!(inb(COM1 + 5) & 0x40)) /* let the last byte leave */
        ;
}
