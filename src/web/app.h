/* The handlers of the web application, by room: home and login
 * (auth.c), a unit's year (unit.c), the reviewer's desk, the public page
 * and the admin page (desk.c). */
#ifndef JX_WEB_APP_H
#define JX_WEB_APP_H

#include "web.h"

bool jx__login_allowed(jx__ctx *c);
void jx__login_failed(jx__ctx *c);

void jx__page_home(jx__ctx *c);
void jx__page_login(jx__ctx *c, const char *error, int status);
void jx__do_login(jx__ctx *c);
void jx__do_logout(jx__ctx *c);

void jx__api_evaluate(jx__ctx *c);
void jx__route_unit(jx__ctx *c, bool get);

void jx__page_public(jx__ctx *c);
void jx__route_desk(jx__ctx *c);
void jx__route_admin(jx__ctx *c, bool get);

/* Shared by the rooms. */
int jx__year_param(jx__ctx *c, const char *s); /* 0 when not a year */
int jx__default_year(jx__ctx *c);
const jx_scheme *jx__scheme_named(jx__ctx *c, const char *name);
/* The revision rev (0: latest) of unit and year loaded and evaluated; NULL
 * when there is none.  findings (may be NULL) gets the findings. */
jx_doc *jx__load_rev(jx__ctx *c, const jx_store_rev *r, jx_diags *findings);
/* Renders doc as fmt ("html", "docx", "xlsx") and answers with the file. */
void jx__send_report(jx__ctx *c, jx_doc *doc, const jx_diags *findings, const char *fmt,
                     const char *name, bool attachment, int64_t when);
/* Loads revision r and answers with its report as fmt. */
void jx__send_rev_report(jx__ctx *c, const jx_store_rev *r, const char *fmt, const char *name,
                         bool attachment);
/* Answers with a file's bytes (and removes the file). */
void jx__send_file(jx__ctx *c, const char *path, const char *fmt, const char *name,
                   bool attachment);
bool jx__temp_name(jx__ctx *c, const char *ext, char *out, size_t size);
/* The first diagnostic's message, or fallback. */

const char *jx__first_message(jx__ctx *c, const char *fallback);
void jx__status_badge(jx__buf *b, jx_wf_status s);

#endif
