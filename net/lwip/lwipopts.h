/*
 * net/lwip/lwipopts.h - lwIP's options for bookvisor (chapter 10).
 *
 * NO_SYS: lwIP runs without an operating system, driven by one VMM thread
 * through its raw (callback) API; bookvisor gives it sys_now() and calls
 * sys_check_timeouts() (net/lwip/bv_ip.c). No sockets, no netconn, no
 * locks: every lwIP call comes from that one thread. IPv4 only, with ARP,
 * ICMP (ping), UDP (syslog, DHCP) and TCP (the echo server and client).
 * Memory comes from lwIP's own static pools, sized here.
 */
#ifndef BOOKVISOR_LWIPOPTS_H
#define BOOKVISOR_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_NETCONN 0
#define LWIP_SOCKET 0
#define LWIP_TIMERS 1

#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define LWIP_RAW 0
#define LWIP_DNS 0
#define LWIP_IGMP 0
#define LWIP_AUTOIP 0
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_SINGLE_NETIF 0
#define LWIP_STATS 0
#define LWIP_PROVIDE_ERRNO 1

#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT 8
#define MEM_SIZE (128 * 1024)
#define MEMP_NUM_PBUF 32
#define MEMP_NUM_UDP_PCB 8
#define MEMP_NUM_TCP_PCB 8
#define MEMP_NUM_TCP_PCB_LISTEN 4
#define MEMP_NUM_TCP_SEG 64
#define PBUF_POOL_SIZE 64
#define PBUF_POOL_BUFSIZE 1536

#define TCP_MSS 1460
#define TCP_WND (4 * TCP_MSS)
#define TCP_SND_BUF (4 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)

#define ETHARP_SUPPORT_STATIC_ENTRIES 0
/* Packets waiting for an ARP reply are queued, up to 16 per peer: lwIP's
 * default keeps only the latest, and the log's burst right after the lease
 * (several syslog datagrams before 10.0.2.2 is resolved) lost all but its
 * last datagram (seen in tests/emu/net-log.test). */
#define ARP_QUEUEING 1
#define ARP_QUEUE_LEN 16
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_ICMP 1
#define CHECKSUM_CHECK_UDP 1
#define CHECKSUM_CHECK_TCP 1

/* Random numbers for ports, DHCP transaction IDs and TCP sequence numbers. */
unsigned int bv_ip_random(void);
#define LWIP_RAND() bv_ip_random()

#endif
