/* jixiao user: accounts of the web application.  The password is read from
 * standard input (asked twice, without echo, on a terminal), never from
 * the command line, where other users could see it in the process list. */
#include "jixiao/store.h"

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const char usage_user[] =
        "用法：jixiao user add 账户名 --role admin|reviewer|filler [--unit 单位编码] [--db "
        "数据库]\n"
        "      jixiao user list [--db 数据库]\n"
        "\n"
        "网页应用（jixiao serve）的账户。密码从标准输入读取（在终端上不回显、输入两次），\n"
        "不能写在命令行上；数据库只保存其 argon2id 散列。新数据库的第一个账户必须是\n"
        "管理员；填报人（filler）属于一个单位（--unit），其他角色不属于单位。\n"
        "\n"
        "退出状态：0 完成；2 用法错误、账户已存在、密码不合要求或数据库不可用。\n";

/* One line from f without its line break; false at end of input. */
static bool read_line(FILE *f, char *buf, size_t size)
{
	if (!fgets(buf, (int)size, f))
		return false;
	buf[strcspn(buf, "\r\n")] = '\0';
	return true;
}

static bool ask(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fputs(prompt, stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	bool ok = read_line(stdin, buf, size);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	return ok;
}

static bool read_password(char *buf, size_t size)
{
	if (!ask("密码：", buf, size))
		return false;
	if (!isatty(STDIN_FILENO))
		return true;
	char again[1100];
	bool same = ask("再输入一次：", again, sizeof again) && !strcmp(buf, again);
	memset(again, 0, sizeof again);
	if (!same)
		fprintf(stderr, "jixiao: 错误：两次输入的密码不同\n");
	return same;
}

typedef struct uopts {
	const char *db, *role, *unit;
	const char *name;
} uopts;

static int parse(int argc, char **argv, uopts *o, bool add)
{
	o->db = "jixiao.db";
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = !strcmp(a, "--db")     ? &o->db
		                    : !strcmp(a, "--role") ? &o->role
		                    : !strcmp(a, "--unit") ? &o->unit
		                                           : NULL;
		if (slot) {
			if (i + 1 >= argc)
				return cli_usage_error("选项缺少取值", a, usage_user);
			*slot = argv[++i];
		} else if (!strcmp(a, "--password") || !strncmp(a, "--password=", 11)) {
			return cli_usage_error("密码不能写在命令行上，请从标准输入提供", NULL,
			                       usage_user);
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("未知选项", a, usage_user);
		} else if (add && !o->name) {
			o->name = a;
		} else {
			return cli_usage_error("多余的参数", a, usage_user);
		}
	}
	if (add && !o->name)
		return cli_usage_error("缺少账户名", NULL, usage_user);
	if (add && !o->role)
		return cli_usage_error("缺少 --role", NULL, usage_user);
	return EXIT_FINE;
}

static int user_add(int argc, char **argv, bool color)
{
	uopts o = {0};
	int rc = parse(argc, argv, &o, true);
	jx_role role;
	if (rc != EXIT_FINE)
		return rc;
	if (!jx_role_parse(o.role, &role))
		return cli_usage_error("--role 应为 admin、reviewer 或 filler", o.role, usage_user);
	char password[1100];
	if (!read_password(password, sizeof password)) {
		fprintf(stderr, "jixiao: 错误：没有读到密码（从标准输入提供）\n");
		return EXIT_USAGE;
	}
	jx_diags *d = jx_diags_new(NULL);
	jx_store *st = d ? jx_store_open(o.db, JX_STORE_CREATE, NULL, d) : NULL;
	jx_status s = st ? jx_store_user_add(st, o.name, role, o.unit, password, d) : JX_ERR_IO;
	memset(password, 0, sizeof password);
	cli_print_all(d, color);
	if (s == JX_OK)
		printf("已添加账户 %s（%s%s%s）\n", o.name, jx_role_name(role),
		       o.unit ? "，单位 " : "", o.unit ? o.unit : "");
	jx_store_close(st);
	jx_diags_free(d);
	return s == JX_OK ? EXIT_FINE : EXIT_USAGE;
}

static jx_status print_user(void *ctx, const jx_store_user *u)
{
	(void)ctx;
	printf("%-20s %-9s %s\n", u->name, jx_role_name(u->role), u->unit);
	return JX_OK;
}

static int user_list(int argc, char **argv, bool color)
{
	uopts o = {0};
	int rc = parse(argc, argv, &o, false);
	if (rc != EXIT_FINE)
		return rc;
	jx_diags *d = jx_diags_new(NULL);
	jx_store *st = d ? jx_store_open(o.db, JX_STORE_READ, NULL, d) : NULL;
	jx_status s = st ? jx_store_users(st, print_user, NULL, d) : JX_ERR_IO;
	cli_print_all(d, color);
	jx_store_close(st);
	jx_diags_free(d);
	return s == JX_OK ? EXIT_FINE : EXIT_USAGE;
}

int cmd_user(int argc, char **argv, bool color)
{
	if (argc < 1)
		return cli_usage_error("缺少子命令", NULL, usage_user);
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_user, stdout);
			return EXIT_FINE;
		}
	if (!strcmp(argv[0], "add"))
		return user_add(argc - 1, argv + 1, color);
	if (!strcmp(argv[0], "list"))
		return user_list(argc - 1, argv + 1, color);
	return cli_usage_error("未知的 user 子命令", argv[0], usage_user);
}
