/* jixiao serve: the web application on a store.  Runs until SIGINT or
 * SIGTERM; logs one line per request on standard error. */
#include "jixiao/serve.h"

#include "cli.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_serve[] =
        "用法：jixiao serve [--db 数据库] [--listen 地址:端口] [--scheme 方案文件]\n"
        "                   [--threads N] [--timeout 秒] [-q]\n"
        "\n"
        "在浏览器中填报、提交、审核、退回、通过和公开绩效自评（docs/serve.md）。\n"
        "数据库默认为 jixiao.db（不存在则新建）；地址默认为 127.0.0.1:8080，端口写 0\n"
        "则任选空闲端口。账户用 jixiao user add 添加。-q 不记录每个请求。\n"
        "\n"
        "退出状态：0 收到 SIGINT/SIGTERM 后正常停止；2 用法错误、数据库不可用或无法监听。\n";

typedef struct schemes {
	jx_scheme *s[8];
	size_t n;
} schemes;

static const jx_scheme *resolve(void *ctx, const char *name, const char *file, jx_diags *diags)
{
	schemes *all = ctx;
	(void)file;
	if (!name)
		return all->s[0];
	for (size_t i = 0; i < all->n; i++)
		if (!strcmp(jx_scheme_id(all->s[i]), name))
			return all->s[i];
	char msg[200];
	snprintf(msg, sizeof msg, "服务未加载方案“%.100s”", name);
	jx_diags_add(diags, JX_SEV_FATAL, "C01", NULL, 0, 0, NULL, msg);
	return NULL;
}

static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

typedef struct sopts {
	const char *db, *listen, *scheme;
	unsigned long long threads, timeout;
	bool quiet;
} sopts;

static int parse(int argc, char **argv, sopts *o)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = !strcmp(a, "--db")       ? &o->db
		                    : !strcmp(a, "--listen") ? &o->listen
		                    : !strcmp(a, "--scheme") ? &o->scheme
		                                             : NULL;
		unsigned long long *num = !strcmp(a, "--threads")   ? &o->threads
		                          : !strcmp(a, "--timeout") ? &o->timeout
		                                                    : NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_serve, stdout);
			return -1;
		}
		if ((slot || num) && i + 1 >= argc)
			return cli_usage_error("选项缺少取值", a, usage_serve);
		if (slot)
			*slot = argv[++i];
		else if (num && (!cli_parse_ulong(argv[++i], 64, num) || !*num))
			return cli_usage_error("应为 1 至 64 的整数", argv[i], usage_serve);
		else if (!strcmp(a, "-q"))
			o->quiet = true;
		else if (!num)
			return cli_usage_error("未知选项", a, usage_serve);
	}
	return EXIT_FINE;
}

int cmd_serve(int argc, char **argv, bool color)
{
	sopts o = {.db = "jixiao.db", .listen = "127.0.0.1:8080"};
	int rc = parse(argc, argv, &o);
	if (rc != EXIT_FINE)
		return rc < 0 ? EXIT_FINE : rc;
	scheme_cache *cache = NULL;
	schemes all = {0};
	jx_diags *d = jx_diags_new(NULL);
	if (!d)
		return EXIT_USAGE;
	all.s[all.n] = cli_scheme(&cache, o.scheme, NULL, "serve", color, d);
	if (all.s[all.n])
		all.n++;
	jx_diags *quiet = jx_diags_new(NULL);
	jx_scheme *project = cli_scheme(&cache, NULL, "mof-project", "serve", false, quiet);
	if (project && all.n)
		all.s[all.n++] = project;
	jx_diags_free(quiet);
	jx_server *srv = NULL;
	if (all.n) {
		/* Signals are taken by sigwait below, so block them before the
		 * server's threads start (they inherit the mask). */
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		signal(SIGPIPE, SIG_IGN);
		jx_serve_opts so = {.db_path = o.db,
		                    .listen = o.listen,
		                    .resolve = resolve,
		                    .resolve_ctx = &all,
		                    .default_scheme = all.s[0],
		                    .threads = (unsigned)o.threads,
		                    .timeout = (unsigned)o.timeout,
		                    .log = o.quiet ? NULL : log_line};
		srv = jx_server_start(&so, d);
		if (srv) {
			fprintf(stderr, "jixiao serve：正在 http://%.*s:%u/ 上服务（数据库 %s）\n",
			        (int)(strrchr(o.listen, ':') - o.listen), o.listen,
			        jx_server_port(srv), o.db);
			int sig;
			sigwait(&set, &sig);
			fprintf(stderr, "jixiao serve：收到信号 %d，停止\n", sig);
		}
	}
	cli_print_all(d, color);
	jx_server_stop(srv);
	cli_free_schemes(cache);
	jx_diags_free(d);
	return srv ? EXIT_FINE : EXIT_USAGE;
}
