/* The file writers behind jx_report_write, and their shared helpers. */
#ifndef JX_WRITERS_H
#define JX_WRITERS_H

#include "report.h"

/* Writes data to path atomically (temp file, then rename). */
jx_status jx__write_atomic(const char *path, const char *data, size_t len, jx_diags *errors);
/* The temporary name used for path ("dir/.name.tmpXXXXXX", for mkstemp). */
bool jx__temp_path(const char *path, char *buf, size_t size);
/* Reserves a fresh temporary file beside path (its name into tmp), mode
 * 0644: its descriptor, or -1 with a W01 diagnostic.  Writers that cannot
 * write to a descriptor (libxlsxwriter) close it and write the name. */
int jx__temp_open(const char *path, char *tmp, size_t size, jx_diags *errors);
/* Renames a finished temporary file over path (removing it on failure). */
jx_status jx__commit_temp(const char *tmp, const char *path, jx_diags *errors);

/* Seconds since 1970 to use inside documents: opts->timestamp, or a
 * fixed 2000-01-01T00:00:00Z when it is -1. */
static inline int64_t jx__doc_time(const jx_report_opts *o)
{
	return o->timestamp >= 0 ? o->timestamp : 946684800;
}

/* Escapes text for HTML element content and attribute values; newlines
 * become <br> when br is set, else spaces (html.c). */
void jx__html_esc(jx__buf *b, const char *s, bool br);
/* The same, keeping line breaks as they are (text areas, attributes). */
void jx__html_esc_raw(jx__buf *b, const char *s);

jx_status jx__write_html(const jx__report *r, const char *path, const jx_report_opts *o,
                         jx_diags *errors);
jx_status jx__write_docx(const jx__report *r, const char *path, const jx_report_opts *o,
                         jx_diags *errors);
jx_status jx__write_xlsx(const jx__report *r, const char *path, const jx_report_opts *o,
                         jx_diags *errors);

#endif
