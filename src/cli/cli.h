/* What the CLI's command files share: exit codes, printing diagnostics in
 * compiler style, finding schemes, usage errors. */
#ifndef JX_CLI_H
#define JX_CLI_H

#include "jixiao/jixiao.h"

#include <stdbool.h>

enum { EXIT_FINE = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

typedef struct scheme_cache scheme_cache;

void cli_print_diag(const jx_diag *g, bool color);
void cli_print_all(const jx_diags *d, bool color);
/* "jixiao: 错误：msg：arg" and the command's help on stderr; EXIT_USAGE. */
int cli_usage_error(const char *msg, const char *arg, const char *help);
bool cli_parse_ulong(const char *s, unsigned long long max, unsigned long long *out);

/* The scheme NAME (NULL: the default) found as main.c's check finds it,
 * or the scheme file override; cached.  NULL with the reason in d. */
jx_scheme *cli_scheme(scheme_cache **cache, const char *override_path, const char *name,
                      const char *file, bool color, jx_diags *d);
void cli_free_schemes(scheme_cache *c);

/* Report options with the document time from SOURCE_DATE_EPOCH when set
 * (so the same input gives byte-identical files), else the fixed default. */
jx_report_opts cli_report_opts(void);
/* Writes buf to path through a temporary file and a rename, mode 0644;
 * false with errno set if it could not. */
bool cli_write_file(const char *path, const char *buf, size_t len);

int cmd_db(int argc, char **argv, bool color);
int cmd_audit(int argc, char **argv, bool color);
int cmd_user(int argc, char **argv, bool color);
int cmd_serve(int argc, char **argv, bool color);

#endif
