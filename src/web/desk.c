/* The finance bureau's desk (every unit of a year with its status and
 * results, filtered and sorted; the review list by rule; the summary),
 * the public page of published reports, and the admin page. */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct desk_rows {
	jx__ctx *c;
	jx_store_desk_row *r;
	size_t n, cap;
	const char *q;
} desk_rows;

static jx_status keep(void *ctx, const jx_store_desk_row *r)
{
	desk_rows *d = ctx;
	jx__ctx *c = d->c;
	if (d->q && *d->q && !strstr(r->unit, d->q) &&
	    !(r->unit_name && strstr(r->unit_name, d->q)))
		return JX_OK;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		jx_store_desk_row *v = jx__arena_alloc(&c->a, cap * sizeof(*v));
		if (!v)
			return JX_ERR_OOM;
		if (d->n)
			memcpy(v, d->r, d->n * sizeof(*v));
		d->r = v;
		d->cap = cap;
	}
	jx_store_desk_row *k = &d->r[d->n++];
	*k = *r;
	k->unit = jx__arena_strdup(&c->a, r->unit);
	k->unit_name = jx__arena_strdup(&c->a, r->unit_name ? r->unit_name : r->unit);
	k->parent_name = r->parent_name ? jx__arena_strdup(&c->a, r->parent_name) : NULL;
	k->grade = r->grade ? jx__arena_strdup(&c->a, r->grade) : NULL;
	k->stated_grade = r->stated_grade ? jx__arena_strdup(&c->a, r->stated_grade) : NULL;
	return k->unit && k->unit_name ? JX_OK : JX_ERR_OOM;
}

static int by_total(const void *a, const void *b)
{
	const jx_store_desk_row *x = a, *y = b;
	if (x->has_total != y->has_total)
		return x->has_total ? -1 : 1;
	int c = jx_dec_cmp(y->total, x->total);
	return c ? c : strcmp(x->unit, y->unit);
}

static int by_errors(const void *a, const void *b)
{
	const jx_store_desk_row *x = a, *y = b;
	if (x->errors != y->errors)
		return x->errors > y->errors ? -1 : 1;
	if (x->unexplained != y->unexplained)
		return x->unexplained > y->unexplained ? -1 : 1;
	return strcmp(x->unit, y->unit);
}

static int by_status(const void *a, const void *b)
{
	const jx_store_desk_row *x = a, *y = b;
	return x->status != y->status ? (int)x->status - (int)y->status : strcmp(x->unit, y->unit);
}

static int by_updated(const void *a, const void *b)
{
	const jx_store_desk_row *x = a, *y = b;
	return x->updated_at != y->updated_at ? (x->updated_at > y->updated_at ? -1 : 1)
	                                      : strcmp(x->unit, y->unit);
}

static void year_form(jx__ctx *c, jx__buf *b, const char *action, int year, bool filters)
{
	jx__buf_adds(b, "<form method=\"get\" action=\"");
	jx__buf_adds(b, action);
	jx__buf_printf(b,
	               "\" class=\"filters\"><label>年度<input name=\"year\" value=\"%d\" "
	               "size=\"5\" inputmode=\"numeric\"></label>",
	               year);
	if (filters) {
		const char *st = jx__kvs_str(&c->query, "status");
		const char *sort = jx__kvs_str(&c->query, "sort");
		const char *q = jx__kvs_str(&c->query, "q");
		jx__buf_adds(b,
		             "<label>状态<select name=\"status\"><option value=\"\">全部</option>");
		for (int s = JX_WF_NONE; s <= JX_WF_PUBLISHED; s++)
			jx__buf_printf(b, "<option value=\"%s\"%s>%s</option>",
			               jx_wf_status_name((jx_wf_status)s),
			               st && !strcmp(st, jx_wf_status_name((jx_wf_status)s))
			                       ? " selected"
			                       : "",
			               jx_wf_status_label((jx_wf_status)s));
		static const char *const sorts[][2] = {{"unit", "单位编码"},
		                                       {"total", "总分"},
		                                       {"errors", "问题数"},
		                                       {"status", "状态"},
		                                       {"updated", "更新时间"}};
		jx__buf_adds(b, "</select></label><label>排序<select name=\"sort\">");
		for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++)
			jx__buf_printf(b, "<option value=\"%s\"%s>%s</option>", sorts[i][0],
			               sort && !strcmp(sort, sorts[i][0]) ? " selected" : "",
			               sorts[i][1]);
		jx__buf_adds(b, "</select></label><label>单位<input name=\"q\" value=\"");
		jx__esc(b, q ? q : "");
		jx__buf_adds(b, "\" size=\"12\"></label>");
	}
	jx__buf_adds(b, "<button type=\"submit\">查看</button></form>");
}

static void unit_link(jx__ctx *c, jx__buf *b, const char *prefix, const char *code, int year,
                      const char *text)
{
	(void)c;
	jx__buf_printf(b, "<a href=\"%s/", prefix);
	jx__esc_url(b, code);
	jx__buf_printf(b, "/%d\">", year);
	jx__esc(b, text);
	jx__buf_adds(b, "</a>");
}

static void desk_row(jx__ctx *c, jx__buf *b, const jx_store_desk_row *r)
{
	jx__buf_adds(b, "<tr><td>");
	jx__esc(b, r->unit);
	jx__buf_adds(b, "</td><td>");
	unit_link(c, b, "/unit", r->unit, r->year, r->unit_name);
	jx__buf_adds(b, "</td><td>");
	jx__esc(b, r->parent_name ? r->parent_name : "");
	jx__buf_adds(b, "</td><td>");
	jx__status_badge(b, r->status);
	jx__buf_printf(b, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>",
	               r->rev ? jx__arena_printf(&c->a, "%d", r->rev) : "",
	               jx__dec_text(c, r->has_total, r->total));
	jx__esc(b, r->grade ? r->grade : "");
	jx__buf_printf(b, "</td><td class=\"num\">%s</td><td>",
	               jx__dec_text(c, r->has_stated_total, r->stated_total));
	jx__esc(b, r->stated_grade ? r->stated_grade : "");
	jx__buf_printf(b,
	               "</td><td class=\"num%s\">%zu</td><td class=\"num\">%zu</td>"
	               "<td class=\"num\">%zu</td><td>%s</td></tr>\n",
	               r->errors ? " bad" : "", r->errors, r->warnings, r->unexplained,
	               jx__fmt_time(c, r->updated_at));
}

static void desk_page(jx__ctx *c)
{
	int year = jx__default_year(c);
	const char *st = jx__kvs_str(&c->query, "status");
	jx_wf_status filter;
	desk_rows d = {.c = c, .q = jx__kvs_str(&c->query, "q")};
	int status = st && *st && jx_wf_status_parse(st, &filter) ? (int)filter : -1;
	if (jx_store_desk(c->st, year, NULL, status, keep, &d, c->diags) != JX_OK) {
		jx__resp_error(c, 500, jx__first_message(c, "读取失败"));
		return;
	}
	const char *sort = jx__kvs_str(&c->query, "sort");
	int (*cmp)(const void *, const void *) = NULL;
	if (sort && !strcmp(sort, "total"))
		cmp = by_total;
	else if (sort && !strcmp(sort, "errors"))
		cmp = by_errors;
	else if (sort && !strcmp(sort, "status"))
		cmp = by_status;
	else if (sort && !strcmp(sort, "updated"))
		cmp = by_updated;
	if (cmp && d.n)
		qsort(d.r, d.n, sizeof(*d.r), cmp);
	size_t count[JX_WF_PUBLISHED + 1] = {0};
	for (size_t i = 0; i < d.n; i++)
		count[d.r[i].status]++;
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	jx__page_begin(c, &b, "审核台");
	jx__buf_printf(&b, "<main><h1>审核台 <small>%d 年度 · %zu 个单位</small></h1>", year, d.n);
	year_form(c, &b, "/desk", year, true);
	jx__buf_adds(&b, "<p class=\"counts\">");
	for (int s = JX_WF_NONE; s <= JX_WF_PUBLISHED; s++)
		jx__buf_printf(&b, "%s %zu　", jx_wf_status_label((jx_wf_status)s), count[s]);
	jx__buf_adds(&b,
	             "</p><table class=\"list\" id=\"desk\"><thead><tr><th>编码</th><th>单位</th>"
	             "<th>主管部门</th><th>状态</th><th>版本</th><th>计算总分</th><th>等次</th>"
	             "<th>自报总分</th><th>自报等次</th><th>错误</th><th>核实</th><th>未说明</th>"
	             "<th>更新</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < d.n; i++)
		desk_row(c, &b, &d.r[i]);
	jx__buf_adds(&b, "</tbody></table></main>");
	jx__page_end(c, &b);
	jx__resp_body(c, 200, "text/html; charset=utf-8", &b);
}

static jx_status rule_row(void *ctx, const jx_store_rule_count *r)
{
	jx__buf *b = ctx;
	jx__buf_printf(b, "<tr><td>%s</td><td>", jx_severity_name(r->severity));
	jx__esc(b, r->rule);
	jx__buf_adds(b, "</td><td>");
	jx__esc(b, r->title ? r->title : "");
	jx__buf_printf(b, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td></tr>\n",
	               r->units, r->findings);
	return JX_OK;
}

typedef struct review_ctx {
	jx__ctx *c;
	jx__buf *b;
	size_t shown;
} review_ctx;

static jx_status review_row(void *ctx, const jx_store_rev *r, const jx_diag *g)
{
	review_ctx *v = ctx;
	if (!g || v->shown >= 2000)
		return JX_OK;
	v->shown++;
	jx__buf_adds(v->b, "<tr><td>");
	unit_link(v->c, v->b, "/unit", r->unit, r->year, r->unit_name);
	jx__buf_printf(v->b, "</td><td class=\"%s\">", jx_severity_name(g->severity));
	jx__esc(v->b, g->id);
	jx__buf_adds(v->b, "</td><td>");
	jx__esc(v->b, g->message);
	if (g->explanation) {
		jx__buf_adds(v->b, "<br><small>说明：");
		jx__esc(v->b, g->explanation);
		jx__buf_adds(v->b, "</small>");
	}
	jx__buf_adds(v->b, "</td></tr>\n");
	return JX_OK;
}

static void rules_page(jx__ctx *c)
{
	int year = jx__default_year(c);
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	jx__page_begin(c, &b, "按规则");
	jx__buf_printf(&b, "<main><h1>审核清单 <small>%d 年度</small></h1>", year);
	year_form(c, &b, "/desk/rules", year, false);
	jx__buf_adds(&b,
	             "<h2>按规则</h2><table class=\"list\"><thead><tr><th>级别</th><th>规则</th>"
	             "<th>名称</th><th>单位数</th><th>条数</th></tr></thead><tbody>");
	jx_store_rule_counts(c->st, year, rule_row, &b, c->diags);
	jx__buf_adds(&b, "</tbody></table><h2>按单位</h2><table class=\"list\"><thead><tr>"
	                 "<th>单位</th><th>规则</th><th>问题</th></tr></thead><tbody>");
	review_ctx v = {c, &b, 0};
	jx_store_review(c->st, year, review_row, &v, c->diags);
	jx__buf_adds(&b, "</tbody></table>");
	if (v.shown >= 2000)
		jx__buf_adds(
		        &b, "<p>仅显示前 2000 条；完整清单请用 <code>jixiao db check</code>。</p>");
	jx__buf_adds(&b, "</main>");
	jx__page_end(c, &b);
	jx__resp_body(c, 200, "text/html; charset=utf-8", &b);
}

static void summary_file(jx__ctx *c, const char *fmt)
{
	int year = jx__default_year(c);
	char tmp[600];
	jx_report_opts ro = {.timestamp = -1};
	if (!jx__temp_name(c, fmt, tmp, sizeof tmp) ||
	    jx_store_summary(c->st, year, fmt, tmp, &ro, c->diags) != JX_OK) {
		jx__resp_error(c, 500, jx__first_message(c, "生成汇总失败"));
		return;
	}
	jx__send_file(c, tmp, fmt, jx__arena_printf(&c->a, "%d年度绩效自评汇总", year),
	              !strcmp(fmt, "xlsx"));
}

void jx__route_desk(jx__ctx *c)
{
	if (c->user.role == JX_ROLE_FILLER) {
		jx__resp_error(c, 403, "审核台仅供财政部门使用");
		return;
	}
	if (c->nseg == 1) {
		desk_page(c);
		return;
	}
	if (c->nseg == 2 && !strcmp(c->seg[1], "rules")) {
		rules_page(c);
		return;
	}
	if (c->nseg == 2 && !strcmp(c->seg[1], "summary")) {
		summary_file(c, "html");
		return;
	}
	if (c->nseg == 2 && !strcmp(c->seg[1], "summary.xlsx")) {
		summary_file(c, "xlsx");
		return;
	}
	jx__resp_error(c, 404, "没有这个页面");
}

/* ---- public ---- */

static void public_list(jx__ctx *c)
{
	int year = jx__default_year(c);
	desk_rows d = {.c = c};
	if (jx_store_desk(c->st, year, NULL, JX_WF_PUBLISHED, keep, &d, c->diags) != JX_OK) {
		jx__resp_error(c, 500, "读取失败");
		return;
	}
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	jx__page_begin(c, &b, "公开的自评报告");
	jx__buf_printf(&b, "<main><h1>公开的绩效自评报告 <small>%d 年度</small></h1>", year);
	year_form(c, &b, "/public", year, false);
	jx__buf_adds(&b,
	             "<table class=\"list\" id=\"public\"><thead><tr><th>单位</th><th>自评总分</th>"
	             "<th>等次</th><th>下载</th></tr></thead><tbody>");
	for (size_t i = 0; i < d.n; i++) {
		const jx_store_desk_row *r = &d.r[i];
		jx__buf_adds(&b, "<tr><td>");
		unit_link(c, &b, "/public", r->unit, r->year, r->unit_name);
		jx__buf_printf(&b, "</td><td class=\"num\">%s</td><td>",
		               jx__dec_text(c, r->has_total, r->total));
		jx__esc(&b, r->grade ? r->grade : "");
		jx__buf_adds(&b, "</td><td>");
		for (int k = 0; k < 2; k++) {
			jx__buf_adds(&b, "<a href=\"/public/");
			jx__esc_url(&b, r->unit);
			jx__buf_printf(&b, "/%d/report.%s\">%s</a> ", r->year, k ? "xlsx" : "docx",
			               k ? "XLSX" : "DOCX");
		}
		jx__buf_adds(&b, "</td></tr>");
	}
	if (!d.n)
		jx__buf_adds(&b, "<tr><td colspan=\"4\">本年度尚无公开的报告</td></tr>");
	jx__buf_adds(&b, "</tbody></table></main>");
	jx__page_end(c, &b);
	jx__resp_body(c, 200, "text/html; charset=utf-8", &b);
}

/* /public/CODE/YEAR[/report.fmt]: only a published year. */
static void public_report(jx__ctx *c)
{
	int year = jx__year_param(c, c->seg[2]);
	desk_rows d = {.c = c};
	if (!year ||
	    jx_store_desk(c->st, year, c->seg[1], JX_WF_PUBLISHED, keep, &d, c->diags) != JX_OK ||
	    d.n != 1) {
		jx__resp_error(c, 404, "没有公开的报告");
		return;
	}
	const char *fmt = "html";
	if (c->nseg == 4) {
		if (!strcmp(c->seg[3], "report.docx"))
			fmt = "docx";
		else if (!strcmp(c->seg[3], "report.xlsx"))
			fmt = "xlsx";
		else if (strcmp(c->seg[3], "report.html")) {
			jx__resp_error(c, 404, "没有这种格式");
			return;
		}
	}
	jx_store_rev r;
	if (jx_store_find(c->st, d.r[0].unit, year, d.r[0].rev, &r, c->diags) != JX_OK) {
		jx__resp_error(c, 404, "没有公开的报告");
		return;
	}
	jx__send_rev_report(c, &r, fmt,
	                    jx__arena_printf(&c->a, "%s%d年度绩效自评报告", r.unit_name, year),
	                    c->nseg == 4 && strcmp(fmt, "html"));
}

void jx__page_public(jx__ctx *c)
{
	if (c->nseg == 1) {
		public_list(c);
		return;
	}
	if (c->nseg == 3 || c->nseg == 4) {
		public_report(c);
		return;
	}
	jx__resp_error(c, 404, "没有这个页面");
}

/* ---- admin ---- */

static jx_status user_row(void *ctx, const jx_store_user *u)
{
	jx__buf *b = ctx;
	jx__buf_adds(b, "<tr><td>");
	jx__esc(b, u->name);
	jx__buf_printf(b, "</td><td>%s</td><td>", jx_role_name(u->role));
	jx__esc(b, u->unit);
	jx__buf_adds(b, "</td></tr>");
	return JX_OK;
}

static void admin_page(jx__ctx *c, const char *error, int status)
{
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	jx__page_begin(c, &b, "账户与单位");
	jx__buf_adds(&b, "<main><h1>账户与单位</h1>");
	if (error) {
		jx__buf_adds(&b, "<p class=\"error\" role=\"alert\">");
		jx__esc(&b, error);
		jx__buf_adds(&b, "</p>");
	}
	jx__buf_adds(&b, "<h2>账户</h2><table class=\"list\"><thead><tr><th>账户</th><th>角色</th>"
	                 "<th>单位</th></tr></thead><tbody>");
	jx_store_users(c->st, user_row, &b, c->diags);
	jx__buf_adds(&b, "</tbody></table><form method=\"post\" action=\"/admin/users\" "
	                 "class=\"filters\">");
	jx__csrf_field(c, &b);
	jx__buf_adds(&b,
	             "<label>账户<input name=\"name\" required></label><label>角色<select "
	             "name=\"role\"><option value=\"filler\">填报人</option><option "
	             "value=\"reviewer\">审核人</option><option value=\"admin\">管理员</option>"
	             "</select></label><label>单位编码<input name=\"unit\"></label><label>初始密码"
	             "<input name=\"password\" type=\"password\" autocomplete=\"new-password\" "
	             "required minlength=\"8\"></label><button type=\"submit\">添加账户</button>"
	             "</form><h2>单位</h2><form method=\"post\" action=\"/admin/units\" "
	             "class=\"filters\">");
	jx__csrf_field(c, &b);
	jx__buf_adds(&b,
	             "<label>单位编码<input name=\"code\" required></label><label>单位名称<input "
	             "name=\"name\" required></label><label>主管部门编码<input name=\"parent\">"
	             "</label><label>主管部门名称<input name=\"parent_name\"></label><button "
	             "type=\"submit\">登记单位</button></form>");
	desk_rows d = {.c = c};
	jx_store_desk(c->st, jx__default_year(c), NULL, -1, keep, &d, c->diags);
	jx__buf_adds(&b,
	             "<table class=\"list\"><thead><tr><th>编码</th><th>名称</th><th>主管部门</th>"
	             "</tr></thead><tbody>");
	for (size_t i = 0; i < d.n; i++) {
		jx__buf_adds(&b, "<tr><td>");
		jx__esc(&b, d.r[i].unit);
		jx__buf_adds(&b, "</td><td>");
		jx__esc(&b, d.r[i].unit_name);
		jx__buf_adds(&b, "</td><td>");
		jx__esc(&b, d.r[i].parent_name ? d.r[i].parent_name : "");
		jx__buf_adds(&b, "</td></tr>");
	}
	jx__buf_adds(&b, "</tbody></table></main>");
	jx__page_end(c, &b);
	jx__resp_body(c, status, "text/html; charset=utf-8", &b);
}

static const char *opt(jx__ctx *c, const char *name)
{
	const char *v = jx__kvs_str(&c->form, name);
	return v && *v ? v : NULL;
}

void jx__route_admin(jx__ctx *c, bool get)
{
	if (c->user.role != JX_ROLE_ADMIN) {
		jx__resp_error(c, 403, "仅管理员可用");
		return;
	}
	if (get && c->nseg == 1) {
		admin_page(c, NULL, 200);
		return;
	}
	if (get || c->nseg != 2) {
		jx__resp_error(c, 404, "没有这个页面");
		return;
	}
	jx_status st = JX_ERR_USAGE;
	if (!strcmp(c->seg[1], "users")) {
		jx_role role;
		if (!opt(c, "name") || !opt(c, "password") || !opt(c, "role") ||
		    !jx_role_parse(opt(c, "role"), &role)) {
			admin_page(c, "请填写账户、角色和密码", 422);
			return;
		}
		st = jx_store_user_add(c->st, opt(c, "name"), role, opt(c, "unit"),
		                       opt(c, "password"), c->diags);
	} else if (!strcmp(c->seg[1], "units")) {
		if (!opt(c, "code") || !opt(c, "name")) {
			admin_page(c, "请填写单位编码和名称", 422);
			return;
		}
		st = jx_store_unit_put(c->st, opt(c, "code"), opt(c, "name"), opt(c, "parent"),
		                       opt(c, "parent_name"), c->user.id, c->diags);
	} else {
		{
			jx__resp_error(c, 404, "没有这个页面");
			return;
		}
	}
	if (st != JX_OK) {
		admin_page(c, jx__first_message(c, "操作失败"), 422);
		return;
	}
	jx__resp_redirect(c, "/admin");
}
