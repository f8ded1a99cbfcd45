/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client/vmctl.h: shared types of vmctl (command table, arguments, bus,
 * output helpers, domain XML parsing). */
#ifndef VMCTL_H
#define VMCTL_H

#include <stdbool.h>
#include <stdio.h>
#include <glib.h>
#include <gio/gio.h>
#include <glib/gi18n.h>

/* Exit status of every command. */
enum {
    VMCTL_EXIT_OK = 0,    /* success */
    VMCTL_EXIT_FAIL = 1,  /* the operation failed */
    VMCTL_EXIT_USAGE = 2, /* bad command line */
};

/* D-Bus names of vmd (schemas/dbus/org.vmkit.Vmd1.xml). */
#define VMCTL_BUS_NAME      "org.vmkit.Vmd1"
#define VMCTL_MANAGER_PATH  "/org/vmkit/Vmd1"
#define VMCTL_MANAGER_IFACE "org.vmkit.Vmd1.Manager"
#define VMCTL_DOMAIN_IFACE  "org.vmkit.Vmd1.Domain"
#define VMCTL_HUB_IFACE     "org.vmkit.Vmd1.Hub"
#define VMCTL_ERROR_PREFIX  "org.vmkit.Vmd1.Error."

/* libvirt's constants, as vmd uses them. */
enum {
    VMCTL_LIST_ACTIVE = 1,
    VMCTL_LIST_INACTIVE = 2,
};
enum {
    VMCTL_XML_SECURE = 1,
    VMCTL_XML_INACTIVE = 2,
};
enum {
    VMCTL_AFFECT_CURRENT = 0,
    VMCTL_AFFECT_LIVE = 1,
    VMCTL_AFFECT_CONFIG = 2,
};
enum {
    VMCTL_STATE_NOSTATE = 0,
    VMCTL_STATE_RUNNING = 1,
    VMCTL_STATE_BLOCKED = 2,
    VMCTL_STATE_PAUSED = 3,
    VMCTL_STATE_SHUTDOWN = 4,
    VMCTL_STATE_SHUTOFF = 5,
    VMCTL_STATE_CRASHED = 6,
    VMCTL_STATE_PMSUSPENDED = 7,
};

/* ---- command table ------------------------------------------------------ */

typedef enum {
    VMCTL_OPT_BOOL,    /* --name */
    VMCTL_OPT_STRING,  /* --name VALUE (or --name=VALUE) */
    VMCTL_OPT_UINT,    /* --name N, N a non-negative integer */
    VMCTL_OPT_ARG,     /* required positional (or --name VALUE) */
    VMCTL_OPT_ARG_OPT, /* optional positional (or --name VALUE) */
} VmctlOptType;

typedef struct {
    const char *name; /* long name without "--" */
    VmctlOptType type;
    const char *metavar; /* N_(): placeholder of the value, or NULL */
    const char *help;    /* N_(): one line */
} VmctlOptDef;

typedef struct VmctlCtx VmctlCtx;
typedef struct VmctlArgs VmctlArgs;
typedef struct VmctlCmdDef VmctlCmdDef;

/* A handler returns a VMCTL_EXIT_* code and has printed any error. */
typedef int (*VmctlHandler)(VmctlCtx *ctx, const VmctlCmdDef *cmd,
                            VmctlArgs *args);

struct VmctlCmdDef {
    const char *name;        /* e.g. "list" */
    const char *summary;     /* N_(): one line for `vmctl help` */
    const char *description; /* N_(): paragraph for `vmctl help CMD` */
    const VmctlOptDef *opts; /* terminated by { NULL } */
    VmctlHandler handler;
};

/* One group of commands, as listed by `vmctl help`. */
typedef struct {
    const char *title;       /* N_() */
    const VmctlCmdDef *cmds; /* terminated by { NULL } */
} VmctlCmdGroup;

/* The DOMAIN argument most commands start with. */
#define VMCTL_OPT_DOMAIN                                                       \
    {                                                                          \
        "domain", VMCTL_OPT_ARG, N_("DOMAIN"), N_("domain name or UUID")       \
    }

extern const VmctlCmdDef vmctl_domain_cmds[];
extern const VmctlCmdDef vmctl_monitor_cmds[];
extern const VmctlCmdDef vmctl_iface_cmds[];
extern const VmctlCmdDef vmctl_hub_cmds[];

/* ---- context ------------------------------------------------------------- */

struct VmctlCtx {
    char *connect;        /* "system", "session" or a bus address */
    GDBusConnection *bus; /* opened on first use */
};

/* ---- arguments (client/args.c) ----------------------------------------- */

/* Parses argv (argv[0] = the command name) against cmd->opts; on a usage
 * error, prints it with the command's synopsis and returns NULL. Sets
 * *help when --help was given. */
VmctlArgs *vmctl_args_parse(const VmctlCmdDef *cmd, int argc, char **argv,
                            bool *help);
void vmctl_args_free(VmctlArgs *args);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmctlArgs, vmctl_args_free)
const char *vmctl_args_get(VmctlArgs *args, const char *name);
bool vmctl_args_has(VmctlArgs *args, const char *name);
/* Returns false (after printing a usage error) when the value is not a
 * number; *out untouched when the option is absent. */
bool vmctl_args_get_uint(VmctlArgs *args, const char *name, guint *out);

char *vmctl_cmd_synopsis(const VmctlCmdDef *cmd);
void vmctl_cmd_print_help(const VmctlCmdDef *cmd, FILE *out);
/* Prints "error: MSG" and the command's usage line; returns
 * VMCTL_EXIT_USAGE. */
int vmctl_usage_error(const VmctlCmdDef *cmd, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* ---- errors ------------------------------------------------------------- */

/* Prints "error: MSG" on stderr as one line. */
void vmctl_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Prints "error: PREFIX: message of err" (or without prefix when NULL),
 * with the GDBus remote-error prefix removed. Returns VMCTL_EXIT_FAIL. */
int vmctl_error_gerror(GError *err, const char *prefix);
/* True when err is the named vmd error, e.g. "NoDomain". */
bool vmctl_error_is(const GError *err, const char *name);

/* ---- bus (client/bus.c) ------------------------------------------------- */

GDBusConnection *vmctl_bus(VmctlCtx *ctx, GError **error);
/* Calls a method of vmd; NULL reply type accepts any reply. */
GVariant *vmctl_call(VmctlCtx *ctx, const char *path, const char *iface,
                     const char *method, GVariant *params,
                     const GVariantType *reply_type, GError **error);
GVariant *vmctl_call_fd(VmctlCtx *ctx, const char *path, const char *iface,
                        const char *method, GVariant *params,
                        GUnixFDList **out_fds, GError **error);
GVariant *vmctl_get_all(VmctlCtx *ctx, const char *path, const char *iface,
                        GError **error);
bool vmctl_set_property(VmctlCtx *ctx, const char *path, const char *iface,
                        const char *name, GVariant *value, GError **error);

/* Properties of one domain object. */
typedef struct {
    char *path;
    char *name;
    char *uuid;
    gint32 id;
    gint32 state;
    bool active;
    bool persistent;
    bool autostart;
} VmctlDomain;

void vmctl_domain_free(VmctlDomain *dom);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmctlDomain, vmctl_domain_free)

/* Finds a domain by name or UUID and reads its properties; on failure
 * prints "error: failed to get domain 'X': ..." and returns NULL. */
VmctlDomain *vmctl_domain_lookup(VmctlCtx *ctx, const char *name_or_uuid);
VmctlDomain *vmctl_domain_load(VmctlCtx *ctx, const char *path, GError **error);
/* All domains matching libvirt list flags, sorted as vmd returns them. */
GPtrArray *vmctl_domain_list(VmctlCtx *ctx, guint flags, GError **error);
char *vmctl_domain_xml(VmctlCtx *ctx, const VmctlDomain *dom, guint flags,
                       GError **error);

/* virsh's words for a virDomainState value (translated). */
const char *vmctl_state_name(int state);
/* libvirt's enum name of a state ("running", "shutoff"...), for --json. */
const char *vmctl_state_id(int state);

/* ---- output (client/output.c) ------------------------------------------- */

/* Terminal columns of a UTF-8 string (wide characters count 2). */
gsize vmctl_display_width(const char *s);
/* Prints s padded with spaces to width columns (printf's %-Ns counts
 * bytes, which misaligns translated text). */
void vmctl_print_padded(FILE *out, const char *s, gsize width);

/* virsh-style table: " Id   Name   State", a dashes line, rows. */
typedef struct VmctlTable VmctlTable;
VmctlTable *vmctl_table_new(guint ncols, const char *const *headers);
void vmctl_table_add(VmctlTable *t, const char *const *cells);
void vmctl_table_print(VmctlTable *t, FILE *out);
void vmctl_table_free(VmctlTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmctlTable, vmctl_table_free)

/* Minimal JSON writer: indented, UTF-8, strings escaped. */
typedef struct VmctlJson VmctlJson;
VmctlJson *vmctl_json_new(void);
void vmctl_json_begin_object(VmctlJson *j);
void vmctl_json_end_object(VmctlJson *j);
void vmctl_json_begin_array(VmctlJson *j);
void vmctl_json_end_array(VmctlJson *j);
void vmctl_json_key(VmctlJson *j, const char *key);
void vmctl_json_string(VmctlJson *j, const char *s); /* NULL => null */
void vmctl_json_int(VmctlJson *j, gint64 v);
void vmctl_json_bool(VmctlJson *j, bool v);
void vmctl_json_print(VmctlJson *j, FILE *out);
void vmctl_json_free(VmctlJson *j);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmctlJson, vmctl_json_free)

/* ---- domain XML (client/domxml.c) --------------------------------------- */

typedef struct {
    char *type;   /* user, network, bridge, ... */
    char *source; /* network/bridge/hub name, address:port, or NULL */
    char *model;
    char *mac;
    char *target; /* target dev */
    char *alias;
    char *link; /* "up", "down" or NULL */
    char *xml;  /* the <interface> element as text */
} VmctlIface;

typedef struct {
    char *name;
    char *uuid;
    char *os_type;
    guint vcpus;
    guint64 memory_kib;     /* <memory> */
    guint64 cur_memory_kib; /* <currentMemory>, else <memory> */
    GPtrArray *ifaces;      /* of VmctlIface */
} VmctlDomXml;

VmctlDomXml *vmctl_domxml_parse(const char *xml, GError **error);
void vmctl_domxml_free(VmctlDomXml *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmctlDomXml, vmctl_domxml_free)
/* Builds the <interface> XML for attach-interface; NULL + error when the
 * source does not fit the type. */
char *vmctl_domxml_iface_new(const char *type, const char *source,
                             const char *target, const char *mac,
                             const char *model, const char *local,
                             GError **error);

/* ---- console (client/cmd-console.c) ------------------------------------ */

/* Attaches the terminal to the domain's console until Ctrl-] or EOF. */
int vmctl_console_run(VmctlCtx *ctx, const VmctlDomain *dom, const char *dev,
                      bool force);

#endif /* VMCTL_H */
