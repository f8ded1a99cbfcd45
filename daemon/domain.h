/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/domain.h: the domain definition model (libvirt domain XML subset). */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/*
 * Life of a definition, libvirt style, each step separate:
 *   vmd_xml_read()            text -> xmlDoc (hostile-safe)
 *   vmd_xml_validate()        xmlDoc against schemas/domain.rng
 *   vmd_domain_def_parse()    xmlDoc -> VmdDomainDef (values, units)
 *   vmd_domain_def_postparse() fill defaults (UUID, MACs, PCI slots, models)
 *   vmd_domain_def_validate() semantic checks the schema cannot express
 *   vmd_domain_def_format()   VmdDomainDef -> XML with every default written
 * vmd_domain_def_new_from_xml() runs the whole chain.
 * format(parse(x)) is a fixed point: parsing the output again yields the
 * same output.
 */

/* Limits: bound everything a caller chooses. */
#define VMD_DOMAIN_MAX_VCPUS           512
#define VMD_DOMAIN_MAX_MEMORY_KIB      (G_GUINT64_CONSTANT(1) << 30) /* 1 TiB */
#define VMD_DOMAIN_MAX_NETS            32
#define VMD_DOMAIN_MAX_MMIO_NETS       8   /* virt board: 8 virtio-mmio */
#define VMD_DOMAIN_MAX_FORWARDED_PORTS 256 /* per domain, ranges expanded */
#define VMD_DOMAIN_PCI_SLOT_MIN        1   /* slot 0 is the host bridge */
#define VMD_DOMAIN_PCI_SLOT_MAX        31
/*
 * Hot-plug ports are libvirt's <controller type='pci' model='pcie-root-port'
 * index='N'/> (engine ids "pci.N", libvirt's controller names) in slots of
 * bus 0, which cold-plugged devices therefore cannot use; a NIC behind
 * port N has the address bus N, slot 0 (libvirt's numbering of buses by
 * controller index). A definition without any gets
 * VMD_DOMAIN_HOTPLUG_PORTS of them in slots 0x1c.. (postparse).
 */
#define VMD_DOMAIN_HOTPLUG_PORTS     4
#define VMD_DOMAIN_MAX_PCI_PORTS     16
#define VMD_DOMAIN_HOTPLUG_SLOT_BASE 0x1c
#define VMD_DOMAIN_PORT_NUMBER_BASE  0x10 /* libvirt's first port='0x10' */
#define VMD_DOMAIN_PCI_SLOT_LAST     (VMD_DOMAIN_HOTPLUG_SLOT_BASE - 1)

typedef enum {
    VMD_TRISTATE_DEFAULT, /* not given: not formatted */
    VMD_TRISTATE_YES,     /* yes / on / up */
    VMD_TRISTATE_NO,      /* no / off / down */
} VmdTristate;

typedef enum {
    VMD_LIFECYCLE_DESTROY,
    VMD_LIFECYCLE_RESTART,
    VMD_LIFECYCLE_PRESERVE,
    VMD_LIFECYCLE_RENAME_RESTART,
    VMD_LIFECYCLE_COREDUMP_DESTROY, /* on_crash only */
    VMD_LIFECYCLE_COREDUMP_RESTART, /* on_crash only */
} VmdLifecycleAction;

typedef enum {
    VMD_NET_USER,
    VMD_NET_NETWORK,  /* <source network='N'/>: the daemon hub named N */
    VMD_NET_BRIDGE,   /* <source bridge='br0'/>: TAP via the bridge helper */
    VMD_NET_ETHERNET, /* <target dev='tap0' managed='no'/>: a TAP */
    VMD_NET_MCAST,
    VMD_NET_SERVER,
    VMD_NET_CLIENT,
    VMD_NET_UDP,
    VMD_NET_HUB, /* vmkit: <source hub='N'/>, a daemon hub */
} VmdNetType;

typedef enum {
    VMD_NET_MODEL_VIRTIO,
    VMD_NET_MODEL_E1000,
} VmdNetModel;

typedef enum {
    VMD_ADDR_NONE, /* assigned by postparse */
    VMD_ADDR_PCI,
    VMD_ADDR_VIRTIO_MMIO,
} VmdAddrType;

typedef struct {
    VmdAddrType type;
    guint domain, bus, slot, function; /* PCI only */
} VmdDevAddress;

typedef struct {
    guint start, end; /* host ports; end == 0: single port */
    guint to;         /* guest port of start; 0: same as start */
    gboolean exclude;
} VmdPortRange;

typedef struct {
    char *proto;       /* "tcp" or "udp" */
    char *address;     /* host address to bind, NULL: any */
    char *dev;         /* host interface to bind, NULL: any */
    GPtrArray *ranges; /* VmdPortRange */
} VmdPortForward;

/* <vmkit:slirp .../>: user-mode options that libvirt's XML lacks. */
typedef struct {
    char *net, *host, *dhcpstart, *dns;
    char *hostname, *domainname, *dnssearch;
    char *tftp, *tftp_server_name, *bootfile, *smb;
    VmdTristate restrict_net; /* restrict= */
    VmdTristate ipv6;
} VmdSlirpDef;

typedef struct {
    VmdNetType type;
    guint8 mac[6];
    gboolean mac_set;
    char *source_name;    /* network / bridge / hub name */
    char *source_address; /* mcast, server, client, udp */
    guint source_port;
    char *local_address; /* udp (required), mcast (optional) */
    guint local_port;
    char *target_dev;
    VmdTristate target_managed;
    VmdNetModel model;
    gboolean model_set;
    VmdTristate link;         /* YES = up, NO = down */
    GPtrArray *port_forwards; /* VmdPortForward */
    VmdDevAddress addr;
    VmdSlirpDef *slirp; /* nullable */
    char *alias;        /* <alias name=/>: live definitions only ("netN") */
    long line;          /* source line, for messages */
} VmdNetDef;

typedef enum {
    VMD_CHR_PTY,
    VMD_CHR_UNIX,
    VMD_CHR_FILE,
} VmdChrType;

typedef struct {
    VmdChrType type;
    char *path;         /* unix, file */
    gboolean listen;    /* unix: mode='bind' */
    VmdTristate append; /* file */
    guint port;         /* target port (only 0: one UART) */
    long line;          /* source line, for messages */
} VmdChrDef;

/* <controller type='pci' model='pcie-root-port'>: a hot-plug port */
typedef struct {
    guint index;       /* bus number of what sits behind it (1..) */
    guint chassis;     /* <target chassis=/>, 0..255 */
    guint port;        /* <target port=/>, 0..255 (labels the link) */
    gboolean target_set;
    VmdDevAddress addr; /* on bus 0, function 0; NONE until postparse */
    long line;          /* source line, for messages */
} VmdPciPortDef;

/* Source lines of elements, for messages of vmd_domain_def_validate() */
typedef struct {
    long root, name, title, memory, current_memory, vcpu, os;
    long on_poweroff, on_reboot;
} VmdDefLines;

typedef struct {
    char *name;
    char uuid[37]; /* canonical lower-case */
    char *title;
    char *description;
    guint64 memory_kib;
    guint64 current_memory_kib;
    guint vcpus;
    char *loader; /* -bios; "none" allowed */
    char *kernel;
    char *initrd;
    char *cmdline;
    VmdLifecycleAction on_poweroff, on_reboot, on_crash;
    GPtrArray *nets;   /* VmdNetDef */
    GPtrArray *ports;  /* VmdPciPortDef, by index; never empty after
                        * postparse */
    VmdChrDef *serial; /* nullable; console[0] mirrors it */
    VmdDefLines lines; /* 0 when not parsed from XML */
} VmdDomainDef;

VmdDomainDef *vmd_domain_def_new(void);
void vmd_domain_def_free(VmdDomainDef *def);

VmdNetDef *vmd_net_def_new(VmdNetType type);
void vmd_net_def_free(VmdNetDef *net);
VmdPortForward *vmd_port_forward_new(void);
void vmd_port_forward_free(VmdPortForward *pf);
void vmd_slirp_def_free(VmdSlirpDef *slirp);
void vmd_chr_def_free(VmdChrDef *chr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmdDomainDef, vmd_domain_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmdChrDef, vmd_chr_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmdNetDef, vmd_net_def_free)

/* String tables (libvirt's spellings). NULL for an unknown value. */
const char *vmd_net_type_to_string(VmdNetType type);
gboolean vmd_net_type_from_string(const char *s, VmdNetType *out);
const char *vmd_net_model_to_string(VmdNetModel model);
gboolean vmd_net_model_from_string(const char *s, VmdNetModel *out);
const char *vmd_lifecycle_to_string(VmdLifecycleAction action);
gboolean vmd_lifecycle_from_string(const char *s, VmdLifecycleAction *out);
const char *vmd_chr_type_to_string(VmdChrType type);
gboolean vmd_chr_type_from_string(const char *s, VmdChrType *out);

/**
 * vmd_domain_mac_format:
 * @buf: at least 18 bytes. Returns: @buf, "52:54:00:12:34:56" form.
 */
char *vmd_domain_mac_format(const guint8 mac[6], char *buf);
gboolean vmd_domain_mac_parse(const char *s, guint8 mac[6]);

/**
 * vmd_domain_uuid_normalize:
 * Accepts 32 hex digits with or without the canonical dashes; writes the
 * canonical lower-case form to @out (37 bytes). Returns: FALSE if invalid.
 */
gboolean vmd_domain_uuid_normalize(const char *s, char out[37]);

/**
 * vmd_domain_scale_to_kib:
 * libvirt's memory units: b/bytes, KB, k/KiB, MB, M/MiB, GB, G/GiB, TB,
 * T/TiB, PB, P/PiB, EB, E/EiB (NULL = KiB); rounds bytes up to KiB.
 * Returns: FALSE on unknown unit or overflow.
 */
gboolean vmd_domain_scale_to_kib(guint64 value, const char *unit, guint64 *kib);

/**
 * vmd_domain_def_parse:
 * @doc: a document already validated against domain.rng.
 * Errors: VMD_ERROR_INVALID_XML with "line N: ".
 */
VmdDomainDef *vmd_domain_def_parse(xmlDoc *doc, GError **error);

/**
 * vmd_domain_def_postparse:
 * @rand: (nullable): source of random UUIDs and MACs; tests pass a seeded
 *   GRand for reproducible output, NULL uses g_random_*().
 * Fills every default: UUID, currentMemory, MACs (52:54:00:xx:xx:xx,
 * unique in the domain), NIC model virtio, PCI slots, lifecycle actions.
 */
void vmd_domain_def_postparse(VmdDomainDef *def, GRand *rand);

/**
 * vmd_domain_def_validate:
 * Semantic checks: name usable as a file name, currentMemory <= memory,
 * unique MACs and PCI slots, address types per model, sources per
 * interface type, port forwarding only on user interfaces, limits.
 * Errors: VMD_ERROR_INVALID_XML.
 */
gboolean vmd_domain_def_validate(const VmdDomainDef *def, GError **error);

/**
 * vmd_domain_def_format:
 * Returns: (transfer full): the domain XML, every default written.
 */
char *vmd_domain_def_format(const VmdDomainDef *def);

/**
 * vmd_domain_def_new_from_xml:
 * read → RelaxNG validate (domain.rng) → parse → postparse → validate.
 * Thread: any.
 */
VmdDomainDef *vmd_domain_def_new_from_xml(const char *xml, gssize len,
                                          GRand *rand, GError **error);

/**
 * vmd_domain_name_check:
 * Returns: FALSE with VMD_ERROR_INVALID_XML if @name cannot be a domain
 * name (empty, '/', leading '.', control characters, > 200 bytes).
 */
gboolean vmd_domain_name_check(const char *name, GError **error);

/* ---- one device (AttachDevice / DetachDevice) ---------------------------- */

/**
 * vmd_domain_net_def_parse:
 * @node: an <interface> element already validated against
 *   domain-device.rng.
 * The interface alone, as vmd_domain_def_parse() reads it inside a domain
 * (no defaults: mac_set, model_set and addr.type tell what was given).
 * Errors: VMD_ERROR_INVALID_XML with "line N: ".
 */
VmdNetDef *vmd_domain_net_def_parse(const xmlNode *node, GError **error);

/**
 * vmd_domain_net_def_new_from_xml:
 * One <interface> element: read → RelaxNG validate (domain-device.rng) →
 * parse, with the code and schema of whole domains. Defaults are filled
 * when the interface joins a domain (vmd_domain_def_add_net()).
 * Errors: VMD_ERROR_INVALID_XML ("line N: ..."); VMD_ERROR_UNSUPPORTED for
 * a <serial> or <console> (only interfaces are attached and detached).
 * Thread: any.
 */
VmdNetDef *vmd_domain_net_def_new_from_xml(const char *xml, gssize len,
                                           GError **error);

/**
 * vmd_domain_def_copy:
 * Returns: (transfer full): a deep copy of @def (through its XML, a fixed
 * point), or NULL with the error of that round trip.
 */
VmdDomainDef *vmd_domain_def_copy(const VmdDomainDef *def, GError **error);

/**
 * vmd_domain_def_add_net:
 * @net: (transfer full): from vmd_domain_net_def_new_from_xml()
 * @rand: (nullable): as vmd_domain_def_postparse()
 * Appends @net to @def and fills its defaults as for a whole domain (MAC
 * unique in the domain, model virtio, the lowest free PCI slot), then
 * validates the whole definition. On failure @net is freed and @def holds
 * the interfaces it had.
 * Errors: VMD_ERROR_INVALID_ARGUMENT (MAC already used in the domain, no
 * room for another interface), VMD_ERROR_INVALID_XML (validation).
 */
gboolean vmd_domain_def_add_net(VmdDomainDef *def, VmdNetDef *net, GRand *rand,
                                GError **error);

/**
 * vmd_domain_def_find_net:
 * libvirt's matching of a device to detach: by MAC when @match has one;
 * otherwise by type, which must then designate exactly one interface.
 * Returns: the index in def->nets, or -1 with VMD_ERROR_INVALID_ARGUMENT.
 */
int vmd_domain_def_find_net(const VmdDomainDef *def, const VmdNetDef *match,
                            GError **error);

G_END_DECLS
