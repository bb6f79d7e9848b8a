/* jixiao audit: reads reports as published and lists what does not add up.
 * Exit status: 0 no error findings; 1 error findings; 2 bad usage or a
 * report that cannot be read. */
#include "jixiao/audit.h"

#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char usage_audit[] =
        "用法：jixiao audit 文件... [--format text|json] [--extract 输出.yaml] [--scheme 方案]\n"
        "\n"
        "读取已公开的自评报告（.txt、.docx；装有 pdftotext 时也读 .pdf），\n"
        "核对编号（X01）、文中数字与其后列举（X02）、同一数字前后不一（X03）、\n"
        "单位（元/万元）错写（X04），并把报告写明的数字代入规则包：\n"
        "只运行输入齐全的规则，报告中没有的数字不会变成问题。\n"
        "每个问题给出行号、原文摘录与算式。\n"
        "\n"
        "  --format json        每个文件一行 JSON（同 check，另有 snippet 与 extracted）\n"
        "  --figures            列出提取到的每个数字：行号、字段路径、数值\n"
        "  --extract 输出.yaml   把提取到的数字写成数据文件（只能有一个输入文件），\n"
        "                       补全后可用 jixiao check 核查\n"
        "\n"
        "退出状态：0 无错误；1 有错误；2 用法错误或文件无法读取。\n";

typedef struct aopts {
	const char *format, *extract, *scheme_path;
	int nfiles;
	char **files;
	bool color, figures;
} aopts;

static int parse(int argc, char **argv, aopts *o)
{
	o->files = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->files)
		return EXIT_USAGE;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = !strcmp(a, "--format")    ? &o->format
		                    : !strcmp(a, "--extract") ? &o->extract
		                    : !strcmp(a, "--scheme")  ? &o->scheme_path
		                                              : NULL;
		if (!strcmp(a, "--figures")) {
			o->figures = true;
		} else if (slot) {
			if (i + 1 >= argc)
				return cli_usage_error("选项缺少取值", a, usage_audit);
			*slot = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("未知选项", a, usage_audit);
		} else {
			o->files[o->nfiles++] = argv[i];
		}
	}
	if (!o->nfiles)
		return cli_usage_error("缺少报告文件", NULL, usage_audit);
	if (o->format && strcmp(o->format, "text") && strcmp(o->format, "json"))
		return cli_usage_error("--format 应为 text 或 json", o->format, usage_audit);
	if (o->extract && o->nfiles != 1)
		return cli_usage_error("--extract 只能用于一个报告文件", NULL, usage_audit);
	return EXIT_FINE;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n > t && !strcasecmp(s + n - t, tail);
}

/* pdftotext -layout FILE - : the PDF's text, or NULL with the reason. */
static char *pdf_text(const char *path, size_t *len, jx_diags *d)
{
	int fds[2];
	if (access("/usr/bin/pdftotext", X_OK) != 0) {
		jx_diags_add(d, JX_SEV_FATAL, "A01", path, 0, 0, NULL,
		             "读取 PDF 需要 pdftotext（Debian 软件包 poppler-utils）");
		return NULL;
	}
	if (pipe(fds) != 0) {
		jx_diags_add(d, JX_SEV_FATAL, "A01", path, 0, 0, NULL, "无法启动 pdftotext");
		return NULL;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl("/usr/bin/pdftotext", "pdftotext", "-q", "-layout", "-enc", "UTF-8", path,
		      "-", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	size_t cap = 65536, n = 0;
	char *buf = pid > 0 ? malloc(cap) : NULL;
	bool too_large = false;
	for (;;) {
		if (!buf)
			break;
		if (n == cap) {
			if (cap >= (16u << 20)) {
				too_large = true; /* the text limit of every report */
				break;
			}
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		ssize_t got = read(fds[0], buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fds[0]);
	int status = 0;
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (too_large) {
		free(buf);
		jx_diags_add(d, JX_SEV_FATAL, "A02", path, 0, 0, NULL, "PDF 的文字超过 16 MiB");
		return NULL;
	}
	if (!buf || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(buf);
		jx_diags_add(d, JX_SEV_FATAL, "A01", path, 0, 0, NULL, "pdftotext 无法读取该 PDF");
		return NULL;
	}
	*len = n;
	return buf;
}

static void print_finding(const jx_diag *g, bool color)
{
	cli_print_diag(g, color);
	if (g->snippet)
		printf("  > %s\n", g->snippet);
}

static int audit_one(const aopts *o, const jx_scheme *s, const char *file)
{
	jx_diags *d = jx_diags_new(NULL);
	size_t len = 0;
	char *buf = NULL;
	if (!d)
		return EXIT_USAGE;
	if (ends_with(file, ".pdf"))
		buf = pdf_text(file, &len, d);
	else
		buf = jx_read_file(file, NULL, &len, d);
	jx_audit *a = buf ? jx_audit_mem(s, file, buf, len, NULL, d) : NULL;
	int rc = !a ? EXIT_USAGE : jx_diags_count_sev(d, JX_SEV_ERROR) ? EXIT_FINDINGS : EXIT_FINE;
	if (o->format && !strcmp(o->format, "json")) {
		char *json = jx_audit_render_json(a, file, d, NULL);
		if (json)
			puts(json);
		free(json);
	} else {
		for (size_t i = 0; i < jx_diags_count(d); i++)
			print_finding(jx_diags_get(d, i), o->color);
		jx_audit_figure f;
		for (size_t i = 0; a && o->figures && jx_audit_figure_at(a, i, &f); i++)
			if (f.line)
				printf("%s:%u: %s = %s\n", file, f.line, f.path, f.value);
		if (a)
			printf("%s: %zu 个错误，%zu 个警告，%zu 个提示；提取数字 %zu 项\n", file,
			       jx_diags_count_sev(d, JX_SEV_ERROR),
			       jx_diags_count_sev(d, JX_SEV_WARNING),
			       jx_diags_count_sev(d, JX_SEV_INFO), jx_audit_figure_count(a));
	}
	if (a && o->extract && jx_audit_yaml(a) &&
	    !cli_write_file(o->extract, jx_audit_yaml(a), strlen(jx_audit_yaml(a)))) {
		fprintf(stderr, "jixiao: 错误：无法写入 %s：%s\n", o->extract,
		        jx_errno_text(errno));
		rc = EXIT_USAGE;
	}
	jx_audit_free(a);
	free(buf);
	jx_diags_free(d);
	return rc;
}

int cmd_audit(int argc, char **argv, bool color)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_audit, stdout);
			return EXIT_FINE;
		}
	aopts o = {.color = color};
	int rc = parse(argc, argv, &o);
	scheme_cache *cache = NULL;
	jx_diags *d = rc == EXIT_FINE ? jx_diags_new(NULL) : NULL;
	jx_scheme *s = d ? cli_scheme(&cache, o.scheme_path, NULL, "audit", color, d) : NULL;
	if (d && !s) {
		cli_print_all(d, color);
		rc = EXIT_USAGE;
	}
	for (int i = 0; s && i < o.nfiles; i++) {
		int r = audit_one(&o, s, o.files[i]);
		rc = r > rc ? r : rc;
	}
	jx_diags_free(d);
	cli_free_schemes(cache);
	free(o.files);
	return rc;
}
