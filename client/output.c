/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client/output.c: vmctl's output formats: virsh-style tables and the
 * small JSON writer behind every --json. */
#include "config.h"

#include <string.h>

#include "client/vmctl.h"

/* ---- tables ---------------------------------------------------------------
 * The layout of virsh's vsh-table: each cell is preceded by one space and
 * padded to the column width plus two; the dashes line is the sum of
 * (width + 3); virsh ends the table with an empty line. */

struct VmctlTable {
    guint ncols;
    GPtrArray *rows; /* of GStrv; rows[0] is the header */
};

gsize vmctl_display_width(const char *s)
{
    gsize w = 0;

    if (!g_utf8_validate(s, -1, NULL)) {
        return strlen(s);
    }
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if (g_unichar_iszerowidth(c)) {
            continue;
        }
        w += g_unichar_iswide(c) ? 2 : 1;
    }
    return w;
}

void vmctl_print_padded(FILE *out, const char *s, gsize width)
{
    gsize w = vmctl_display_width(s);

    fputs(s, out);
    for (; w < width; w++) {
        fputc(' ', out);
    }
}

VmctlTable *vmctl_table_new(guint ncols, const char *const *headers)
{
    VmctlTable *t = g_new0(VmctlTable, 1);

    t->ncols = ncols;
    t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    vmctl_table_add(t, headers);
    return t;
}

void vmctl_table_add(VmctlTable *t, const char *const *cells)
{
    char **row = g_new0(char *, t->ncols + 1);

    for (guint i = 0; i < t->ncols; i++) {
        row[i] = g_strdup(cells[i] ? cells[i] : "-");
    }
    g_ptr_array_add(t->rows, row);
}

void vmctl_table_print(VmctlTable *t, FILE *out)
{
    g_autofree gsize *maxw = g_new0(gsize, t->ncols);

    for (guint r = 0; r < t->rows->len; r++) {
        char **row = g_ptr_array_index(t->rows, r);

        for (guint c = 0; c < t->ncols; c++) {
            maxw[c] = MAX(maxw[c], vmctl_display_width(row[c]));
        }
    }
    for (guint r = 0; r < t->rows->len; r++) {
        char **row = g_ptr_array_index(t->rows, r);

        for (guint c = 0; c < t->ncols; c++) {
            fprintf(out, " %s", row[c]);
            if (c + 1 < t->ncols) {
                gsize pad = maxw[c] - vmctl_display_width(row[c]) + 2;

                fprintf(out, "%*s", (int)pad, "");
            }
        }
        fputc('\n', out);
        if (r == 0) {
            for (guint c = 0; c < t->ncols; c++) {
                for (gsize k = 0; k < maxw[c] + 3; k++) {
                    fputc('-', out);
                }
            }
            fputc('\n', out);
        }
    }
    fputc('\n', out);
}

void vmctl_table_free(VmctlTable *t)
{
    if (t) {
        g_ptr_array_unref(t->rows);
        g_free(t);
    }
}

/* ---- JSON -------------------------------------------------------------- */

struct VmctlJson {
    GString *buf;
    guint depth;
    bool need_comma; /* a value was written at the current depth */
    bool after_key;  /* the next value follows "key": */
};

VmctlJson *vmctl_json_new(void)
{
    VmctlJson *j = g_new0(VmctlJson, 1);

    j->buf = g_string_new(NULL);
    return j;
}

void vmctl_json_free(VmctlJson *j)
{
    if (j) {
        g_string_free(j->buf, TRUE);
        g_free(j);
    }
}

static void newline_indent(VmctlJson *j)
{
    g_string_append_c(j->buf, '\n');
    for (guint i = 0; i < j->depth; i++) {
        g_string_append(j->buf, "  ");
    }
}

/* Separator and indentation before a value or a key. */
static void before_item(VmctlJson *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->need_comma) {
        g_string_append_c(j->buf, ',');
    }
    if (j->depth > 0) {
        newline_indent(j);
    }
}

static void escape_string(GString *b, const char *s)
{
    g_string_append_c(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            g_string_append(b, "\\\"");
            break;
        case '\\':
            g_string_append(b, "\\\\");
            break;
        case '\n':
            g_string_append(b, "\\n");
            break;
        case '\r':
            g_string_append(b, "\\r");
            break;
        case '\t':
            g_string_append(b, "\\t");
            break;
        default:
            if (*p < 0x20) {
                g_string_append_printf(b, "\\u%04x", *p);
            } else {
                g_string_append_c(b, (char)*p);
            }
        }
    }
    g_string_append_c(b, '"');
}

static void begin(VmctlJson *j, char c)
{
    before_item(j);
    g_string_append_c(j->buf, c);
    j->depth++;
    j->need_comma = false;
}

static void end(VmctlJson *j, char c)
{
    bool empty = !j->need_comma;

    j->depth--;
    if (!empty) {
        newline_indent(j);
    }
    g_string_append_c(j->buf, c);
    j->need_comma = true;
}

void vmctl_json_begin_object(VmctlJson *j)
{
    begin(j, '{');
}

void vmctl_json_end_object(VmctlJson *j)
{
    end(j, '}');
}

void vmctl_json_begin_array(VmctlJson *j)
{
    begin(j, '[');
}

void vmctl_json_end_array(VmctlJson *j)
{
    end(j, ']');
}

void vmctl_json_key(VmctlJson *j, const char *key)
{
    before_item(j);
    escape_string(j->buf, key);
    g_string_append(j->buf, ": ");
    j->after_key = true;
}

void vmctl_json_string(VmctlJson *j, const char *s)
{
    before_item(j);
    if (s) {
        /* JSON is UTF-8: replace invalid bytes rather than emit them. */
        g_autofree char *valid = g_utf8_make_valid(s, -1);

        escape_string(j->buf, valid);
    } else {
        g_string_append(j->buf, "null");
    }
    j->need_comma = true;
}

void vmctl_json_int(VmctlJson *j, gint64 v)
{
    before_item(j);
    g_string_append_printf(j->buf, "%" G_GINT64_FORMAT, v);
    j->need_comma = true;
}

void vmctl_json_bool(VmctlJson *j, bool v)
{
    before_item(j);
    g_string_append(j->buf, v ? "true" : "false");
    j->need_comma = true;
}

void vmctl_json_print(VmctlJson *j, FILE *out)
{
    fputs(j->buf->str, out);
    fputc('\n', out);
}
