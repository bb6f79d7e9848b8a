/* Writing reports to files: the format dispatch and atomic replacement
 * (temporary file in the same directory, then rename). */
#include "report.h"
#include "writers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "out/x.docx" -> "out/.x.docx.tmpXXXXXX"; false if it does not fit. */
bool jx__temp_path(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
	int n = snprintf(buf, size, "%.*s.%s.tmpXXXXXX", (int)dirlen, path, path + dirlen);
	return n > 0 && (size_t)n < size;
}

int jx__temp_open(const char *path, char *tmp, size_t size, jx_diags *errors)
{
	jx__loc l = {path, 0, 0};
	if (!jx__temp_path(path, tmp, size)) {
		jx__diag_fatal(errors, "W01", l, NULL, "输出路径过长");
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		jx__diag_fatal(errors, "W01", l, NULL, "无法创建输出文件：%s",
		               jx_errno_text(errno));
		return -1;
	}
	/* mkstemp makes the file private; a report is an ordinary file. */
	(void)fchmod(fd, 0644);
	return fd;
}

jx_status jx__write_atomic(const char *path, const char *data, size_t len, jx_diags *errors)
{
	char tmp[4096];
	jx__loc l = {path, 0, 0};
	int fd = jx__temp_open(path, tmp, sizeof tmp, errors);
	if (fd < 0)
		return JX_ERR_IO;
	FILE *f = fdopen(fd, "wb");
	bool ok = f && fwrite(data, 1, len, f) == len;
	ok = (f ? fclose(f) == 0 : (close(fd), false)) && ok;
	if (!ok || rename(tmp, path) != 0) {
		int err = errno;
		unlink(tmp);
		jx__diag_fatal(errors, "W01", l, NULL, "写入失败：%s", jx_errno_text(err));
		return JX_ERR_IO;
	}
	return JX_OK;
}

jx_status jx__commit_temp(const char *tmp, const char *path, jx_diags *errors)
{
	(void)chmod(tmp, 0644);
	if (rename(tmp, path) == 0)
		return JX_OK;
	int err = errno;
	jx__loc l = {path, 0, 0};
	unlink(tmp);
	jx__diag_fatal(errors, "W01", l, NULL, "写入失败：%s", jx_errno_text(err));
	return JX_ERR_IO;
}

static jx_status write_string(char *s, const char *path, const jx_allocator *a, jx_diags *errors)
{
	if (!s)
		return JX_ERR_OOM;
	jx_status st = jx__write_atomic(path, s, strlen(s), errors);
	jx__free(a, s);
	return st;
}

typedef struct writer {
	const char *name;
	jx_status (*write)(const jx__report *r, const char *path, const jx_report_opts *o,
	                   jx_diags *errors);
} writer;

static jx_status write_md(const jx__report *r, const char *path, const jx_report_opts *o,
                          jx_diags *errors)
{
	(void)o;
	return write_string(jx__render_markdown(r), path, r->doc->alloc, errors);
}

static const writer writers[] = {
        {"md", write_md},
#ifdef JX_HAVE_HTML
        {"html", jx__write_html},
#endif
#ifdef JX_HAVE_DOCX
        {"docx", jx__write_docx},
#endif
#ifdef JX_HAVE_XLSX
        {"xlsx", jx__write_xlsx},
#endif
};

static const writer *find_writer(const char *format)
{
	for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++)
		if (!strcmp(writers[i].name, format))
			return &writers[i];
	return NULL;
}

bool jx_report_format_supported(const char *format)
{
	return find_writer(format) != NULL;
}

jx_status jx_report_write(jx_doc *doc, const jx_diags *findings, const char *format,
                          const char *path, const jx_report_opts *opts, jx_diags *errors)
{
	jx_report_opts dflt = {.timestamp = -1};
	const writer *w = find_writer(format);
	jx__loc l = {path, 0, 0};
	if (!w) {
		jx__diag_fatal(errors, "W02", l, NULL, "不支持的报告格式“%s”", format);
		return JX_ERR_USAGE;
	}
	if (!doc->evaluated) {
		jx_status st = jx_doc_evaluate(doc, errors);
		if (st != JX_OK)
			return st;
	}
	jx__report *r = jx__report_build(doc, findings);
	if (!r) {
		jx__diag_fatal(errors, "Y00", l, NULL, "内存不足");
		return JX_ERR_OOM;
	}
	jx_status st = w->write(r, path, opts ? opts : &dflt, errors);
	jx__report_free(r);
	return st;
}
