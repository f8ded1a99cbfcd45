/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/xml.c: hostile-safe XML reading and RelaxNG validation for vmd. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

#include "daemon/error.h"
#include "daemon/xml.h"

/* How many schema errors one message reports. */
#define VMD_XML_MAX_REPORTED 3

static void vmd_xml_init(void)
{
    static gsize once;

    if (g_once_init_enter(&once)) {
        xmlInitParser();
        g_once_init_leave(&once, 1);
    }
}

/*
 * SAX hooks: a DOCTYPE (internal or external subset) or any entity
 * declaration stops the parser at once, before anything is expanded or
 * fetched. _private records why, so the caller can say so.
 */
static void vmd_xml_refuse_subset(void *ctx, const xmlChar *name,
                                  const xmlChar *ext_id,
                                  const xmlChar *system_id)
{
    xmlParserCtxtPtr ctxt = ctx;

    ctxt->_private = (void *)"DOCTYPE";
    xmlStopParser(ctxt);
}

static void vmd_xml_refuse_entity(void *ctx, const xmlChar *name, int type,
                                  const xmlChar *public_id,
                                  const xmlChar *system_id, xmlChar *content)
{
    xmlParserCtxtPtr ctxt = ctx;

    ctxt->_private = (void *)"ENTITY";
    xmlStopParser(ctxt);
}

static char *vmd_xml_clean_message(const char *msg)
{
    char *s = g_strdup(msg != NULL ? msg : _("unknown XML error"));

    return g_strstrip(s);
}

/*
 * Recursion is bounded by VMD_XML_MAX_DEPTH (we stop descending there), and
 * libxml2 itself refuses more than 256 levels without XML_PARSE_HUGE.
 */
static gboolean vmd_xml_check_depth(xmlNode *node, int depth, GError **error)
{
    for (; node != NULL; node = node->next) {
        if (node->type != XML_ELEMENT_NODE) {
            continue;
        }
        if (depth > VMD_XML_MAX_DEPTH) {
            g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                        _("line %ld: elements nested deeper than %d levels"),
                        vmd_xml_line(node), VMD_XML_MAX_DEPTH);
            return FALSE;
        }
        if (!vmd_xml_check_depth(node->children, depth + 1, error)) {
            return FALSE;
        }
    }
    return TRUE;
}

xmlDoc *vmd_xml_read(const char *text, gssize len, GError **error)
{
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    gsize size;
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
               XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES;

    g_return_val_if_fail(text != NULL, NULL);
    vmd_xml_init();

    size = len < 0 ? strlen(text) : (gsize)len;
    if (size > VMD_XML_MAX_SIZE) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                    _("XML document too large (%zu bytes, the limit is %d)"),
                    (size_t)size, VMD_XML_MAX_SIZE);
        return NULL;
    }
    if (size == 0) {
        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                            _("empty XML document"));
        return NULL;
    }

    ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_FAILED,
                            _("cannot allocate an XML parser"));
        return NULL;
    }
    ctxt->sax->internalSubset = vmd_xml_refuse_subset;
    ctxt->sax->externalSubset = vmd_xml_refuse_subset;
    ctxt->sax->entityDecl = vmd_xml_refuse_entity;
    ctxt->_private = NULL;

    doc = xmlCtxtReadMemory(ctxt, text, (int)size, "domain.xml", NULL, opts);
    if (ctxt->_private != NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                    _("line %d: DOCTYPE and entity declarations are not "
                      "allowed"),
                    xmlSAX2GetLineNumber(ctxt));
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    if (doc == NULL || !ctxt->wellFormed) {
        xmlErrorPtr err = xmlCtxtGetLastError(ctxt);
        g_autofree char *msg =
            vmd_xml_clean_message(err != NULL ? err->message : NULL);

        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                    _("line %d: malformed XML: %s"),
                    err != NULL ? err->line : 0, msg);
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    xmlFreeParserCtxt(ctxt);

    if (doc->intSubset != NULL || doc->extSubset != NULL) {
        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                            _("DOCTYPE declarations are not allowed"));
        xmlFreeDoc(doc);
        return NULL;
    }
    if (xmlDocGetRootElement(doc) == NULL) {
        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                            _("XML document has no root element"));
        xmlFreeDoc(doc);
        return NULL;
    }
    if (!vmd_xml_check_depth(xmlDocGetRootElement(doc), 1, error)) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

long vmd_xml_line(const xmlNode *node)
{
    return node != NULL ? xmlGetLineNo(node) : 0;
}

char *vmd_xml_schema_path(const char *name)
{
    const char *env = g_getenv("VMKIT_SCHEMA_DIR");
    const char *dirs[] = {
        env,
        PKGDATADIR "/schemas",
#ifdef VMD_SRC_SCHEMA_DIR
        VMD_SRC_SCHEMA_DIR,
#endif
    };

    for (gsize i = 0; i < G_N_ELEMENTS(dirs); i++) {
        char *path;

        if (dirs[i] == NULL || dirs[i][0] == '\0') {
            continue;
        }
        path = g_build_filename(dirs[i], name, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
            return path;
        }
        g_free(path);
    }
    return NULL;
}

/* Collects structured errors from the RelaxNG parser or validator. */
typedef struct {
    GPtrArray *msgs; /* char *, message without line */
    GArray *lines;   /* long, 0 when libxml2 gave none */
} VmdXmlErrors;

static void vmd_xml_errors_init(VmdXmlErrors *errs)
{
    errs->msgs = g_ptr_array_new_with_free_func(g_free);
    errs->lines = g_array_new(FALSE, FALSE, sizeof(long));
}

static void vmd_xml_errors_clear(VmdXmlErrors *errs)
{
    g_ptr_array_unref(errs->msgs);
    g_array_unref(errs->lines);
}

static void vmd_xml_collect_error(void *data, xmlErrorPtr err)
{
    VmdXmlErrors *errs = data;
    long line = 0;

    if (err == NULL) {
        return;
    }
    if (err->line > 0) {
        line = err->line;
    } else if (err->node != NULL) {
        line = vmd_xml_line(err->node);
    }
    g_ptr_array_add(errs->msgs, vmd_xml_clean_message(err->message));
    g_array_append_val(errs->lines, line);
}

/*
 * "line N: msg; line M: msg" for the first VMD_XML_MAX_REPORTED errors.
 * libxml2 gives some RelaxNG errors ("Extra element X in interleave") no
 * node; they are followed by the error on the enclosing element, whose
 * line they borrow.
 */
static char *vmd_xml_errors_format(VmdXmlErrors *errs)
{
    GString *out = g_string_new(NULL);
    guint n = errs->msgs->len;

    for (guint i = 0; i < n && i < VMD_XML_MAX_REPORTED; i++) {
        long line = g_array_index(errs->lines, long, i);

        for (guint j = i + 1; line == 0 && j < n; j++) {
            line = g_array_index(errs->lines, long, j);
        }
        if (out->len > 0) {
            g_string_append(out, "; ");
        }
        if (line > 0) {
            g_string_append_printf(
                out, _("line %ld: %s"), line,
                (const char *)g_ptr_array_index(errs->msgs, i));
        } else {
            g_string_append(out, g_ptr_array_index(errs->msgs, i));
        }
    }
    if (n > VMD_XML_MAX_REPORTED) {
        g_string_append_printf(out, _(" (and %u more errors)"),
                               n - VMD_XML_MAX_REPORTED);
    }
    return g_string_free(out, FALSE);
}

G_LOCK_DEFINE_STATIC(vmd_xml_schemas);
static GHashTable *vmd_xml_schemas; /* name -> xmlRelaxNGPtr */

static xmlRelaxNGPtr vmd_xml_load_schema(const char *name, GError **error)
{
    g_autofree char *path = NULL;
    xmlRelaxNGParserCtxtPtr pctxt;
    xmlRelaxNGPtr rng;
    VmdXmlErrors errs;

    path = vmd_xml_schema_path(name);
    if (path == NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("schema %s not found (set VMKIT_SCHEMA_DIR)"), name);
        return NULL;
    }
    vmd_xml_errors_init(&errs);
    pctxt = xmlRelaxNGNewParserCtxt(path);
    xmlRelaxNGSetParserStructuredErrors(pctxt, vmd_xml_collect_error, &errs);
    rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (rng == NULL) {
        g_autofree char *msg = vmd_xml_errors_format(&errs);

        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("cannot load schema %s: %s"), path, msg);
    }
    vmd_xml_errors_clear(&errs);
    return rng;
}

gboolean vmd_xml_validate(xmlDoc *doc, const char *schema, GError **error)
{
    xmlRelaxNGPtr rng;
    xmlRelaxNGValidCtxtPtr vctxt;
    VmdXmlErrors errs;
    int rc;

    vmd_xml_init();
    G_LOCK(vmd_xml_schemas);
    if (vmd_xml_schemas == NULL) {
        vmd_xml_schemas =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    }
    rng = g_hash_table_lookup(vmd_xml_schemas, schema);
    if (rng == NULL) {
        rng = vmd_xml_load_schema(schema, error);
        if (rng == NULL) {
            G_UNLOCK(vmd_xml_schemas);
            return FALSE;
        }
        g_hash_table_insert(vmd_xml_schemas, g_strdup(schema), rng);
    }
    G_UNLOCK(vmd_xml_schemas);

    /* A compiled schema is read-only: validation contexts may share it. */
    vctxt = xmlRelaxNGNewValidCtxt(rng);
    if (vctxt == NULL) {
        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_FAILED,
                            _("cannot allocate a schema validator"));
        return FALSE;
    }
    vmd_xml_errors_init(&errs);
    xmlRelaxNGSetValidStructuredErrors(vctxt, vmd_xml_collect_error, &errs);
    rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    if (rc != 0) {
        g_autofree char *msg = errs.msgs->len > 0
                                   ? vmd_xml_errors_format(&errs)
                                   : g_strdup(_("document does not match the "
                                                "schema"));

        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_INVALID_XML, msg);
        vmd_xml_errors_clear(&errs);
        return FALSE;
    }
    vmd_xml_errors_clear(&errs);
    return TRUE;
}
