/* jixiao db: the finance bureau's desk on the store — init, import, list,
 * show, diff, check (the review list), summary, export, verify.  Exit
 * status: 0 fine; 1 the review list has error findings; 2 bad usage, an
 * unreadable or rejected input, or a database that cannot be used. */
#include "jixiao/store.h"

#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_db[] =
        "用法：jixiao db 子命令 [--db 数据库] [选项]\n"
        "\n"
        "单位与年度的数据库（默认当前目录下的 jixiao.db）：每次导入都是新的修订，\n"
        "从不覆盖；计算结果与核查结果随修订保存。\n"
        "\n"
        "子命令：\n"
        "  init                          创建数据库（已存在则升级结构）\n"
        "  import 路径...                 导入 YAML 数据文件与填好的 XLSX 工作簿（目录递归）\n"
        "  list [--year Y] [--unit U] [--all]   列出各单位各年度（--all 含历史修订）\n"
        "  show 单位 [--year Y] [--rev N] [--values]   一份自评的结果、问题与全部数值\n"
        "  diff 单位 --year Y [--from N --to M]        两个修订之间改了哪些单元格、得分、段落\n"
        "  check [--year Y] [--format text|json|csv|xlsx] [-o 文件]   审核清单：按单位、按规则\n"
        "  summary --year Y -o 文件.xlsx|文件.html     排名、等次分布、年度对比等汇总（含图表）\n"
        "  export 单位 --year Y [--rev N] [-o 文件]     取回导入时的原文件（逐字节相同）\n"
        "  verify                        检查数据库文件与其内部一致性\n"
        "\n"
        "选项：\n"
        "  --db 路径          数据库文件（默认 jixiao.db）\n"
        "  --scheme 方案文件   导入时使用的方案（默认按数据文件的 scheme: 查找；XLSX 用默认方案）\n"
        "  -q, --quiet        导入时不显示进度\n"
        "\n"
        "退出状态：0 正常；1 审核清单中有错误；2 用法错误、文件被拒收或数据库不可用。\n"
        "详见 docs/store.md。\n";

typedef struct dbopts {
	const char *db;
	const char *scheme_path;
	const char *format;
	const char *out;
	int year, rev, from, to;
	bool all, values, quiet, color;
	int nargs;
	char **args;
} dbopts;

/* ---- options ---- */

static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (!strncmp(a, name, n) && a[n] == '=')
		return a + n + 1;
	if (strcmp(a, name))
		return NULL;
	return *i + 1 < argc ? argv[++*i] : "";
}

static int int_opt(const char *v, const char *name, int lo, int hi, int *out)
{
	unsigned long long x;
	if (!cli_parse_ulong(v, (unsigned long long)hi, &x) || (long long)x < lo)
		return cli_usage_error(name, v && *v ? v : "缺少取值", usage_db);
	*out = (int)x;
	return EXIT_FINE;
}

static int parse_one(int argc, char **argv, int *i, dbopts *o)
{
	const char *a = argv[*i], *v;
	if ((v = opt_value(argc, argv, i, "--db")))
		return *v ? (o->db = v, EXIT_FINE)
		          : cli_usage_error("--db 缺少路径", NULL, usage_db);
	if ((v = opt_value(argc, argv, i, "--scheme")))
		return *v ? (o->scheme_path = v, EXIT_FINE)
		          : cli_usage_error("--scheme 缺少方案文件", NULL, usage_db);
	if ((v = opt_value(argc, argv, i, "--format")))
		return *v ? (o->format = v, EXIT_FINE)
		          : cli_usage_error("--format 缺少格式", NULL, usage_db);
	if ((v = opt_value(argc, argv, i, "-o")) || (v = opt_value(argc, argv, i, "--output")))
		return *v ? (o->out = v, EXIT_FINE)
		          : cli_usage_error("-o 缺少输出文件", NULL, usage_db);
	if ((v = opt_value(argc, argv, i, "--year")))
		return int_opt(v, "--year 应为年份", 1900, 2999, &o->year);
	if ((v = opt_value(argc, argv, i, "--rev")))
		return int_opt(v, "--rev 应为修订号", 1, 1000000, &o->rev);
	if ((v = opt_value(argc, argv, i, "--from")))
		return int_opt(v, "--from 应为修订号", 1, 1000000, &o->from);
	if ((v = opt_value(argc, argv, i, "--to")))
		return int_opt(v, "--to 应为修订号", 1, 1000000, &o->to);
	if (!strcmp(a, "--all"))
		o->all = true;
	else if (!strcmp(a, "--values"))
		o->values = true;
	else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
		o->quiet = true;
	else if (!strcmp(a, "--unit")) {
		if (*i + 1 >= argc)
			return cli_usage_error("--unit 缺少单位", NULL, usage_db);
		o->args[o->nargs++] = argv[++*i];
	} else if (a[0] == '-' && a[1])
		return cli_usage_error("未知选项", a, usage_db);
	else
		o->args[o->nargs++] = argv[*i];
	return EXIT_FINE;
}

static int parse_db_opts(int argc, char **argv, dbopts *o)
{
	o->db = "jixiao.db";
	o->args = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->args)
		return EXIT_USAGE;
	for (int i = 0; i < argc; i++) {
		int rc = parse_one(argc, argv, &i, o);
		if (rc != EXIT_FINE)
			return rc;
	}
	return EXIT_FINE;
}

static jx_store *open_store(const dbopts *o, jx_store_mode mode, jx_diags *d)
{
	jx_store *st = jx_store_open(o->db, mode, NULL, d);
	cli_print_all(d, o->color);
	jx_diags_clear(d);
	return st;
}

static void fmt_dec(bool set, jx_dec v, char *buf, size_t size)
{
	if (!set) {
		snprintf(buf, size, "—");
		return;
	}
	jx_dec r = jx_dec_round(v, 2);
	int64_t whole = r.raw / JX_DEC_SCALE, frac = (r.raw % JX_DEC_SCALE) / 10000;
	if (frac < 0)
		frac = -frac;
	snprintf(buf, size, "%s%lld.%02lld", r.raw < 0 && whole == 0 ? "-" : "", (long long)whole,
	         (long long)frac);
}

static void fmt_time(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm))
		strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
	else
		snprintf(buf, size, "%lld", (long long)t);
}

/* ---- init ---- */

static int db_init(dbopts *o, jx_diags *d)
{
	bool existed = access(o->db, F_OK) == 0;
	jx_store *st = open_store(o, JX_STORE_CREATE, d);
	if (!st)
		return EXIT_USAGE;
	printf("%s数据库 %s（结构版本 %d）\n", existed ? "已打开" : "已创建", o->db,
	       jx_store_schema_version(st));
	jx_store_close(st);
	return EXIT_FINE;
}

/* ---- import ---- */

typedef struct filelist {
	char **v;
	size_t n, cap;
} filelist;

static bool wanted(const char *name)
{
	size_t n = strlen(name);
	if (name[0] == '.')
		return false;
	return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml")) ||
	       (n > 5 && !strcmp(name + n - 5, ".xlsx"));
}

static bool add_file(filelist *l, const char *path)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		char **v = realloc(l->v, cap * sizeof(char *));
		if (!v)
			return false;
		l->v = v;
		l->cap = cap;
	}
	return (l->v[l->n] = strdup(path)) ? (l->n++, true) : false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the data files under path (recursively, in name order). */
static bool walk(filelist *l, const char *path, int depth)
{
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return add_file(l, path);
	DIR *dir = depth < 32 ? opendir(path) : NULL;
	if (!dir)
		return add_file(l, path); /* the import reports why it cannot be read */
	size_t first = l->n;
	bool ok = true;
	struct dirent *e;
	char sub[4096];
	while (ok && (e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		int n = snprintf(sub, sizeof sub, "%s%s%s", path,
		                 path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
		if (n < 0 || (size_t)n >= sizeof sub)
			continue;
		if (stat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
			ok = walk(l, sub, depth + 1);
		else if (wanted(e->d_name))
			ok = add_file(l, sub);
	}
	closedir(dir);
	qsort(l->v + first, l->n - first, sizeof(char *), by_name);
	return ok;
}

typedef struct importer {
	scheme_cache *cache;
	const dbopts *o;
	jx_scheme *xlsx_scheme;
} importer;

static const jx_scheme *resolve(void *ctx, const char *name, const char *file, jx_diags *d)
{
	importer *im = ctx;
	return cli_scheme(&im->cache, im->o->scheme_path, name, file, im->o->color, d);
}

static void progress(size_t i, size_t n, const size_t counts[3])
{
	int width = 30, fill = n ? (int)((i * (size_t)width) / n) : width;
	fprintf(stderr, "\r导入 %zu/%zu [%.*s%*s] 新增 %zu 未变 %zu 拒收 %zu", i, n, fill * 3,
	        "■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■", width - fill, "", counts[0], counts[1],
	        counts[2]);
	fflush(stderr);
}

static int import_all(jx_store *st, importer *im, filelist *files, jx_diags *d)
{
	jx_store_import_opts io = {.resolve = resolve, .resolve_ctx = im, .now = -1};
	size_t counts[3] = {0};
	bool bar = !im->o->quiet && isatty(STDERR_FILENO);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = EXIT_FINE;
	for (size_t i = 0; i < files->n; i++) {
		jx_import_result res;
		size_t nd = jx_diags_count(d);
		io.xlsx_scheme = im->xlsx_scheme;
		jx_status s = jx_store_import_file(st, &io, files->v[i], &res, d);
		if (s != JX_OK) {
			if (bar)
				fputc('\n', stderr);
			cli_print_all(d, im->o->color);
			printf("导入中止：%s 未能写入数据库，之前导入的文件已保存\n", files->v[i]);
			return EXIT_USAGE;
		}
		counts[res.outcome]++;
		if (res.outcome == JX_IMPORT_REJECTED && jx_diags_count(d) == nd)
			jx_diags_add(d, JX_SEV_FATAL, "Q08", files->v[i], 0, 0, NULL, "无法导入");
		if (bar && (i % 16 == 0 || i + 1 == files->n))
			progress(i + 1, files->n, counts);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (bar)
		fputc('\n', stderr);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (counts[JX_IMPORT_REJECTED]) {
		printf("拒收的文件及原因：\n");
		cli_print_all(d, im->o->color);
		rc = EXIT_USAGE;
	}
	printf("导入完成：新增 %zu，未变 %zu，拒收 %zu（共 %zu 个文件，%.2f 秒）\n", counts[0],
	       counts[1], counts[2], files->n, secs);
	return rc;
}

static int db_import(dbopts *o, jx_diags *d)
{
	if (!o->nargs)
		return cli_usage_error("import 需要文件或目录", NULL, usage_db);
	filelist files = {0};
	for (int i = 0; i < o->nargs; i++)
		if (!walk(&files, o->args[i], 0)) {
			fprintf(stderr, "jixiao: 错误：内存不足\n");
			return EXIT_USAGE;
		}
	importer im = {.o = o};
	int rc = EXIT_USAGE;
	jx_store *st = open_store(o, JX_STORE_CREATE, d);
	if (st) {
		im.xlsx_scheme = cli_scheme(&im.cache, o->scheme_path, NULL, o->db, o->color, d);
		rc = im.xlsx_scheme ? import_all(st, &im, &files, d) : EXIT_USAGE;
		if (!im.xlsx_scheme)
			cli_print_all(d, o->color);
	}
	jx_store_close(st);
	cli_free_schemes(im.cache);
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	return rc;
}

/* ---- list ---- */

static void csv_field(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static jx_status list_row(void *ctx, const jx_store_rev *r)
{
	const dbopts *o = ctx;
	char total[32], stated[32], when[32];
	fmt_dec(r->has_total, r->total, total, sizeof total);
	fmt_dec(r->has_stated_total, r->stated_total, stated, sizeof stated);
	fmt_time(r->imported_at, when, sizeof when);
	if (o->format && !strcmp(o->format, "csv")) {
		const char *f[] = {r->unit, r->unit_name, r->parent};
		for (size_t i = 0; i < 3; i++)
			csv_field(f[i]), putchar(',');
		printf("%d,%d,%s,%s,%s,%s,", r->year, r->rev, r->has_total ? total : "",
		       r->grade ? r->grade : "", r->has_stated_total ? stated : "",
		       r->stated_grade ? r->stated_grade : "");
		printf("%zu,%zu,%s,", r->errors, r->warnings, when);
		csv_field(r->file);
		putchar('\n');
		return JX_OK;
	}
	printf("%-12s %-28s %d  第%d版%s  计算 %6s %-4s 填报 %6s %-4s  错误 %zu 警告 %zu  %s\n",
	       r->unit, r->unit_name, r->year, r->rev, r->latest ? "" : "（旧）", total,
	       r->grade ? r->grade : "—", stated, r->stated_grade ? r->stated_grade : "—",
	       r->errors, r->warnings, when);
	return JX_OK;
}

static int db_list(dbopts *o, jx_diags *d)
{
	if (o->nargs > 1)
		return cli_usage_error("list 只接受一个 --unit", o->args[1], usage_db);
	if (o->format && strcmp(o->format, "text") && strcmp(o->format, "csv"))
		return cli_usage_error("list 的 --format 应为 text 或 csv", o->format, usage_db);
	jx_store *st = open_store(o, JX_STORE_READ, d);
	if (!st)
		return EXIT_USAGE;
	if (o->format && !strcmp(o->format, "csv"))
		printf("单位编码,单位名称,主管部门编码,年度,修订,计算总分,计算等次,填报总分,"
		       "填报等次,"
		       "错误,警告,导入时间,文件\n");
	jx_store_filter f = {
	        .year = o->year, .unit = o->nargs ? o->args[0] : NULL, .all_revisions = o->all};
	jx_status s = jx_store_list(st, &f, list_row, o, d);
	cli_print_all(d, o->color);
	jx_store_close(st);
	return s == JX_OK ? EXIT_FINE : EXIT_USAGE;
}

/* ---- show ---- */

static const char *const group_names[] = {"填报数据", "计算结果", "叙述"};

static jx_status show_finding(void *ctx, const jx_store_rev *r, const jx_diag *g)
{
	(void)r;
	if (g)
		cli_print_diag(g, *(bool *)ctx);
	return JX_OK;
}

static jx_status show_value(void *ctx, const jx_store_value *v)
{
	(void)ctx;
	bool label = v->label && strcmp(v->label, v->path);
	printf("  %-44s %s%s%s\n", v->path, label ? v->label : "", label ? "：" : "", v->value);
	return JX_OK;
}

static void print_rev(const jx_store_rev *r)
{
	char total[32], stated[32], when[32];
	fmt_dec(r->has_total, r->total, total, sizeof total);
	fmt_dec(r->has_stated_total, r->stated_total, stated, sizeof stated);
	fmt_time(r->imported_at, when, sizeof when);
	printf("单位：%s（%s）", r->unit_name, r->unit);
	if (r->parent)
		printf("，主管部门 %s%s%s%s", r->parent_name ? r->parent_name : "",
		       r->parent_name ? "（" : "", r->parent, r->parent_name ? "）" : "");
	printf("\n年度：%d，第 %d 版%s，方案 %s\n", r->year, r->rev, r->latest ? "（最新）" : "",
	       r->scheme);
	printf("来源：%s（%s，%lld 字节，导入于 %s UTC）\nSHA-256：%s\n", r->file, r->format,
	       (long long)r->size, when, r->hash);
	printf("计算总分 %s（%s）；填报总分 %s（%s）\n", total, r->grade ? r->grade : "—", stated,
	       r->stated_grade ? r->stated_grade : "—");
	printf("问题：%zu 个错误，%zu 个警告，%zu 个提示\n", r->errors, r->warnings, r->infos);
}

static int find_rev(dbopts *o, jx_store *st, int rev, jx_store_rev *r, jx_diags *d)
{
	if (o->nargs != 1) {
		cli_usage_error(o->nargs ? "只能指定一个单位" : "缺少单位（编码或名称）",
		                o->nargs ? o->args[1] : NULL, usage_db);
		return EXIT_USAGE;
	}
	if (jx_store_find(st, o->args[0], o->year, rev, r, d) != JX_OK) {
		cli_print_all(d, o->color);
		return EXIT_USAGE;
	}
	return EXIT_FINE;
}

static int db_show(dbopts *o, jx_diags *d)
{
	jx_store *st = open_store(o, JX_STORE_READ, d);
	jx_store_rev r;
	if (!st)
		return EXIT_USAGE;
	int rc = find_rev(o, st, o->rev, &r, d);
	if (rc == EXIT_FINE) {
		print_rev(&r);
		jx_status s = jx_store_findings(st, r.id, show_finding, &o->color, d);
		if (s == JX_OK && o->values) {
			printf("全部数值：\n");
			s = jx_store_values(st, r.id, show_value, NULL, d);
		}
		cli_print_all(d, o->color);
		rc = s == JX_OK ? EXIT_FINE : EXIT_USAGE;
	}
	jx_store_close(st);
	return rc;
}

/* ---- diff ---- */

typedef struct diffout {
	size_t counts[3];
	int pass;
} diffout;

/* Moves i back to the start of a UTF-8 character. */
static size_t char_start(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

/* Prints the two sides of a long text change as the changed part with a
 * little context ("…前文【旧】后文…"), so a paragraph's edit is readable. */
static void print_text_change(const char *a, const char *b)
{
	enum { CTX = 30 }; /* bytes: about ten Chinese characters */
	size_t la = strlen(a), lb = strlen(b), p = 0, s = 0;
	while (p < la && p < lb && a[p] == b[p])
		p++;
	p = char_start(a, p);
	while (s < la - p && s < lb - p && a[la - 1 - s] == b[lb - 1 - s])
		s++;
	while (s > 0 && (((unsigned char)a[la - s] & 0xC0) == 0x80))
		s--;
	size_t from = char_start(a, p > CTX ? p - CTX : 0);
	const char *sides[2] = {a, b};
	size_t lens[2] = {la, lb};
	for (int k = 0; k < 2; k++) {
		const char *t = sides[k];
		size_t end = lens[k] - s, after = end + (s > CTX ? CTX : s);
		after = char_start(t, after < lens[k] ? after : lens[k]);
		if (after < end)
			after = end;
		printf("    %c %s%.*s【%.*s】%.*s%s\n", k ? '+' : '-', from ? "…" : "",
		       (int)(p - from), t + from, (int)(end - p), t + p, (int)(after - end),
		       t + end, after < lens[k] ? "…" : "");
	}
}

static jx_status diff_line(void *ctx, const jx_store_change *c)
{
	diffout *o = ctx;
	if (c->group != o->pass)
		return JX_OK;
	if (!o->counts[c->group]++)
		printf("%s：\n", group_names[c->group]);
	bool label = c->label && strcmp(c->label, c->path);
	printf("  %s%s%s%s\n", c->path, label ? "（" : "", label ? c->label : "",
	       label ? "）" : "");
	if (c->from && c->to && (strlen(c->from) > 90 || strlen(c->to) > 90))
		print_text_change(c->from, c->to);
	else
		printf("    - %s\n    + %s\n", c->from ? c->from : "（无）",
		       c->to ? c->to : "（无）");
	return JX_OK;
}

static int diff_revs(dbopts *o, jx_store *st, jx_diags *d)
{
	jx_store_rev a, b;
	int rc = find_rev(o, st, o->to, &b, d);
	if (rc != EXIT_FINE)
		return rc;
	int64_t to_id = b.id;
	int to_rev = b.rev, from = o->from ? o->from : b.rev - 1;
	if (from < 1) {
		printf("%s %d 年只有第 %d 版，没有可比较的修订\n", b.unit, b.year, b.rev);
		return EXIT_FINE;
	}
	/* The other revision of the same unit: by its code, since two units
	 * may share the name the user typed. */
	char code[256];
	snprintf(code, sizeof code, "%s", b.unit);
	o->args[0] = code;
	o->year = b.year;
	if ((rc = find_rev(o, st, from, &a, d)) != EXIT_FINE)
		return rc;
	printf("%s（%s）%d 年：第 %d 版 → 第 %d 版\n", a.unit_name, a.unit, a.year, a.rev, to_rev);
	diffout out = {{0}, 0};
	jx_status s = JX_OK;
	for (out.pass = 0; s == JX_OK && out.pass < 3; out.pass++)
		s = jx_store_diff(st, a.id, to_id, diff_line, &out, d);
	cli_print_all(d, o->color);
	if (s == JX_OK)
		printf("共 %zu 处填报数据、%zu 处计算结果、%zu 处叙述不同\n", out.counts[0],
		       out.counts[1], out.counts[2]);
	return s == JX_OK ? EXIT_FINE : EXIT_USAGE;
}

static int db_diff(dbopts *o, jx_diags *d)
{
	jx_store *st = open_store(o, JX_STORE_READ, d);
	if (!st)
		return EXIT_USAGE;
	int rc = diff_revs(o, st, d);
	jx_store_close(st);
	return rc;
}

/* ---- check: the review list ---- */

typedef struct review {
	const dbopts *o;
	int64_t last;
	size_t revs, with_errors, findings;
	bool first;
} review;

static void json_str(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void json_opt(const char *key, const char *v)
{
	printf(",\"%s\":", key);
	if (v)
		json_str(v);
	else
		fputs("null", stdout);
}

static void json_rev_close(review *rv)
{
	if (rv->last >= 0)
		fputs("]}\n", stdout);
}

static void json_rev_open(review *rv, const jx_store_rev *r)
{
	char total[32], stated[32];
	fmt_dec(r->has_total, r->total, total, sizeof total);
	fmt_dec(r->has_stated_total, r->stated_total, stated, sizeof stated);
	fputs("{\"file\":", stdout);
	json_str(r->file);
	json_opt("unit", r->unit);
	json_opt("unit_name", r->unit_name);
	printf(",\"year\":%d,\"rev\":%d", r->year, r->rev);
	printf(",\"summary\":{\"errors\":%zu,\"warnings\":%zu,\"infos\":%zu", r->errors,
	       r->warnings, r->infos);
	json_opt("total", r->has_total ? total : NULL);
	json_opt("grade", r->grade);
	json_opt("stated_total", r->has_stated_total ? stated : NULL);
	json_opt("stated_grade", r->stated_grade);
	fputs("},\"findings\":[", stdout);
	rv->first = true;
}

static void json_finding(review *rv, const jx_diag *g)
{
	fputs(rv->first ? "{" : ",{", stdout);
	rv->first = false;
	fputs("\"id\":", stdout);
	json_str(g->id);
	printf(",\"severity\":\"%s\"", jx_severity_name(g->severity));
	json_opt("message", g->message);
	json_opt("note", g->note);
	printf(",\"line\":%u,\"column\":%u", g->line, g->column);
	json_opt("path", g->path);
	json_opt("expected", g->expected);
	json_opt("actual", g->actual);
	json_opt("difference", g->difference);
	printf(",\"tail\":%s}", g->tail ? "true" : "false");
}

static void csv_finding(const jx_store_rev *r, const jx_diag *g)
{
	csv_field(r->unit), putchar(',');
	csv_field(r->unit_name);
	printf(",%d,%d,%s,%s,%u,", r->year, r->rev, g->id, jx_severity_name(g->severity), g->line);
	const char *f[] = {g->path, g->message, g->expected, g->actual, g->difference, r->file};
	for (size_t i = 0; i < 6; i++) {
		csv_field(f[i]);
		putchar(i < 5 ? ',' : '\n');
	}
}

static jx_status review_row(void *ctx, const jx_store_rev *r, const jx_diag *g)
{
	review *rv = ctx;
	const char *fmt = rv->o->format ? rv->o->format : "text";
	if (r->id != rv->last) {
		if (!strcmp(fmt, "json")) {
			json_rev_close(rv);
			json_rev_open(rv, r);
		} else if (!strcmp(fmt, "text") && (r->errors || r->warnings)) {
			printf("%s%s %s %d 年第 %d 版：%zu 个错误，%zu 个警告\n",
			       rv->revs ? "\n" : "", r->unit, r->unit_name, r->year, r->rev,
			       r->errors, r->warnings);
		}
		rv->last = r->id;
		rv->revs++;
		rv->with_errors += r->errors > 0;
	}
	if (!g)
		return JX_OK;
	rv->findings++;
	if (!strcmp(fmt, "json"))
		json_finding(rv, g);
	else if (!strcmp(fmt, "csv"))
		csv_finding(r, g);
	else if (g->severity != JX_SEV_INFO)
		cli_print_diag(g, rv->o->color);
	return JX_OK;
}

static jx_status rule_row(void *ctx, const jx_store_rule_count *c)
{
	(void)ctx;
	printf("  %-4s %-7s %6zu 个单位 %7zu 处  %s\n", c->rule,
	       c->severity == JX_SEV_ERROR || c->severity == JX_SEV_FATAL ? "错误"
	       : c->severity == JX_SEV_WARNING                            ? "警告"
	                                                                  : "提示",
	       c->units, c->findings, c->title ? c->title : "");
	return JX_OK;
}

static int review_list(dbopts *o, jx_store *st, jx_diags *d)
{
	review rv = {.o = o, .last = -1};
	const char *fmt = o->format ? o->format : "text";
	if (!strcmp(fmt, "csv"))
		printf("单位编码,单位名称,年度,修订,规则,级别,行,字段,说明,应为,实为,差额,文件\n");
	jx_status s = jx_store_review(st, o->year, review_row, &rv, d);
	if (!strcmp(fmt, "json"))
		json_rev_close(&rv);
	if (s == JX_OK && !strcmp(fmt, "text")) {
		printf("\n按规则：\n");
		s = jx_store_rule_counts(st, o->year, rule_row, NULL, d);
		printf("\n共 %zu 份自评（各单位各年度的最新修订），%zu 份有错误，问题 %zu 处\n",
		       rv.revs, rv.with_errors, rv.findings);
	}
	cli_print_all(d, o->color);
	if (s != JX_OK)
		return EXIT_USAGE;
	return rv.with_errors ? EXIT_FINDINGS : EXIT_FINE;
}

static int db_check(dbopts *o, jx_diags *d)
{
	const char *fmt = o->format ? o->format : "text";
	bool xlsx = !strcmp(fmt, "xlsx");
	if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "csv") && !xlsx)
		return cli_usage_error("--format 应为 text、json、csv 或 xlsx", fmt, usage_db);
	if (xlsx && !o->out)
		return cli_usage_error("--format xlsx 需要 -o 文件", NULL, usage_db);
	if (o->nargs)
		return cli_usage_error("多余的参数", o->args[0], usage_db);
	jx_store *st = open_store(o, JX_STORE_READ, d);
	if (!st)
		return EXIT_USAGE;
	int rc;
	if (xlsx) {
		jx_report_opts ro = cli_report_opts();
		jx_status s = jx_store_review_write(st, o->year, o->out, &ro, d);
		cli_print_all(d, o->color);
		rc = s == JX_OK ? EXIT_FINE : EXIT_USAGE;
		if (s == JX_OK)
			printf("已写出审核清单 %s\n", o->out);
	} else {
		rc = review_list(o, st, d);
	}
	jx_store_close(st);
	return rc;
}

/* ---- summary ---- */

static int db_summary(dbopts *o, jx_diags *d)
{
	if (!o->year)
		return cli_usage_error("summary 需要 --year", NULL, usage_db);
	if (!o->out)
		return cli_usage_error("summary 需要 -o 文件.xlsx 或 文件.html", NULL, usage_db);
	const char *dot = strrchr(o->out, '.');
	const char *fmt = o->format ? o->format : dot ? dot + 1 : "";
	if (strcmp(fmt, "xlsx") && strcmp(fmt, "html"))
		return cli_usage_error("汇总文件应以 .xlsx 或 .html 结尾", o->out, usage_db);
	jx_store *st = open_store(o, JX_STORE_READ, d);
	if (!st)
		return EXIT_USAGE;
	jx_report_opts ro = cli_report_opts();
	jx_status s = jx_store_summary(st, o->year, fmt, o->out, &ro, d);
	cli_print_all(d, o->color);
	if (s == JX_OK)
		printf("已写出 %d 年度汇总 %s\n", o->year, o->out);
	jx_store_close(st);
	return s == JX_OK ? EXIT_FINE : EXIT_USAGE;
}

/* ---- export ---- */

static int db_export(dbopts *o, jx_diags *d)
{
	jx_store *st = open_store(o, JX_STORE_READ, d);
	jx_store_rev r;
	if (!st)
		return EXIT_USAGE;
	int rc = find_rev(o, st, o->rev, &r, d);
	char *buf = NULL;
	size_t len = 0;
	if (rc == EXIT_FINE && jx_store_source(st, r.id, &buf, &len, d) != JX_OK) {
		cli_print_all(d, o->color);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_FINE && o->out) {
		if (!cli_write_file(o->out, buf, len)) {
			fprintf(stderr, "jixiao: 错误：无法写入 %s：%s\n", o->out,
			        jx_errno_text(errno));
			rc = EXIT_USAGE;
		}
	} else if (rc == EXIT_FINE && fwrite(buf, 1, len, stdout) != len) {
		rc = EXIT_USAGE;
	}
	free(buf);
	jx_store_close(st);
	return rc;
}

/* ---- verify ---- */

static int db_verify(dbopts *o, jx_diags *d)
{
	jx_store *st = open_store(o, JX_STORE_READ, d);
	if (!st)
		return EXIT_USAGE;
	jx_status s = jx_store_verify(st, d);
	cli_print_all(d, o->color);
	if (s == JX_OK)
		printf("数据库 %s 完好（结构版本 %d）\n", o->db, jx_store_schema_version(st));
	jx_store_close(st);
	return s == JX_OK ? EXIT_FINE : EXIT_USAGE;
}

int cmd_db(int argc, char **argv, bool color)
{
	static const struct {
		const char *name;
		int (*run)(dbopts *, jx_diags *);
	} cmds[] = {{"init", db_init},       {"import", db_import}, {"list", db_list},
	            {"show", db_show},       {"diff", db_diff},     {"check", db_check},
	            {"summary", db_summary}, {"export", db_export}, {"verify", db_verify}};
	if (argc < 1)
		return cli_usage_error("缺少子命令", NULL, usage_db);
	if (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help")) {
		fputs(usage_db, stdout);
		return EXIT_FINE;
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		if (strcmp(argv[0], cmds[i].name))
			continue;
		dbopts o = {.color = color};
		for (int k = 1; k < argc; k++)
			if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help")) {
				fputs(usage_db, stdout);
				return EXIT_FINE;
			}
		int rc = parse_db_opts(argc - 1, argv + 1, &o);
		jx_diags *d = rc == EXIT_FINE ? jx_diags_new(NULL) : NULL;
		if (d)
			rc = cmds[i].run(&o, d);
		else if (rc == EXIT_FINE)
			rc = EXIT_USAGE;
		jx_diags_free(d);
		free(o.args);
		return rc;
	}
	return cli_usage_error("未知的 db 子命令", argv[0], usage_db);
}
