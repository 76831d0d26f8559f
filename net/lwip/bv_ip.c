/*
 * net/lwip/bv_ip.c - lwIP's network interface on the network API, its clock
 * and its randomness (chapter 10). One of the files that include lwIP.
 */
#include "net/lwip/bv_ip.h"
#include <string.h>
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

static struct netif bv_netif;
static struct net_nic *bv_nic;
static u64 (*bv_now_ms)(void);
static void (*bv_log)(const char *line);
static u32 last_addr;
static bool lwip_started;
static u64 random_state = 0x9E3779B97F4A7C15ULL;

u32_t sys_now(void)
{
    return bv_now_ms ? (u32_t)bv_now_ms() : 0;
}

unsigned int bv_ip_random(void)
{
    /* xorshift64*, stirred with the clock: ports and sequence numbers need
     * to differ between boots, not to be secret. */
    random_state ^= sys_now();
    random_state ^= random_state >> 12;
    random_state ^= random_state << 25;
    random_state ^= random_state >> 27;
    return (unsigned int)((random_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static void format_ip(char *out, u32 a)
{
    /* a.b.c.d without printf: this file may not use bookvisor's formatter. */
    char *p = out;
    for (int i = 3; i >= 0; i--) {
        unsigned v = (a >> (8 * i)) & 0xFF;
        if (v >= 100)
            *p++ = (char)('0' + v / 100);
        if (v >= 10)
            *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
        if (i)
            *p++ = '.';
    }
    *p = '\0';
}

static void status_changed(struct netif *n)
{
    u32 now = lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(n)));
    if (now == last_addr)
        return;
    char line[64] = "IP address changed: ";
    char *p = line + 20;
    format_ip(p, last_addr);
    while (*p)
        p++;
    *p++ = ' ', *p++ = '-', *p++ = '>', *p++ = ' ';
    format_ip(p, now);
    last_addr = now;
    bv_nic->stack_ip = now;
    if (bv_log)
        bv_log(line);
}

/* lwIP sends a frame: whole, through the network API. */
static err_t link_output(struct netif *n, struct pbuf *p)
{
    (void)n;
    static u8 frame[NET_FRAME_MAX];
    if (p->tot_len > sizeof(frame))
        return ERR_BUF;
    u16_t len = pbuf_copy_partial(p, frame, p->tot_len, 0);
    netapi_stack_send(bv_nic, frame, len);
    return ERR_OK;
}

/* The network API delivers a frame for the stack. */
static void stack_deliver(void *ctx, const u8 *frame, size_t len)
{
    (void)ctx;
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
    if (!p)
        return; /* out of buffers: the frame is lost, as on a full ring */
    pbuf_take(p, frame, (u16_t)len);
    if (bv_netif.input(p, &bv_netif) != ERR_OK)
        pbuf_free(p);
}

static err_t netif_setup(struct netif *n)
{
    static const u8 zero[6];
    const u8 *mac = memcmp(bv_nic->stack_mac, zero, 6) ? bv_nic->stack_mac : bv_nic->mac;
    memcpy(n->hwaddr, mac, 6);
    memcpy(bv_nic->stack_mac, mac, 6);
    n->hwaddr_len = 6;
    n->mtu = 1500;
    n->name[0] = 'b';
    n->name[1] = 'v';
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    n->output = etharp_output;
    n->linkoutput = link_output;
    return ERR_OK;
}

int bv_ip_attach(struct net_nic *nic, const struct bv_ip_config *cfg, u64 (*now_ms)(void),
                 void (*log)(const char *line))
{
    if (bv_nic)
        return -1;
    bv_nic = nic;
    bv_now_ms = now_ms;
    bv_log = log;
    last_addr = 0;
    if (!lwip_started) {
        lwip_init();
        lwip_started = true;
    }
    ip4_addr_t ip, mask, gw;
    ip4_addr_set_u32(&ip, cfg->use_dhcp ? 0 : lwip_htonl(cfg->ipaddr));
    ip4_addr_set_u32(&mask, cfg->use_dhcp ? 0 : lwip_htonl(cfg->netmask));
    ip4_addr_set_u32(&gw, cfg->use_dhcp ? 0 : lwip_htonl(cfg->gateway));
    if (!netif_add(&bv_netif, &ip, &mask, &gw, NULL, netif_setup, ethernet_input)) {
        bv_nic = NULL;
        return -1;
    }
    nic->stack = (struct net_endpoint){ stack_deliver, NULL };
    netif_set_status_callback(&bv_netif, status_changed);
    netif_set_default(&bv_netif);
    netif_set_up(&bv_netif);
    if (cfg->use_dhcp)
        dhcp_start(&bv_netif);
    return 0;
}

void bv_ip_poll(void)
{
    if (bv_nic)
        sys_check_timeouts();
}

u32 bv_ip_address(void)
{
    return bv_nic ? lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(&bv_netif))) : 0;
}

void bv_ip_detach(void)
{
    if (!bv_nic)
        return;
    if (dhcp_supplied_address(&bv_netif) || netif_dhcp_data(&bv_netif))
        dhcp_stop(&bv_netif);
    netif_remove(&bv_netif);
    bv_nic->stack = (struct net_endpoint){ NULL, NULL };
    bv_nic = NULL;
}
