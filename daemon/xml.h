/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/xml.h: hostile-safe XML reading and RelaxNG validation for vmd. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Documents larger than this are refused before parsing. */
#define VMD_XML_MAX_SIZE (1024 * 1024)
/* Element nesting deeper than this is refused (domain XML needs ~6). */
#define VMD_XML_MAX_DEPTH 32

/* The namespace of vmkit's extension elements in domain XML. */
#define VMD_XML_NS "http://vmkit.org/schemas/domain/1.0"

/**
 * vmd_xml_read:
 * @text: the document
 * @len: its length in bytes, or -1 when NUL-terminated
 * @error: VMD_ERROR_INVALID_XML on failure
 *
 * Parses @text without touching the network, without expanding entities
 * and refusing any DOCTYPE or entity declaration, documents above
 * VMD_XML_MAX_SIZE and nesting above VMD_XML_MAX_DEPTH. Errors carry
 * "line N: " prefixes. Thread: any.
 *
 * Returns: (transfer full): the document, free with xmlFreeDoc().
 */
xmlDoc *vmd_xml_read(const char *text, gssize len, GError **error);

/**
 * vmd_xml_schema_path:
 * @name: a schema file name, e.g. "domain.rng"
 *
 * Finds a schema: $VMKIT_SCHEMA_DIR, then $(pkgdatadir)/schemas, then the
 * source tree (uninstalled runs). Thread: any.
 *
 * Returns: (transfer full) (nullable): the path, or NULL when not found.
 */
char *vmd_xml_schema_path(const char *name);

/**
 * vmd_xml_validate:
 * @doc: a document from vmd_xml_read()
 * @schema: a schema file name, e.g. "domain.rng"
 * @error: VMD_ERROR_INVALID_XML ("line N: ...") when @doc does not
 *   validate; VMD_ERROR_FAILED when the schema cannot be loaded
 *
 * Validates @doc against a RelaxNG schema (compiled once, then cached).
 * Thread: any.
 */
gboolean vmd_xml_validate(xmlDoc *doc, const char *schema, GError **error);

/**
 * vmd_xml_line:
 * Returns: the source line of @node (0 when unknown).
 */
long vmd_xml_line(const xmlNode *node);

G_END_DECLS
