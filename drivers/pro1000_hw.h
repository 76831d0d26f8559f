/**
 * @file drivers/pro1000_hw.h
 * @brief Intel 8254x (pro1000) registers and descriptors, and the ring
 *        arithmetic that needs no device (pure; chapter 09).
 *
 * The numbers are those of Intel's "PCI/PCI-X Family of Gigabit Ethernet
 * Controllers Software Developer's Manual" (82540EM and relatives): the
 * register offsets inside BAR 0, the bits bookvisor sets, and the legacy
 * 16-byte receive and transmit descriptors. A ring is an array of
 * descriptors the device and the driver share: the device owns the
 * descriptors from its head (RDH/TDH) up to the tail the driver writes
 * (RDT/TDT), the driver owns the rest. These helpers do the index
 * arithmetic and read and fill descriptors, so that the VMM driver
 * (drivers/pro1000.c) only moves bytes and touches registers.
 */
#ifndef BOOKVISOR_DRIVERS_PRO1000_HW_H
#define BOOKVISOR_DRIVERS_PRO1000_HW_H

#include "common/lib/types.h"

/** @name Registers (byte offsets in BAR 0) */
/** @{ */
#define PRO1000_CTRL 0x0000   /**< device control */
#define PRO1000_STATUS 0x0008 /**< device status */
#define PRO1000_EERD 0x0014   /**< EEPROM read */
#define PRO1000_CTRL_EXT 0x0018 /**< extended device control */
#define PRO1000_ICR 0x00C0    /**< interrupt cause read (reading clears) */
#define PRO1000_IMC 0x00D8    /**< interrupt mask clear */
#define PRO1000_IAM 0x00E0    /**< 82574L: interrupt causes masked automatically when ICR is read */
/** Cause (ICR, IMS): the free receive descriptors fell below the threshold. */
#define PRO1000_ICR_RXDMT0 (1u << 4)
/** Cause (ICR, IMS): a frame was lost, the receive ring was full. */
#define PRO1000_ICR_RXO (1u << 6)
#define PRO1000_RCTL 0x0100   /**< receive control */
#define PRO1000_TCTL 0x0400   /**< transmit control */
#define PRO1000_TIPG 0x0410   /**< transmit inter-packet gap */
#define PRO1000_RDBAL 0x2800  /**< receive ring base, low 32 bits */
#define PRO1000_RDBAH 0x2804  /**< receive ring base, high 32 bits */
#define PRO1000_RDLEN 0x2808  /**< receive ring length in bytes */
#define PRO1000_RDH 0x2810    /**< receive head */
#define PRO1000_RDT 0x2818    /**< receive tail */
#define PRO1000_TDBAL 0x3800  /**< transmit ring base, low 32 bits */
#define PRO1000_TDBAH 0x3804  /**< transmit ring base, high 32 bits */
#define PRO1000_TDLEN 0x3808  /**< transmit ring length in bytes */
#define PRO1000_TDH 0x3810    /**< transmit head */
#define PRO1000_TDT 0x3818    /**< transmit tail */
#define PRO1000_MTA 0x5200    /**< multicast table, 128 dwords */
#define PRO1000_RAL0 0x5400   /**< receive address 0, low dword */
#define PRO1000_RAH0 0x5404   /**< receive address 0, high word and valid bit */
/** @} */

/** @name Register bits */
/** @{ */
#define PRO1000_CTRL_ASDE (1u << 5)  /**< auto speed detection */
#define PRO1000_CTRL_SLU (1u << 6)   /**< set link up */
/** CTRL_EXT (82574L): reading ICR clears it (and masks IAM's causes) while an interrupt is asserted. */
#define PRO1000_CTRL_EXT_IAME (1u << 27)
#define PRO1000_CTRL_RST (1u << 26)  /**< software reset (self-clearing) */
#define PRO1000_STATUS_LU (1u << 1)  /**< link up */
#define PRO1000_EERD_START (1u << 0) /**< start a read (both models) */
#define PRO1000_RCTL_EN (1u << 1)    /**< receiver on */
#define PRO1000_RCTL_BAM (1u << 15)  /**< accept broadcasts */
#define PRO1000_RCTL_SECRC (1u << 26) /**< strip the Ethernet CRC */
#define PRO1000_TCTL_EN (1u << 1)    /**< transmitter on */
#define PRO1000_TCTL_PSP (1u << 3)   /**< pad short packets */
#define PRO1000_RAH_AV (1u << 31)    /**< receive address valid */
/** @} */

/** Transmit control: on, padding, collision threshold 0x0F, distance 0x40 (full duplex). */
#define PRO1000_TCTL_VALUE (PRO1000_TCTL_EN | PRO1000_TCTL_PSP | (0x0Fu << 4) | (0x40u << 12))
/** Receive control: on, broadcasts, 2048-byte buffers (BSIZE 0), CRC stripped. */
#define PRO1000_RCTL_VALUE (PRO1000_RCTL_EN | PRO1000_RCTL_BAM | PRO1000_RCTL_SECRC)
/** Inter-packet gap the manual gives for copper: IPGT 10, IPGR1 8, IPGR2 6. */
#define PRO1000_TIPG_VALUE (10u | (8u << 10) | (6u << 20))

/** Bytes of every receive buffer (RCTL.BSIZE 0). */
#define PRO1000_RX_BUF_BYTES 2048

/** A legacy receive descriptor, as the device reads and writes it. */
struct pro1000_rx_desc {
    u64 addr;     /**< physical address of the buffer */
    u16 length;   /**< bytes the device stored */
    u16 checksum; /**< packet checksum (unused) */
    u8 status;    /**< DD, EOP, ... */
    u8 errors;    /**< CE, SE, SEQ, CXE, RXE */
    u16 special;  /**< VLAN tag (unused) */
} __attribute__((packed));

/** A legacy transmit descriptor. */
struct pro1000_tx_desc {
    u64 addr;    /**< physical address of the frame */
    u16 length;  /**< bytes to send */
    u8 cso;      /**< checksum offset (unused) */
    u8 cmd;      /**< EOP, IFCS, RS, ... */
    u8 status;   /**< DD once sent */
    u8 css;      /**< checksum start (unused) */
    u16 special; /**< VLAN tag (unused) */
} __attribute__((packed));

/** @name Descriptor bits */
/** @{ */
#define PRO1000_RXD_DD 0x01  /**< receive: descriptor done */
#define PRO1000_RXD_EOP 0x02 /**< receive: last descriptor of a frame */
#define PRO1000_TXD_EOP 0x01 /**< transmit command: end of packet */
#define PRO1000_TXD_IFCS 0x02 /**< transmit command: insert the CRC */
#define PRO1000_TXD_RS 0x08  /**< transmit command: report status (set DD) */
#define PRO1000_TXD_DD 0x01  /**< transmit status: descriptor done */
/** @} */

/** Index after i in a ring of n descriptors. */
u32 pro1000_ring_next(u32 i, u32 n);

/**
 * Descriptors the driver may still fill in a transmit ring of n: from
 * tail up to (not including) the one before clean, the oldest not yet
 * reclaimed. One slot stays empty so that a full ring never looks empty.
 */
u32 pro1000_ring_free(u32 clean, u32 tail, u32 n);

/** What a receive descriptor says. */
enum pro1000_rx_result {
    PRO1000_RX_EMPTY,   /**< the device has not filled it yet */
    PRO1000_RX_FRAME,   /**< a whole, good frame of *len bytes */
    PRO1000_RX_ERROR,   /**< the device reported an error: drop it */
    PRO1000_RX_PARTIAL, /**< part of a frame longer than one buffer: drop it */
    PRO1000_RX_BAD_LEN, /**< a length of 0 or beyond the buffer: drop it */
};

/** Read a receive descriptor the device may have filled; *len set for FRAME. */
enum pro1000_rx_result pro1000_rx_parse(const struct pro1000_rx_desc *d, u16 *len);

/** Give a receive descriptor back to the device with its buffer at buf_pa. */
void pro1000_rx_reset(struct pro1000_rx_desc *d, u64 buf_pa);

/** Fill a transmit descriptor for one whole frame of len bytes at buf_pa. */
void pro1000_tx_fill(struct pro1000_tx_desc *d, u64 buf_pa, u16 len);

/** Has the device sent what this transmit descriptor describes (or was it never used)? */
bool pro1000_tx_done(const struct pro1000_tx_desc *d);

/**
 * The MAC address from the first three EEPROM words (little-endian:
 * the low byte of word 0 is the first byte on the wire).
 */
void pro1000_mac_from_eeprom(const u16 words[3], u8 mac[6]);

/** The MAC address from RAL0 and RAH0; false unless RAH0's valid bit is set. */
bool pro1000_mac_from_ral(u32 ral, u32 rah, u8 mac[6]);

/** RAL0 and RAH0 (with its valid bit) for mac. */
void pro1000_mac_to_ral(const u8 mac[6], u32 *ral, u32 *rah);

/**
 * A device model the driver knows: what differs between them for bookvisor.
 * The 82574L (QEMU's `e1000e`) keeps the 82540EM's legacy registers and
 * descriptors, which are all the driver uses when it owns the NIC; its EERD
 * register moved the address and the done bit, and a guest that keeps it
 * (`net=pass`) may use its extended receive descriptors, its second queue's
 * registers and MSI-X, which the shadow rings mediate as well (ext_regs;
 * chapter 09).
 */
struct pro1000_model {
    u16 device_id;         /**< PCI device ID (vendor 8086) */
    const char *name;      /**< "82540EM", "82574L" */
    u8 eerd_addr_shift;    /**< where EERD takes the word address */
    u32 eerd_done;         /**< EERD's "read done" bit */
    bool can_share;        /**< the shadow rings can mediate its guest driver */
    bool ext_regs;         /**< the 82574L's registers beyond the 82540EM's (drivers/pro1000_shadow_ext.h) */
};

/** The model of device ID device_id (vendor 8086), or NULL if the driver knows none. */
const struct pro1000_model *pro1000_model_of(u16 device_id);

/** The EERD value that starts reading EEPROM word addr on model m. */
u32 pro1000_eerd_start(const struct pro1000_model *m, u8 addr);

/** The word an EERD value carries, if m's done bit is set in it; false otherwise. */
bool pro1000_eerd_word(const struct pro1000_model *m, u32 eerd, u16 *word);

#endif
