/* SPDX-License-Identifier: GPL-2.0-or-later */
/* opts.c: EmuOpts, QEMU's "key=value,..." option syntax (QemuOpts rules:
 * implied first key, ",," escapes, bare flags, repeated keys, bools, and
 * the report of keys nobody used). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emu-error.h"
#include "engine/net/net-internal.h"

typedef struct EmuOpt {
    char *key;
    char *value;
    bool used;
} EmuOpt;

struct EmuOpts {
    char *text;
    GPtrArray *items; /* EmuOpt *, in order */
    GHashTable *all;  /* key -> char ** (emu_opts_get_all results) */
};

static void opt_free(gpointer p)
{
    EmuOpt *o = p;

    g_free(o->key);
    g_free(o->value);
    g_free(o);
}

/* get_value: copies up to the next single ',' turning ",," into ',';
 * returns the position of that ',' (or of the end). */
static const char *get_value(const char *p, GString *out)
{
    for (;;) {
        if (*p == ',') {
            if (p[1] != ',') {
                return p;
            }
            p++; /* ",," -> ',' */
        } else if (!*p) {
            return p;
        }
        g_string_append_c(out, *p++);
    }
}

static void opts_add(EmuOpts *opts, const char *key, const char *value)
{
    EmuOpt *o = g_new0(EmuOpt, 1);

    o->key = g_strdup(key);
    o->value = g_strdup(value);
    g_ptr_array_add(opts->items, o);
}

EmuOpts *emu_opts_parse(const char *text, const char *implied_key,
                        GError **error)
{
    g_autoptr(GString) key = g_string_new(NULL);
    g_autoptr(GString) val = g_string_new(NULL);
    EmuOpts *opts = g_new0(EmuOpts, 1);
    bool first = true;

    opts->text = g_strdup(text ? text : "");
    opts->items = g_ptr_array_new_with_free_func(opt_free);
    opts->all = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (const char *p = opts->text; *p;) {
        size_t len = strcspn(p, "=,");

        g_string_truncate(key, 0);
        g_string_truncate(val, 0);
        if (first && implied_key && p[len] != '=') {
            /* "TYPE,..." : the first item is the implied key's value */
            p = get_value(p, val);
            opts_add(opts, implied_key, val->str);
        } else {
            g_string_append_len(key, p, len);
            p += len;
            if (!key->len) {
                g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                            "empty parameter name");
                emu_opts_free(opts);
                return NULL;
            }
            if (*p == '=') {
                p = get_value(p + 1, val);
                opts_add(opts, key->str, val->str);
            } else {
                /* a bare "flag" means flag=on, as in QemuOpts */
                opts_add(opts, key->str, "on");
            }
        }
        first = false;
        if (*p == ',') {
            p++;
        }
    }
    return opts;
}

void emu_opts_free(EmuOpts *opts)
{
    if (!opts) {
        return;
    }
    g_ptr_array_unref(opts->items);
    g_hash_table_unref(opts->all);
    g_free(opts->text);
    g_free(opts);
}

const char *emu_opts_text(EmuOpts *opts)
{
    return opts->text;
}

bool emu_opts_has(EmuOpts *opts, const char *key)
{
    for (guint i = 0; i < opts->items->len; i++) {
        EmuOpt *o = g_ptr_array_index(opts->items, i);
        if (!strcmp(o->key, key)) {
            return true;
        }
    }
    return false;
}

/* the last value wins, as in QemuOpts; every occurrence counts as used */
const char *emu_opts_get(EmuOpts *opts, const char *key)
{
    const char *value = NULL;

    for (guint i = 0; i < opts->items->len; i++) {
        EmuOpt *o = g_ptr_array_index(opts->items, i);
        if (!strcmp(o->key, key)) {
            o->used = true;
            value = o->value;
        }
    }
    return value;
}

const char *const *emu_opts_get_all(EmuOpts *opts, const char *key)
{
    GPtrArray *vals;
    const char **strv = g_hash_table_lookup(opts->all, key);

    if (strv) {
        (void)emu_opts_get(opts, key); /* mark used */
        return strv;
    }
    vals = g_ptr_array_new();
    for (guint i = 0; i < opts->items->len; i++) {
        EmuOpt *o = g_ptr_array_index(opts->items, i);
        if (!strcmp(o->key, key)) {
            o->used = true;
            g_ptr_array_add(vals, o->value);
        }
    }
    g_ptr_array_add(vals, NULL);
    strv = (const char **)g_ptr_array_free(vals, FALSE);
    /* the values belong to @opts; the array too, until emu_opts_free() */
    g_hash_table_insert(opts->all, g_strdup(key), strv);
    return strv;
}

bool emu_opts_is_help(const char *value)
{
    return value && (!strcmp(value, "help") || !strcmp(value, "?"));
}

bool emu_opts_get_bool(EmuOpts *opts, const char *key, bool def, bool *out,
                       GError **error)
{
    const char *v = emu_opts_get(opts, key);

    if (!v) {
        *out = def;
        return true;
    }
    /* qapi_bool_parse() */
    if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true") ||
        !strcmp(v, "y")) {
        *out = true;
        return true;
    }
    if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false") ||
        !strcmp(v, "n")) {
        *out = false;
        return true;
    }
    g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                "parameter '%s' expects 'on' or 'off'", key);
    return false;
}

bool emu_opts_get_uint(EmuOpts *opts, const char *key, uint64_t max,
                       uint64_t def, uint64_t *out, GError **error)
{
    const char *v = emu_opts_get(opts, key);
    char *end;
    unsigned long long n;

    if (!v) {
        *out = def;
        return true;
    }
    errno = 0;
    n = strtoull(v, &end, 0);
    if (!*v || *end || errno || *v == '-' || n > max) {
        g_set_error(
            error, EMU_ERROR, EMU_ERROR_INVALID,
            "parameter '%s' expects a number from 0 to %" G_GUINT64_FORMAT, key,
            max);
        return false;
    }
    *out = n;
    return true;
}

bool emu_opts_check_unused(EmuOpts *opts, const char *what, GError **error)
{
    for (guint i = 0; i < opts->items->len; i++) {
        EmuOpt *o = g_ptr_array_index(opts->items, i);
        if (!o->used) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "%s%sinvalid parameter '%s'", what ? what : "",
                        what ? ": " : "", o->key);
            return false;
        }
    }
    return true;
}

bool emu_opts_id_wellformed(const char *id)
{
    if (!id || !g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}
