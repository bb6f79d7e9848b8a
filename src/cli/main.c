/* jixiao: the command-line interface.  The only part of jixiao that talks
 * to the terminal.  Exit status: 0 no errors, 1 error findings, 2 bad
 * usage or unreadable input (docs/cli.md). */
#include "jixiao/jixiao.h"

#include "cli.h"

#include "../gen/gen.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#ifndef JX_SCHEMEDIR
#define JX_SCHEMEDIR "/usr/local/share/jixiao/schemes"
#endif

typedef struct opts {
	const char *scheme_path;
	const char *outdir;
	const char *formats;
	bool force;
	bool json;
	bool color;
	int nfiles;
	char **files;
} opts;

/* ---- help ---- */

static const char usage_main[] =
        "用法：jixiao 命令 [选项] 文件...\n"
        "\n"
        "绩效自评的计算、评分与核查。\n"
        "\n"
        "命令：\n"
        "  check FILE...        核查数据文件，按编译器格式列出问题\n"
        "  score FILE           打印自评表：填报得分与计算得分、总分、等次\n"
        "  scheme check FILE    检查方案文件（字段、公式、规则）\n"
        "  report FILE          生成自评报告（DOCX、XLSX、HTML、Markdown）\n"
        "  import FILE.xlsx     把填好的附件表工作簿读回为数据文件并核查\n"
        "  template -o FILE     生成供 Excel/WPS 填写的空白工作簿模板\n"
        "  gen -o DIR           生成带已知错误的合成数据文件（测试与基准用）\n"
        "  db 子命令            单位与年度的数据库：导入、列表、审核清单、排名汇总\n"
        "  audit 报告...        核查已公开的自评报告（txt、docx、pdf）中前后不一之处\n"
        "  user add|list        网页应用的账户（密码从标准输入读取）\n"
        "  serve                网页应用：填报、提交、审核、公开\n"
        "\n"
        "选项：\n"
        "  -h, --help           显示帮助\n"
        "  -V, --version        显示版本\n"
        "\n"
        "退出状态：0 无错误；1 发现错误；2 用法错误或文件无法读取。\n"
        "详见 docs/cli.md。\n";

static const char usage_check[] =
        "用法：jixiao check FILE... [--format text|json] [--scheme PATH]\n"
        "\n"
        "载入每个数据文件，计算派生值与得分，运行方案的全部规则。\n"
        "\n"
        "  --format text   编译器格式：文件:行:列: 级别[规则]: 说明（默认）\n"
        "  --format json   每个文件一行 JSON：findings 与 summary，数值为精确十进制字符串\n"
        "  --scheme PATH   指定方案文件（默认按数据文件的 scheme: 在方案目录中查找）\n"
        "\n"
        "退出状态：0 无错误；1 有 error 级问题；2 用法错误或文件无法载入。\n";

static const char usage_score[] =
        "用法：jixiao score FILE [--scheme PATH]\n"
        "\n"
        "打印自评表：每个指标的分值、填报得分与计算得分，各一级指标小计，\n"
        "总分与等次；“≠”标出填报与计算不一致之处。\n"
        "\n"
        "退出状态：0 无错误；1 有 error 级问题；2 用法错误或文件无法载入。\n";

static const char usage_report[] =
        "用法：jixiao report FILE [-o DIR] [--format docx,xlsx,html,md] [--force] [--scheme PATH]\n"
        "\n"
        "由数据文件生成自评报告及附件表：正文中的每个数字都来自计算结果，与附表一致。\n"
        "\n"
        "  -o DIR          输出目录（默认当前目录），文件名取数据文件名\n"
        "  --format LIST   逗号分隔的格式，默认 docx,xlsx,html,md\n"
        "  --force         有错误时仍然生成，并标注为草稿及未改正的错误数\n"
        "\n"
        "环境变量 SOURCE_DATE_EPOCH 设定文档内的时间，相同输入得到逐字节相同的文件。\n"
        "退出状态：0 已生成；1 有错误而未使用 --force；2 用法错误、文件无法载入或无法写入。\n";

static const char usage_scheme[] =
        "用法：jixiao scheme check FILE\n"
        "\n"
        "载入方案文件：检查字段定义、公式（未知字段与类型错误带行列号）、\n"
        "派生值的循环引用、规则与报告大纲。\n"
        "\n"
        "退出状态：0 方案无误；2 方案有错或无法读取。\n";

/* ---- output ---- */

static const char *sev_word(jx_severity s)
{
	return s == JX_SEV_FATAL ? "error" : jx_severity_name(s);
}

static const char *sev_color(jx_severity s)
{
	switch (s) {
	case JX_SEV_INFO:
		return "\033[36m";
	case JX_SEV_WARNING:
		return "\033[35m";
	default:
		return "\033[31m";
	}
}

void cli_print_diag(const jx_diag *g, bool color)
{
	const char *on = color ? sev_color(g->severity) : "", *off = color ? "\033[0m" : "";
	const char *bold = color ? "\033[1m" : "";
	if (g->line)
		printf("%s%s:%u:%u:%s ", bold, g->file ? g->file : "", g->line, g->column, off);
	else
		printf("%s%s:%s ", bold, g->file ? g->file : "jixiao", off);
	printf("%s%s[%s]%s: %s", on, sev_word(g->severity), g->id ? g->id : "", off, g->message);
	if (g->path)
		printf("  [%s]", g->path);
	putchar('\n');
	if (g->note)
		printf("  note: %s\n", g->note);
	if (g->explanation)
		printf("  说明：%s\n", g->explanation);
}

static void print_summary(const char *file, jx_doc *doc, const jx_diags *d)
{
	if (!doc) {
		printf("%s: 无法载入（%zu 个错误）\n", file, jx_diags_count_sev(d, JX_SEV_FATAL));
		return;
	}
	char total[64], grade[64], stotal[64], sgrade[64];
	jx_doc_format_result(doc, JX_RESULT_TOTAL, total, sizeof total);
	jx_doc_format_result(doc, JX_RESULT_GRADE, grade, sizeof grade);
	jx_doc_format_result(doc, JX_RESULT_STATED_TOTAL, stotal, sizeof stotal);
	jx_doc_format_result(doc, JX_RESULT_STATED_GRADE, sgrade, sizeof sgrade);
	size_t explained = 0;
	for (size_t i = 0; i < jx_diags_count(d); i++)
		explained += jx_diags_get(d, i)->explanation != NULL;
	printf("%s: %zu 个错误，%zu 个警告", file, jx_diags_count_sev(d, JX_SEV_ERROR),
	       jx_diags_count_sev(d, JX_SEV_WARNING));
	if (explained)
		printf("（%zu 个已说明）", explained);
	printf("，%zu 个提示", jx_diags_count_sev(d, JX_SEV_INFO));
	if (total[0])
		printf("；计算总分 %s（%s）", total, grade[0] ? grade : "—");
	if (stotal[0])
		printf("，自评 %s（%s）", stotal, sgrade[0] ? sgrade : "—");
	putchar('\n');
}

/* ---- schemes ---- */

struct scheme_cache {
	char name[128];
	jx_scheme *s;
	struct scheme_cache *next;
};

static bool file_exists(const char *p)
{
	return access(p, R_OK) == 0;
}

/* out = dir + "/" + rel + name + ".yaml", if it fits. */
static bool join(char *out, size_t size, const char *dir, const char *rel, const char *name)
{
	size_t need = strlen(dir) + 1 + strlen(rel) + strlen(name) + sizeof ".yaml";
	if (need > size)
		return false;
	strcpy(out, dir);
	strcat(out, "/");
	strcat(out, rel);
	strcat(out, name);
	strcat(out, ".yaml");
	return true;
}

/* Finds NAME.yaml in $JIXIAO_SCHEMES, beside the executable (../schemes),
 * in ./schemes, then in the installed directory. */
static bool find_scheme(const char *name, char *out, size_t size)
{
	char exe[PATH_MAX];
	const char *env = getenv("JIXIAO_SCHEMES");
	if (env && *env && join(out, size, env, "", name) && file_exists(out))
		return true;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (join(out, size, exe, "../schemes/", name) && file_exists(out))
				return true;
		}
	}
	if (join(out, size, ".", "schemes/", name) && file_exists(out))
		return true;
	return join(out, size, JX_SCHEMEDIR, "", name) && file_exists(out);
}

static bool valid_scheme_name(const char *n)
{
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_'))
			return false;
	return *n != '\0';
}

void cli_print_all(const jx_diags *d, bool color)
{
	for (size_t i = 0; i < jx_diags_count(d); i++)
		cli_print_diag(jx_diags_get(d, i), color);
}

static jx_scheme *load_scheme_path(scheme_cache **cache, const char *key, const char *path,
                                   bool color)
{
	for (scheme_cache *c = *cache; c; c = c->next)
		if (!strcmp(c->name, key))
			return c->s;
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		return NULL;
	jx_scheme *s = jx_scheme_load_file(path, NULL, d);
	cli_print_all(d, color);
	jx_diags_free(d);
	if (!s)
		return NULL;
	scheme_cache *c = calloc(1, sizeof(*c));
	if (!c) {
		jx_scheme_free(s);
		return NULL;
	}
	snprintf(c->name, sizeof c->name, "%s", key);
	c->s = s;
	c->next = *cache;
	*cache = c;
	return s;
}

void cli_free_schemes(scheme_cache *c)
{
	while (c) {
		scheme_cache *n = c->next;
		jx_scheme_free(c->s);
		free(c);
		c = n;
	}
}

static jx_scheme *cached(scheme_cache *cache, const char *key)
{
	for (scheme_cache *c = cache; c; c = c->next)
		if (!strcmp(c->name, key))
			return c->s;
	return NULL;
}

/* The scheme for one data file (its text in buf): --scheme, else its
 * `scheme:` line.  When none can be had, the reason goes into d. */
static jx_scheme *scheme_for(const opts *o, scheme_cache **cache, const char *file, const char *buf,
                             size_t len, jx_diags *d)
{
	char name[128], path[PATH_MAX + 64], msg[512];
	jx_scheme *s;
	if (o->scheme_path) {
		s = load_scheme_path(cache, o->scheme_path, o->scheme_path, o->color);
		if (!s)
			jx_diags_add(d, JX_SEV_FATAL, "Y11", file, 0, 0, NULL, "所用方案无法载入");
		return s;
	}
	if (!jx_data_scheme_name(buf, len, name, sizeof name))
		snprintf(name, sizeof name, "hunan-dept-overall");
	if ((s = cached(*cache, name)))
		return s;
	if (valid_scheme_name(name) && find_scheme(name, path, sizeof path))
		return load_scheme_path(cache, name, path, o->color);
	snprintf(msg, sizeof msg,
	         "找不到方案“%.100s”（可设置 JIXIAO_SCHEMES 或用 --scheme 指定方案文件）", name);
	jx_diags_add(d, JX_SEV_FATAL, "Y11", file, 0, 0, "scheme", msg);
	return NULL;
}

jx_scheme *cli_scheme(scheme_cache **cache, const char *override_path, const char *name,
                      const char *file, bool color, jx_diags *d)
{
	opts o = {.scheme_path = override_path, .color = color};
	char line[160];
	int n = snprintf(line, sizeof line, "scheme: %s\n", name ? name : "hunan-dept-overall");
	return scheme_for(&o, cache, file, line, (size_t)n, d);
}

jx_report_opts cli_report_opts(void)
{
	jx_report_opts ro = {.timestamp = -1};
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde)
		ro.timestamp = strtoll(sde, NULL, 10);
	return ro;
}

/* ---- commands ---- */

typedef enum mode { M_CHECK, M_SCORE, M_REPORT } mode;

/* "dir/" + basename of file without .yaml + "." + ext. */
static void out_path(const opts *o, const char *file, const char *ext, char *buf, size_t size)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		n -= 5;
	else if (n > 4 && !strcmp(base + n - 4, ".yml"))
		n -= 4;
	snprintf(buf, size, "%s%s%.*s.%s", o->outdir ? o->outdir : "",
	         o->outdir && o->outdir[strlen(o->outdir) - 1] != '/' ? "/" : "", (int)n, base,
	         ext);
}

static int report_files(const opts *o, jx_doc *doc, jx_diags *d, const char *file)
{
	char formats[256], path[PATH_MAX];
	if (!doc) {
		cli_print_all(d, o->color);
		print_summary(file, doc, d);
		return EXIT_USAGE;
	}
	size_t errors = jx_diags_count_sev(d, JX_SEV_ERROR);
	if (errors && !o->force) {
		cli_print_all(d, o->color);
		printf("%s: 有 %zu 个错误，未生成报告（改正后再生成，或用 --force 生成草稿）\n",
		       file, errors);
		return EXIT_FINDINGS;
	}
	jx_report_opts ro = cli_report_opts();
	snprintf(formats, sizeof formats, "%s", o->formats ? o->formats : "docx,xlsx,html,md");
	int rc = EXIT_FINE;
	for (char *save = NULL, *f = strtok_r(formats, ",", &save); f;
	     f = strtok_r(NULL, ",", &save)) {
		jx_diags *werr = jx_diags_new(NULL);
		if (!werr)
			return EXIT_USAGE;
		out_path(o, file, f, path, sizeof path);
		if (jx_report_write(doc, d, f, path, &ro, werr) == JX_OK) {
			printf("%s%s\n", path, errors ? "（草稿）" : "");
		} else {
			cli_print_all(werr, o->color);
			rc = EXIT_USAGE;
		}
		jx_diags_free(werr);
	}
	return rc;
}

static int run_file(const opts *o, scheme_cache **cache, const char *file, mode m)
{
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		return EXIT_USAGE;
	int rc = EXIT_FINE;
	size_t len = 0;
	char *buf = jx_read_file(file, NULL, &len, d);
	jx_scheme *s = buf ? scheme_for(o, cache, file, buf, len, d) : NULL;
	jx_doc *doc = s ? jx_doc_load_mem(s, file, buf, len, NULL, d) : NULL;
	free(buf);
	if (doc && jx_doc_evaluate(doc, d) != JX_OK)
		fprintf(stderr, "jixiao: 错误：%s：内存不足\n", file);
	if (!doc)
		rc = EXIT_USAGE;
	else if (jx_diags_count_sev(d, JX_SEV_ERROR))
		rc = EXIT_FINDINGS;
	if (m == M_REPORT) {
		int r = report_files(o, doc, d, file);
		jx_doc_free(doc);
		jx_diags_free(d);
		return doc ? r : EXIT_USAGE;
	}
	if (m == M_SCORE && doc) {
		const char *t = jx_doc_score_table(doc);
		fputs(t ? t : "", stdout);
	} else if (o->json) {
		char *js = jx_render_json(doc, file, d, NULL);
		if (js)
			puts(js);
		free(js);
	} else {
		cli_print_all(d, o->color);
	}
	if (!o->json)
		print_summary(file, doc, d);
	jx_doc_free(doc);
	jx_diags_free(d);
	return rc;
}

int cli_usage_error(const char *msg, const char *arg, const char *help)
{
	fprintf(stderr, "jixiao: 错误：%s%s%s\n", msg, arg ? "：" : "", arg ? arg : "");
	fprintf(stderr, "%s", help);
	return EXIT_USAGE;
}

/* Parses options shared by check and score; files go to o->files. */
static int parse_opts(int argc, char **argv, opts *o, const char *help, bool *helped)
{
	*helped = false;
	o->files = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->files)
		return EXIT_USAGE;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(help, stdout);
			*helped = true;
			return EXIT_FINE;
		} else if (!strcmp(a, "--format") || !strncmp(a, "--format=", 9)) {
			const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
			if (help == usage_report) {
				if (!v)
					return cli_usage_error("--format 缺少格式", NULL, help);
				o->formats = v;
				continue;
			}
			if (!v || (strcmp(v, "text") && strcmp(v, "json")))
				return cli_usage_error("--format 应为 text 或 json", v, help);
			o->json = !strcmp(v, "json");
		} else if (!strcmp(a, "--scheme") || !strncmp(a, "--scheme=", 9)) {
			const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v)
				return cli_usage_error("--scheme 缺少方案文件", NULL, help);
			o->scheme_path = v;
		} else if (help == usage_report && !strcmp(a, "--force")) {
			o->force = true;
		} else if (help == usage_report && (!strcmp(a, "-o") || !strcmp(a, "--output"))) {
			if (i + 1 >= argc)
				return cli_usage_error("-o 缺少输出目录", NULL, help);
			o->outdir = argv[++i];
		} else if (help == usage_report &&
		           (!strcmp(a, "--formats") || !strncmp(a, "--formats=", 10))) {
			return cli_usage_error("未知选项（应为 --format）", a, help);
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("未知选项", a, help);
		} else {
			o->files[o->nfiles++] = argv[i];
		}
	}
	if (!o->nfiles)
		return cli_usage_error("缺少数据文件", NULL, help);
	return EXIT_FINE;
}

static int cmd_files(int argc, char **argv, mode m, bool color)
{
	opts o = {.color = color};
	bool helped;
	char fmtbuf[256];
	const char *help = m == M_CHECK ? usage_check : m == M_SCORE ? usage_score : usage_report;
	int rc = parse_opts(argc, argv, &o, help, &helped);
	if (rc != EXIT_FINE || helped) {
		free(o.files);
		return rc;
	}
	if (m == M_REPORT) {
		snprintf(fmtbuf, sizeof fmtbuf, "%s", o.formats ? o.formats : "");
		for (char *save = NULL, *f = strtok_r(fmtbuf, ",", &save); f;
		     f = strtok_r(NULL, ",", &save))
			if (!jx_report_format_supported(f)) {
				free(o.files);
				return cli_usage_error("不支持的格式", f, help);
			}
	}
	if (m == M_SCORE && o.nfiles != 1) {
		free(o.files);
		return cli_usage_error("score 只接受一个数据文件", NULL, help);
	}
	if (o.json)
		o.color = false;
	scheme_cache *cache = NULL;
	for (int i = 0; i < o.nfiles; i++) {
		int r = run_file(&o, &cache, o.files[i], m);
		if (r > rc)
			rc = r;
	}
	cli_free_schemes(cache);
	free(o.files);
	return rc;
}

static int cmd_scheme(int argc, char **argv, bool color)
{
	if (argc >= 1 && (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help"))) {
		fputs(usage_scheme, stdout);
		return EXIT_FINE;
	}
	if (argc < 1 || strcmp(argv[0], "check"))
		return cli_usage_error("scheme 的子命令应为 check", argc ? argv[0] : NULL,
		                       usage_scheme);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(usage_scheme, stdout);
		return EXIT_FINE;
	}
	if (argc != 2)
		return cli_usage_error("scheme check 需要一个方案文件", NULL, usage_scheme);
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		return EXIT_USAGE;
	jx_scheme *s = jx_scheme_load_file(argv[1], NULL, d);
	cli_print_all(d, color);
	int rc = EXIT_USAGE;
	if (s) {
		printf("%s: 方案 %s（%s）：%zu 个字段与计算值，%zu 条规则，无错误\n", argv[1],
		       jx_scheme_id(s), jx_scheme_title(s), jx_scheme_field_count(s),
		       jx_scheme_rule_count(s));
		rc = EXIT_FINE;
	} else {
		printf("%s: 方案有 %zu 处错误\n", argv[1], jx_diags_count_sev(d, JX_SEV_FATAL));
	}
	jx_scheme_free(s);
	jx_diags_free(d);
	return rc;
}

/* ---- import ---- */

static const char usage_import[] =
        "用法：jixiao import FILE.xlsx [-o FILE.yaml] [--force] [--scheme PATH]\n"
        "\n"
        "读回由 jixiao report --format xlsx 生成（或按空白模板填写）的附件表工作簿：\n"
        "每个填报单元格写入数据文件（YAML），再像 check 一样计算并核查；\n"
        "问题指明单元格（如 附件1-2!F12）与字段路径。计算单元格不读回。\n"
        "\n"
        "  -o FILE.yaml    输出的数据文件（默认为当前目录下同名 .yaml）\n"
        "  --force         覆盖已存在的输出文件\n"
        "  --scheme PATH   指定方案文件（默认 hunan-dept-overall）\n"
        "\n"
        "退出状态：0 无错误；1 有 error 级问题；2 用法错误、工作簿无法读取或无法写入。\n";

/* Writes text to path through a temporary file beside it and a rename. */
bool cli_write_file(const char *path, const char *buf, size_t len)
{
	char tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int dl = slash ? (int)(slash - path + 1) : 0;
	int n = snprintf(tmp, sizeof tmp, "%.*s.%s.tmpXXXXXX", dl, path, path + dl);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return false;
	int fd = mkstemp(tmp);
	if (fd < 0)
		return false;
	(void)fchmod(fd, 0644); /* mkstemp makes it private; this is an ordinary file */
	FILE *f = fdopen(fd, "wb");
	bool ok = f && fwrite(buf, 1, len, f) == len;
	ok = (f ? fclose(f) == 0 : (close(fd), false)) && ok;
	if (!ok || rename(tmp, path) != 0) {
		int err = errno;
		unlink(tmp);
		errno = err;
		return false;
	}
	return true;
}

/* Options of import and template: -o FILE, --scheme PATH, --force, and
 * (import) one input file.  Returns -1 to go on, else an exit status. */
typedef struct io_opts {
	const char *file, *out, *scheme_path;
	bool force;
	char path[PATH_MAX + 64];
} io_opts;

static int parse_io_opts(int argc, char **argv, const char *help, bool takes_file, io_opts *o)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(help, stdout);
			return EXIT_FINE;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (i + 1 >= argc)
				return cli_usage_error("-o 缺少输出文件", NULL, help);
			o->out = argv[++i];
		} else if (!strcmp(a, "--scheme") || !strncmp(a, "--scheme=", 9)) {
			const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v)
				return cli_usage_error("--scheme 缺少方案文件", NULL, help);
			o->scheme_path = v;
		} else if (!strcmp(a, "--force")) {
			o->force = true;
		} else if ((a[0] == '-' && a[1]) || !takes_file) {
			return cli_usage_error("未知选项", a, help);
		} else if (o->file) {
			return cli_usage_error("只接受一个工作簿", a, help);
		} else {
			o->file = a;
		}
	}
	return -1;
}

/* The default scheme when --scheme is not given; false (reported) if absent. */
static bool default_scheme(io_opts *o)
{
	if (o->scheme_path)
		return true;
	if (!find_scheme("hunan-dept-overall", o->path, sizeof o->path)) {
		fprintf(stderr, "jixiao: 错误：找不到方案“hunan-dept-overall”（可设置 "
		                "JIXIAO_SCHEMES 或用 --scheme 指定方案文件）\n");
		return false;
	}
	o->scheme_path = o->path;
	return true;
}

/* Refuses to replace an existing output unless --force. */
static bool may_write(const io_opts *o)
{
	if (o->force || !file_exists(o->out))
		return true;
	fprintf(stderr, "jixiao: 错误：%s 已存在（用 --force 覆盖）\n", o->out);
	return false;
}

static int cmd_import(int argc, char **argv, bool color)
{
	io_opts o = {0};
	char outbuf[PATH_MAX];
	int early = parse_io_opts(argc, argv, usage_import, true, &o);
	if (early >= 0)
		return early;
	const char *file = o.file, *out = o.out;
	if (!file)
		return cli_usage_error("缺少工作簿文件", NULL, usage_import);
	if (!out) {
		const char *base = strrchr(file, '/');
		base = base ? base + 1 : file;
		size_t n = strlen(base);
		if (n > 5 && !strcmp(base + n - 5, ".xlsx"))
			n -= 5;
		snprintf(outbuf, sizeof outbuf, "%.*s.yaml", (int)n, base);
		out = o.out = outbuf;
	}
	if (!may_write(&o) || !default_scheme(&o))
		return EXIT_USAGE;
	const char *scheme_path = o.scheme_path;
	scheme_cache *cache = NULL;
	jx_scheme *s = load_scheme_path(&cache, scheme_path, scheme_path, color);
	if (!s)
		return EXIT_USAGE;
	jx_diags *d = jx_diags_new(NULL);
	int rc = EXIT_USAGE;
	char *yaml = NULL;
	jx_doc *doc = d ? jx_import_xlsx(s, file, out, NULL, d, &yaml) : NULL;
	if (yaml && !cli_write_file(out, yaml, strlen(yaml))) {
		fprintf(stderr, "jixiao: 错误：无法写入 %s：%s\n", out, jx_errno_text(errno));
		jx_doc_free(doc);
		doc = NULL;
	} else if (yaml) {
		rc = EXIT_FINE;
	}
	if (doc && jx_doc_evaluate(doc, d) != JX_OK)
		fprintf(stderr, "jixiao: 错误：%s：内存不足\n", file);
	if (d) {
		cli_print_all(d, color);
		print_summary(file, doc, d);
	}
	if (yaml && rc == EXIT_FINE)
		printf("已写入 %s\n", out);
	if (!doc)
		rc = EXIT_USAGE;
	else if (jx_diags_count_sev(d, JX_SEV_ERROR))
		rc = EXIT_FINDINGS;
	free(yaml);
	jx_doc_free(doc);
	jx_diags_free(d);
	cli_free_schemes(cache);
	return rc;
}

/* ---- template ---- */

static const char usage_template[] =
        "用法：jixiao template -o FILE.xlsx [--force] [--scheme PATH]\n"
        "\n"
        "生成空白的填报工作簿：首页为填表说明；浅黄色单元格填写（已设数据有效性），\n"
        "计算单元格为锁定的公式；附件表中没有位置的内容在“填报数据”表按字段路径填写。\n"
        "填好后用 jixiao import 读回为数据文件并核查。\n"
        "\n"
        "  -o FILE.xlsx    输出的工作簿\n"
        "  --force         覆盖已存在的输出文件\n"
        "  --scheme PATH   指定方案文件（默认 hunan-dept-overall）\n"
        "\n"
        "退出状态：0 已生成；2 用法错误、方案无法载入或无法写入。\n";

static int cmd_template(int argc, char **argv, bool color)
{
	io_opts o = {0};
	int early = parse_io_opts(argc, argv, usage_template, false, &o);
	if (early >= 0)
		return early;
	const char *out = o.out;
	if (!out)
		return cli_usage_error("缺少 -o 输出文件", NULL, usage_template);
	if (!may_write(&o))
		return EXIT_USAGE;
	if (!jx_report_format_supported("xlsx")) {
		fprintf(stderr, "jixiao: 错误：此版本不能生成 XLSX\n");
		return EXIT_USAGE;
	}
	if (!default_scheme(&o))
		return EXIT_USAGE;
	const char *scheme_path = o.scheme_path;
	scheme_cache *cache = NULL;
	jx_scheme *s = load_scheme_path(&cache, scheme_path, scheme_path, color);
	if (!s)
		return EXIT_USAGE;
	int rc = EXIT_USAGE;
	jx_diags *d = jx_diags_new(NULL);
	jx_doc *doc = jx_doc_new_empty(s, NULL);
	jx_report_opts ro = cli_report_opts();
	ro.template_mode = true;
	if (!d || !doc) {
		fprintf(stderr, "jixiao: 错误：内存不足\n");
	} else if (jx_report_write(doc, NULL, "xlsx", out, &ro, d) != JX_OK) {
		cli_print_all(d, color);
	} else {
		printf("已写入 %s\n", out);
		rc = EXIT_FINE;
	}
	jx_doc_free(doc);
	jx_diags_free(d);
	cli_free_schemes(cache);
	return rc;
}

/* ---- gen ---- */

static const char usage_gen[] =
        "用法：jixiao gen -o DIR [--units N] [--years Y] [--seed S] [--error-rate R]\n"
        "\n"
        "按默认方案（hunan-dept-overall）生成合成数据文件 DIR/u<序号>/<年度>.yaml，\n"
        "按给定概率注入已知错误，并在 DIR/manifest.tsv 中逐文件列出应有的问题\n"
        "（ID:级别，逗号分隔）。同一种子生成的文件完全相同。\n"
        "\n"
        "  -o DIR          输出目录（不存在则创建）\n"
        "  --units N       单位数（默认 10）\n"
        "  --years Y       年度数，截至 2024 年（默认 1）\n"
        "  --seed S        随机种子（默认 1）\n"
        "  --error-rate R  每个文件注入错误的概率，0 至 1（默认 0.2）\n"
        "\n"
        "退出状态：0 已生成；2 用法错误或无法写入。\n";

bool cli_parse_ulong(const char *s, unsigned long long max, unsigned long long *out)
{
	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static int cmd_gen(int argc, char **argv, bool color)
{
	unsigned long long units = 10, years = 1, seed = 1;
	double rate = 0.2;
	const char *dir = NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_gen, stdout);
			return EXIT_FINE;
		}
		if (!strcmp(a, "-o") || !strcmp(a, "--units") || !strcmp(a, "--years") ||
		    !strcmp(a, "--seed") || !strcmp(a, "--error-rate")) {
			if (!v)
				return cli_usage_error("选项缺少参数", a, usage_gen);
			i++;
			bool ok = true;
			if (!strcmp(a, "-o"))
				dir = v;
			else if (!strcmp(a, "--units"))
				ok = cli_parse_ulong(v, 999999, &units) && units > 0;
			else if (!strcmp(a, "--years"))
				ok = cli_parse_ulong(v, 50, &years) && years > 0;
			else if (!strcmp(a, "--seed"))
				ok = cli_parse_ulong(v, ULLONG_MAX, &seed);
			else {
				char *end;
				errno = 0;
				rate = strtod(v, &end);
				ok = *v && !*end && !errno && rate >= 0 && rate <= 1;
			}
			if (!ok)
				return cli_usage_error("参数无效", v, usage_gen);
			continue;
		}
		return cli_usage_error("未知参数", a, usage_gen);
	}
	if (!dir)
		return cli_usage_error("缺少 -o 输出目录", NULL, usage_gen);
	jx_diags *d = jx_diags_new(NULL);
	if (!d) {
		fprintf(stderr, "jixiao: 错误：内存不足\n");
		return EXIT_USAGE;
	}
	jx__gen_opts o = {.units = (unsigned)units,
	                  .years = (unsigned)years,
	                  .seed = (uint64_t)seed,
	                  .error_ppm = (unsigned)(rate * 1000000.0 + 0.5),
	                  .dir = dir};
	size_t n = 0;
	jx_status st = jx__gen(&o, &n, d);
	int rc = EXIT_FINE;
	if (st != JX_OK) {
		cli_print_all(d, color);
		if (st == JX_ERR_OOM)
			fprintf(stderr, "jixiao: 错误：内存不足\n");
		rc = EXIT_USAGE;
	} else {
		printf("已生成 %zu 个数据文件与 %s/manifest.tsv\n", n, dir);
	}
	jx_diags_free(d);
	return rc;
}

/* Batch runs allocate and free the same large blocks (libxlsxwriter's
 * buffers) once per file; keeping them in the heap instead of returning
 * them to the kernel saves the page faults of mapping them again. */
static void tune_malloc(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

int main(int argc, char **argv)
{
	tune_malloc();
	bool color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	if (argc < 2)
		return cli_usage_error("缺少命令", NULL, usage_main);
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return EXIT_FINE;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("jixiao %s\n", JX_VERSION);
		return EXIT_FINE;
	}
	if (!strcmp(cmd, "check"))
		return cmd_files(argc - 2, argv + 2, M_CHECK, color);
	if (!strcmp(cmd, "score"))
		return cmd_files(argc - 2, argv + 2, M_SCORE, color);
	if (!strcmp(cmd, "report"))
		return cmd_files(argc - 2, argv + 2, M_REPORT, color);
	if (!strcmp(cmd, "scheme"))
		return cmd_scheme(argc - 2, argv + 2, color);
	if (!strcmp(cmd, "import"))
		return cmd_import(argc - 2, argv + 2, color);
	if (!strcmp(cmd, "template"))
		return cmd_template(argc - 2, argv + 2, color);
	if (!strcmp(cmd, "gen"))
		return cmd_gen(argc - 2, argv + 2, color);
	if (!strcmp(cmd, "db"))
		return cmd_db(argc - 2, argv + 2, color);
	if (!strcmp(cmd, "audit"))
		return cmd_audit(argc - 2, argv + 2, color);
	if (!strcmp(cmd, "user"))
		return cmd_user(argc - 2, argv + 2, color);
	if (!strcmp(cmd, "serve"))
		return cmd_serve(argc - 2, argv + 2, color);
	return cli_usage_error("未知命令", cmd, usage_main);
}
