/* A unit's year: the form (editable by its filler while a draft or
 * returned), the findings with their 说明, the reviewer's comments and
 * actions, revisions, downloads, differences, the log. */
#include "app.h"

#include "../eval/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct unit_req {
	const char *code;
	int year;
	jx_store_desk_row row; /* strings copied into the arena */
	bool known;
} unit_req;

static jx_status keep_row(void *ctx, const jx_store_desk_row *r)
{
	jx__ctx *c = ((void **)ctx)[0];
	unit_req *u = ((void **)ctx)[1];
	u->row = *r;
	u->row.unit = jx__arena_strdup(&c->a, r->unit);
	u->row.unit_name = jx__arena_strdup(&c->a, r->unit_name ? r->unit_name : r->unit);
	u->row.grade = r->grade ? jx__arena_strdup(&c->a, r->grade) : NULL;
	u->known = true;
	return JX_OK;
}

static void load_status(jx__ctx *c, unit_req *u)
{
	void *ctx[2] = {c, u};
	u->known = false;
	jx_store_desk(c->st, u->year, u->code, -1, keep_row, ctx, c->diags);
}

static bool may_view(const jx__ctx *c, const char *unit)
{
	return c->user.role != JX_ROLE_FILLER || !strcmp(c->user.unit, unit);
}

/* The unit's own filler: who may fill, whatever the state. */
static bool may_fill(const jx__ctx *c, const unit_req *u)
{
	return c->user.role == JX_ROLE_FILLER && !strcmp(c->user.unit, u->code);
}

static bool state_editable(const unit_req *u)
{
	jx_wf_status s = u->row.status;
	return s == JX_WF_NONE || s == JX_WF_DRAFT || s == JX_WF_RETURNED;
}

static bool may_edit(const jx__ctx *c, const unit_req *u)
{
	return may_fill(c, u) && state_editable(u);
}

static const char *unit_url(jx__ctx *c, const unit_req *u, const char *tail)
{
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	jx__buf_adds(&b, "/unit/");
	jx__esc_url(&b, u->code);
	jx__buf_printf(&b, "/%d%s", u->year, tail);
	const char *r = b.oom ? "/" : jx__arena_strdup(&c->a, b.data);
	jx__buf_fini(&b);
	return r ? r : "/";
}

/* ---- the page ---- */

static const char *const sev_class[] = {"info", "warning", "error", "error"};

static void finding_item(jx__buf *b, const jx_diag *g, size_t k, bool editable)
{
	jx__buf_printf(b, "<li class=\"%s\" data-path=\"", sev_class[g->severity]);
	jx__esc(b, g->path ? g->path : "");
	jx__buf_adds(b, "\"><b>");
	jx__esc(b, g->id);
	jx__buf_adds(b, "</b> ");
	jx__esc(b, g->message);
	if (g->severity == JX_SEV_WARNING) {
		jx__buf_printf(b, "<input type=\"hidden\" name=\"_expl_rule.%zu\" value=\"", k);
		jx__esc(b, g->id);
		jx__buf_printf(b, "\"><input type=\"hidden\" name=\"_expl_path.%zu\" value=\"", k);
		jx__esc(b, g->path ? g->path : "");
		jx__buf_printf(b,
		               "\"><textarea name=\"_expl_text.%zu\" rows=\"2\" "
		               "placeholder=\"说明（提交前必填）\"%s>",
		               k, editable ? "" : " readonly");
		jx__esc(b, g->explanation ? g->explanation : "");
		jx__buf_adds(b, "</textarea>");
	}
	jx__buf_adds(b, "</li>");
}

static void results_panel(jx__buf *b, const jx_doc *doc, const jx_diags *findings, bool editable)
{
	char total[64] = "", grade[64] = "";
	if (doc) {
		jx_doc_format_result(doc, JX_RESULT_TOTAL, total, sizeof total);
		jx_doc_format_result(doc, JX_RESULT_GRADE, grade, sizeof grade);
	}
	jx__buf_adds(b, "<aside class=\"results\" aria-live=\"polite\"><div class=\"score\">"
	                "<span>自评总分</span><output id=\"jx-total\">");
	jx__esc(b, total);
	jx__buf_adds(b, "</output><span>等次</span><output id=\"jx-grade\">");
	jx__esc(b, grade);
	jx__buf_adds(b, "</output></div><p id=\"jx-counts\" class=\"counts\"></p>"
	                "<ol id=\"jx-findings\" class=\"findings\">");
	for (size_t i = 0; findings && i < jx_diags_count(findings); i++)
		finding_item(b, jx_diags_get(findings, i), i, editable);
	jx__buf_adds(b, "</ol>");
	if (editable)
		jx__buf_adds(b, "<div class=\"actions\"><button type=\"submit\" name=\"_do\" "
		                "value=\"save\">保存草稿</button><button type=\"submit\" "
		                "class=\"primary\" name=\"_do\" "
		                "value=\"submit\">保存并提交</button></div>");
	jx__buf_adds(b, "</aside>");
}

static jx_status comment_item(void *ctx, const jx_store_comment *cm)
{
	jx__ctx *c = ((void **)ctx)[0];
	jx__buf *b = ((void **)ctx)[1];
	jx__buf_adds(b, "<li><span class=\"meta\">");
	jx__buf_adds(b, jx__fmt_time(c, cm->at));
	jx__buf_adds(b, " ");
	jx__esc(b, cm->user);
	if (cm->rev)
		jx__buf_printf(b, " · 第 %d 版", cm->rev);
	jx__buf_adds(b, "</span> ");
	if (cm->path) {
		jx__buf_adds(b, "<a class=\"field-ref\" href=\"#f-");
		jx__esc(b, cm->path);
		jx__buf_adds(b, "\">");
		jx__esc(b, cm->path);
		jx__buf_adds(b, "</a>：");
	}
	jx__esc(b, cm->text);
	jx__buf_adds(b, "</li>");
	return JX_OK;
}

static const char *action_cn(const char *a)
{
	static const char *const names[][2] = {{"save", "保存"},        {"submit", "提交"},
	                                       {"return", "退回"},      {"accept", "通过"},
	                                       {"publish", "公开"},     {"import", "导入"},
	                                       {"unit.put", "单位登记"}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(a, names[i][0]))
			return names[i][1];
	return a;
}

static jx_status event_item(void *ctx, const jx_store_event *e)
{
	jx__ctx *c = ((void **)ctx)[0];
	jx__buf *b = ((void **)ctx)[1];
	jx__buf_adds(b, "<tr><td>");
	jx__buf_adds(b, jx__fmt_time(c, e->at));
	jx__buf_adds(b, "</td><td>");
	jx__esc(b, e->user);
	jx__buf_adds(b, "</td><td>");
	jx__esc(b, action_cn(e->action));
	jx__buf_adds(b, "</td><td>");
	if (e->rev)
		jx__buf_printf(b, "第 %d 版", e->rev);
	jx__buf_adds(b, "</td><td>");
	jx__esc(b, e->detail);
	jx__buf_adds(b, "</td></tr>");
	return JX_OK;
}

typedef struct rev_list {
	jx__ctx *c;
	jx__buf *b;
	const unit_req *u;
	int prev;
} rev_list;

static jx_status rev_item(void *ctx, const jx_store_rev *r)
{
	rev_list *l = ctx;
	jx__buf *b = l->b;
	const char *base = unit_url(l->c, l->u, "");
	jx__buf_printf(b, "<tr><td>第 %d 版</td><td>", r->rev);
	jx__buf_adds(b, jx__fmt_time(l->c, r->imported_at));
	jx__buf_printf(b, "</td><td class=\"num\">%s</td><td>",
	               jx__dec_text(l->c, r->has_total, r->total));
	jx__esc(b, r->grade ? r->grade : "");
	jx__buf_printf(b, "</td><td class=\"num\">%zu / %zu</td><td class=\"links\">", r->errors,
	               r->warnings);
	static const char *const fmts[][2] = {
	        {"html", "查看"}, {"docx", "DOCX"}, {"xlsx", "XLSX"}, {"source", "源文件"}};
	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		jx__buf_adds(b, "<a href=\"");
		jx__esc(b, base);
		jx__buf_printf(b, "/rev/%d.%s\">%s</a> ", r->rev, fmts[i][0], fmts[i][1]);
	}
	jx__buf_adds(b, "</td><td>");

	if (l->prev) {
		jx__buf_adds(b, "<a href=\"");
		jx__esc(b, base);
		jx__buf_printf(b, "/diff?from=%d&amp;to=%d\">与第 %d 版比较</a>", l->prev, r->rev,
		               l->prev);
	}
	jx__buf_adds(b, "</td></tr>");
	l->prev = r->rev;
	return JX_OK;
}

/* The reviewer's actions on a submitted year. */
static void review_actions(jx__ctx *c, jx__buf *b, const unit_req *u, const jx_scheme *s)
{
	jx_wf_status st = u->row.status;
	const char *base = unit_url(c, u, "");
	if (st == JX_WF_SUBMITTED || st == JX_WF_RESUBMITTED) {
		jx__buf_adds(
		        b,
		        "<section class=\"review\"><h2>审核</h2><form method=\"post\" action=\"");
		jx__esc(b, base);
		jx__buf_adds(b, "/return\" class=\"stack\">");
		jx__csrf_field(c, b);
		jx__buf_printf(b, "<input type=\"hidden\" name=\"_expect_rev\" value=\"%d\">",
		               u->row.rev);
		jx__buf_adds(
		        b,
		        "<label>退回意见<textarea name=\"comment\" rows=\"3\"></textarea></label>"
		        "<fieldset class=\"field-comments\"><legend>逐项意见（可选）</legend>");
		for (int i = 0; i < 3; i++) {
			jx__buf_printf(
			        b,
			        "<div class=\"row\"><select name=\"_fc_path.%d\" "
			        "aria-label=\"字段\"><option value=\"\">（选择字段）</option>",
			        i);
			for (size_t k = 0; s && k < s->nfields; k++) {
				const jx__field *f = &s->fields[k];
				if (f->ftype == JX_F_DERIVED || f->ftype == JX_F_CONST)
					continue;
				jx__buf_adds(b, "<option value=\"");
				jx__esc(b, f->path);
				jx__buf_adds(b, "\">");
				jx__esc(b, f->label ? f->label : f->path);
				jx__buf_adds(b, "</option>");
			}
			jx__buf_printf(b,
			               "</select><input name=\"_fc_text.%d\" aria-label=\"意见\" "
			               "placeholder=\"意见\"></div>",
			               i);
		}
		jx__buf_adds(b, "</fieldset><button type=\"submit\">退回修改</button></form>");
		jx__buf_adds(b, "<form method=\"post\" action=\"");
		jx__esc(b, base);
		jx__buf_adds(b, "/accept\">");
		jx__csrf_field(c, b);
		jx__buf_printf(b,
		               "<input type=\"hidden\" name=\"_expect_rev\" value=\"%d\">"
		               "<button type=\"submit\" class=\"primary\">审核通过</button></form>"
		               "</section>",
		               u->row.rev);
	} else if (st == JX_WF_ACCEPTED) {
		jx__buf_adds(
		        b,
		        "<section class=\"review\"><h2>公开</h2><form method=\"post\" action=\"");
		jx__esc(b, base);
		jx__buf_adds(b, "/publish\">");
		jx__csrf_field(c, b);
		jx__buf_printf(b,
		               "<input type=\"hidden\" name=\"_expect_rev\" value=\"%d\">"
		               "<button type=\"submit\" class=\"primary\">公开报告</button></form>"
		               "</section>",
		               u->row.rev);
	}
}

static void upload_form(jx__ctx *c, jx__buf *b, const unit_req *u)
{
	jx__buf_adds(b, "<section><h2>上传填好的 Excel 模板</h2><form method=\"post\" "
	                "enctype=\"multipart/form-data\" action=\"");
	jx__esc(b, unit_url(c, u, "/upload"));
	jx__buf_adds(b, "\">");
	jx__csrf_field(c, b);
	jx__buf_printf(b,
	               "<input type=\"hidden\" name=\"_base_rev\" value=\"%d\">"
	               "<input type=\"file\" name=\"file\" accept=\".xlsx\" required> "
	               "<button type=\"submit\">上传</button></form></section>",
	               u->row.rev);
}

static const char *flash_text(const char *m)
{
	static const char *const msgs[][2] = {
	        {"saved", "已保存"},     {"unchanged", "内容未变，未生成新版本"},
	        {"submitted", "已提交"}, {"returned", "已退回"},
	        {"accepted", "已通过"},  {"published", "已公开"}};
	for (size_t i = 0; m && i < sizeof msgs / sizeof msgs[0]; i++)
		if (!strcmp(m, msgs[i][0]))
			return msgs[i][1];
	return NULL;
}

static void unit_page(jx__ctx *c, unit_req *u)
{
	jx_store_rev r;
	jx_doc *doc = NULL;
	jx_diags *findings = jx_diags_new(c->app->alloc);
	const jx_scheme *s = c->app->o.default_scheme;
	if (u->row.rev && jx_store_find(c->st, u->code, u->year, 0, &r, c->diags) == JX_OK) {
		s = jx__scheme_named(c, r.scheme);
		doc = jx__load_rev(c, &r, findings);
	}
	bool editable = may_edit(c, u);
	const char *name = u->known ? u->row.unit_name : u->code;
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	jx__page_begin(c, &b, jx__arena_printf(&c->a, "%s %d", name, u->year));
	jx__buf_adds(&b, "<main class=\"unit\"><h1>");
	jx__esc(&b, name);
	jx__buf_printf(&b, " <small>%d 年度", u->year);
	if (s) {
		jx__buf_adds(&b, " · ");
		jx__esc(&b, jx_scheme_title(s));
	}
	jx__buf_adds(&b, "</small></h1><p class=\"status\">");
	jx__status_badge(&b, u->row.status);
	if (u->row.rev)
		jx__buf_printf(&b, " 第 %d 版 · 更新于 %s", u->row.rev,
		               jx__fmt_time(c, u->row.updated_at));
	jx__buf_adds(&b, "</p>");
	const char *flash = flash_text(jx__kvs_str(&c->query, "msg"));
	if (flash)
		jx__buf_printf(&b, "<p class=\"flash\" role=\"status\">%s</p>", flash);
	jx__buf cm;
	jx__buf_init(&cm, c->app->alloc);
	void *cctx[2] = {c, &cm};
	jx_store_comments(c->st, u->code, u->year, comment_item, cctx, c->diags);
	if (cm.len) {
		jx__buf_adds(&b, "<section class=\"comments\"><h2>审核意见</h2><ul>");
		jx__buf_add(&b, cm.data, cm.len);
		jx__buf_adds(&b, "</ul></section>");
	}
	jx__buf_fini(&cm);
	void *ctx[2] = {c, &b};
	if (c->user.role == JX_ROLE_REVIEWER)
		review_actions(c, &b, u, s);
	jx__buf_adds(&b, "<form id=\"jx-form\" class=\"fill\" method=\"post\" action=\"");
	jx__esc(&b, unit_url(c, u, "/save"));
	jx__buf_adds(&b, "\" data-eval=\"/api/evaluate?scheme=");
	jx__esc_url(&b, s ? jx_scheme_id(s) : "");
	jx__buf_printf(&b, "&amp;year=%d\"%s>", u->year, editable ? "" : " data-readonly");
	jx__csrf_field(c, &b);
	jx__buf_printf(&b, "<input type=\"hidden\" name=\"_base_rev\" value=\"%d\">", u->row.rev);
	results_panel(&b, doc, findings, editable);
	jx__buf_adds(&b, "<div class=\"fields\">");
	if (s)
		jx__form_html(c, &b, s, doc, !editable);
	jx__buf_adds(&b, "</div></form>");
	if (editable)
		upload_form(c, &b, u);
	jx__buf_adds(&b, "<section><h2>版本</h2><table class=\"list\"><thead><tr><th>版本</th>"
	                 "<th>时间</th><th>总分</th><th>等次</th><th>错误/核实</th><th>下载</th>"
	                 "<th></th></tr></thead><tbody>");
	rev_list rl = {c, &b, u, 0};
	jx_store_filter f = {.year = u->year, .unit = u->code, .all_revisions = true};
	if (u->row.rev)
		jx_store_list(c->st, &f, rev_item, &rl, c->diags);
	jx__buf_adds(&b, "</tbody></table></section><section><h2>记录</h2><table class=\"list\">"
	                 "<tbody>");
	jx_store_events(c->st, u->code, u->year, event_item, ctx, c->diags);
	jx__buf_adds(&b, "</tbody></table></section></main>");
	jx__page_end(c, &b);
	jx__resp_body(c, 200, "text/html; charset=utf-8", &b);
	jx_doc_free(doc);
	jx_diags_free(findings);
}

/* ---- saving ---- */

static void redirect_msg(jx__ctx *c, const unit_req *u, const char *msg)
{
	jx__resp_redirect(c, unit_url(c, u, jx__arena_printf(&c->a, "?msg=%s", msg)));
}

static void refused(jx__ctx *c, int status, const char *title, const unit_req *u)
{
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	jx__page_begin(c, &b, title);
	jx__buf_adds(&b, "<main class=\"narrow\"><h1>");
	jx__esc(&b, title);
	jx__buf_adds(&b, "</h1><ul class=\"findings\">");
	for (size_t i = 0; i < jx_diags_count(c->diags); i++) {
		const jx_diag *g = jx_diags_get(c->diags, i);
		if (g->severity < JX_SEV_ERROR)
			continue;
		jx__buf_adds(&b, "<li class=\"error\"><b>");
		jx__esc(&b, g->id);
		jx__buf_adds(&b, "</b> ");
		if (g->path) {
			jx__esc(&b, g->path);
			jx__buf_adds(&b, "：");
		}
		jx__esc(&b, g->message);
		jx__buf_adds(&b, "</li>");
	}
	jx__buf_adds(&b, "</ul><p><a href=\"");
	jx__esc(&b, unit_url(c, u, ""));
	jx__buf_adds(&b, "\">返回填报页</a></p></main>");
	jx__page_end(c, &b);
	jx__resp_body(c, status, "text/html; charset=utf-8", &b);
}

static int form_int(jx__ctx *c, const char *name)
{
	const char *v = jx__kvs_str(&c->form, name);
	return v ? atoi(v) : 0;
}

static jx_store_save_opts save_opts(jx__ctx *c, const unit_req *u)
{
	jx_store_save_opts o = {.user_id = c->user.id,
	                        .unit = u->code,
	                        .base_rev = form_int(c, "_base_rev"),
	                        .scheme = c->app->o.default_scheme,
	                        .resolve = c->app->o.resolve,
	                        .resolve_ctx = c->app->o.resolve_ctx,
	                        .file = "网页填报",
	                        .now = -1};
	return o;
}

/* Saves bytes; false (with the answer given) unless saved or unchanged. */
static bool save_bytes(jx__ctx *c, const unit_req *u, const char *buf, size_t len, const char *file,
                       jx_import_result *res)
{
	jx_store_save_opts o = save_opts(c, u);
	if (file)
		o.file = file;
	jx_status st = jx_store_save(c->st, &o, buf, len, res, c->diags);
	if (st == JX_ERR_USAGE) {
		refused(c, 409, "当前状态不能修改", u);
		return false;
	}
	if (st != JX_OK) {
		refused(c, 503, "保存失败，请重试", u);
		return false;
	}
	if (res->outcome == JX_IMPORT_CONFLICT) {
		refused(c, 409, "保存冲突：草稿已被他人修改", u);
		return false;
	}
	if (res->outcome == JX_IMPORT_REJECTED) {
		refused(c, 422, "未保存：填报内容有错误", u);
		return false;
	}
	return true;
}

static bool save_form(jx__ctx *c, const unit_req *u, jx_import_result *res)
{
	const jx_scheme *s = c->app->o.default_scheme;
	jx_store_rev r;
	if (u->row.rev && jx_store_find(c->st, u->code, u->year, 0, &r, c->diags) == JX_OK)
		s = jx__scheme_named(c, r.scheme);
	size_t len = 0;
	char *data = s ? jx__form_to_data(c, s, &c->form, u->code, u->year, &len) : NULL;
	if (!data) {
		jx__resp_error(c, 500, "无法生成数据文件");
		return false;
	}
	bool ok = save_bytes(c, u, data, len, NULL, res);
	jx__free(c->app->alloc, data);
	return ok;
}

static bool transition(jx__ctx *c, unit_req *u, jx_wf_action a, int expect)
{
	jx_store_field_comment fc[3];
	size_t nfc = 0;
	for (int i = 0; i < 3; i++) {
		char pn[32], tn[32];
		snprintf(pn, sizeof pn, "_fc_path.%d", i);
		snprintf(tn, sizeof tn, "_fc_text.%d", i);
		const char *p = jx__kvs_str(&c->form, pn), *t = jx__kvs_str(&c->form, tn);
		if (p && *p && t && *t)
			fc[nfc++] = (jx_store_field_comment){p, t};
	}
	const char *comment = jx__kvs_str(&c->form, "comment");
	jx_store_transition_opts o = {.user_id = c->user.id,
	                              .unit = u->code,
	                              .year = u->year,
	                              .action = a,
	                              .expect_rev = expect,
	                              .comment = comment && *comment ? comment : NULL,
	                              .fields = fc,
	                              .nfields = nfc,
	                              .now = -1};
	jx_wf_status out;
	jx_status st = jx_store_transition(c->st, &o, &out, c->diags);
	if (st == JX_OK)
		return true;
	refused(c, st == JX_ERR_USAGE ? 422 : 409, "未能完成", u);
	return false;
}

/* 403 for someone who may never fill this unit; 409 for its filler while
 * the year is submitted, accepted or published (the state, not the
 * person, is what refuses: the same answer the store gives). */
static bool edit_allowed(jx__ctx *c, const unit_req *u)
{
	if (!may_fill(c, u)) {
		jx__resp_error(c, 403, "无权修改");
		return false;
	}
	if (!state_editable(u)) {
		jx__resp_error(c, 409, "当前状态不能修改");
		return false;
	}
	return true;
}

static void do_save(jx__ctx *c, unit_req *u)
{
	jx_import_result res;
	if (!edit_allowed(c, u))
		return;
	if (!save_form(c, u, &res))
		return;
	const char *todo = jx__kvs_str(&c->form, "_do");
	if (todo && !strcmp(todo, "submit")) {
		if (transition(c, u, JX_WF_SUBMIT, res.rev))
			redirect_msg(c, u, "submitted");
		return;
	}
	redirect_msg(c, u, res.outcome == JX_IMPORT_NEW ? "saved" : "unchanged");
}

static void do_upload(jx__ctx *c, unit_req *u)
{
	jx_import_result res;
	if (!edit_allowed(c, u))
		return;
	const jx__kv *f = jx__kvs_get(&c->form, "file");
	if (!f || !f->filename || !f->value_len) {
		jx__resp_error(c, 400, "请选择要上传的 Excel 文件");
		return;
	}
	if (save_bytes(c, u, f->value, f->value_len, f->filename, &res))
		redirect_msg(c, u, res.outcome == JX_IMPORT_NEW ? "saved" : "unchanged");
}

static void do_submit(jx__ctx *c, unit_req *u)
{
	if (!may_fill(c, u)) {
		jx__resp_error(c, 403, "无权提交");
		return;
	}
	/* a year not in an editable state is refused by the transition (409) */
	if (transition(c, u, JX_WF_SUBMIT, form_int(c, "_expect_rev")))
		redirect_msg(c, u, "submitted");
}

static void do_review(jx__ctx *c, unit_req *u, jx_wf_action a, const char *msg)
{
	if (c->user.role != JX_ROLE_REVIEWER) {
		jx__resp_error(c, 403, "只有审核人可以审核");
		return;
	}
	if (transition(c, u, a, form_int(c, "_expect_rev")))
		redirect_msg(c, u, msg);
}

/* ---- downloads and differences ---- */

static void do_download(jx__ctx *c, unit_req *u, const char *what)
{
	const char *dot = strrchr(what, '.');
	int rev = atoi(what);
	jx_store_rev r;
	if (!dot || rev <= 0 ||
	    jx_store_find(c->st, u->code, u->year, rev, &r, c->diags) != JX_OK) {
		jx__resp_error(c, 404, "没有这个版本");
		return;
	}
	const char *fmt = dot + 1;
	const char *name = jx__arena_printf(&c->a, "%s-%d-第%d版", r.unit_name, r.year, r.rev);
	if (!strcmp(fmt, "source")) {
		char *src;
		size_t len;
		if (jx_store_source(c->st, r.id, &src, &len, c->diags) != JX_OK) {
			jx__resp_error(c, 500, "读取失败");
			return;
		}
		bool x = !strcmp(r.format, "xlsx");
		jx__resp_bytes(
		        c, 200,
		        x ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		          : "text/yaml; charset=utf-8",
		        src, len);
		jx__free(c->app->alloc, src);
		jx__buf h;
		jx__buf_init(&h, c->app->alloc);
		jx__buf_printf(&h, "attachment; filename=\"source.%s\"; filename*=UTF-8''",
		               x ? "xlsx" : "yaml");
		jx__esc_url(&h, name);
		jx__buf_adds(&h, x ? ".xlsx" : ".yaml");
		if (!h.oom)
			jx__resp_header(c, "Content-Disposition", h.data);
		jx__buf_fini(&h);
		return;
	}
	if (strcmp(fmt, "html") && strcmp(fmt, "docx") && strcmp(fmt, "xlsx")) {
		jx__resp_error(c, 404, "没有这种格式");
		return;
	}
	jx__send_rev_report(c, &r, fmt, name, strcmp(fmt, "html") != 0);
}

static jx_status change_row(void *ctx, const jx_store_change *ch)
{
	jx__buf *b = ctx;
	static const char *const groups[] = {"填报数据", "计算结果", "叙述"};
	jx__buf_printf(b, "<tr><td>%s</td><td>", groups[ch->group % 3]);
	jx__esc(b, ch->label ? ch->label : "");
	jx__buf_adds(b, "<br><small>");
	jx__esc(b, ch->path);
	jx__buf_adds(b, "</small></td><td class=\"old\">");
	jx__esc(b, ch->from ? ch->from : "（空）");
	jx__buf_adds(b, "</td><td class=\"new\">");
	jx__esc(b, ch->to ? ch->to : "（空）");
	jx__buf_adds(b, "</td></tr>");
	return JX_OK;
}

static void do_diff(jx__ctx *c, unit_req *u)
{
	int from = atoi(jx__kvs_str(&c->query, "from") ? jx__kvs_str(&c->query, "from") : "0");
	int to = atoi(jx__kvs_str(&c->query, "to") ? jx__kvs_str(&c->query, "to") : "0");
	jx_store_rev a, r;
	int64_t from_id;
	if (from <= 0 || to < 0 ||
	    jx_store_find(c->st, u->code, u->year, from, &a, c->diags) != JX_OK) {
		jx__resp_error(c, 404, "没有这个版本");
		return;
	}
	from_id = a.id;
	if (jx_store_find(c->st, u->code, u->year, to, &r, c->diags) != JX_OK) {
		jx__resp_error(c, 404, "没有这个版本");
		return;
	}
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	jx__page_begin(c, &b, "版本比较");
	jx__buf_adds(&b, "<main><h1>");
	jx__esc(&b, r.unit_name);
	jx__buf_printf(&b,
	               " %d 年度：第 %d 版 → 第 %d 版</h1><table class=\"list diff\"><thead><tr>"
	               "<th>类别</th><th>项目</th><th>原值</th><th>新值</th></tr></thead><tbody>",
	               r.year, from, r.rev);
	jx_store_diff(c->st, from_id, r.id, change_row, &b, c->diags);
	jx__buf_adds(&b, "</tbody></table><p><a href=\"");
	jx__esc(&b, unit_url(c, u, ""));
	jx__buf_adds(&b, "\">返回</a></p></main>");
	jx__page_end(c, &b);
	jx__resp_body(c, 200, "text/html; charset=utf-8", &b);
}

/* /unit/CODE/YEAR[/action | /rev/N.fmt | /diff] */
void jx__route_unit(jx__ctx *c, bool get)
{
	unit_req u = {0};
	if (c->nseg < 3 || !(u.year = jx__year_param(c, c->seg[2]))) {
		jx__resp_error(c, 404, "没有这个页面");
		return;
	}
	u.code = c->seg[1];
	if (!may_view(c, u.code)) {
		jx__resp_error(c, 403, "无权查看其他单位");
		return;
	}
	load_status(c, &u);
	if (!u.known && c->user.role != JX_ROLE_FILLER) {
		jx__resp_error(c, 404, "没有这个单位");
		return;
	}
	const char *act = c->nseg > 3 ? c->seg[3] : NULL;
	if (get) {
		if (!act && c->nseg == 3) {
			unit_page(c, &u);
			return;
		}
		if (act && !strcmp(act, "rev") && c->nseg == 5) {
			do_download(c, &u, c->seg[4]);
			return;
		}
		if (act && !strcmp(act, "diff") && c->nseg == 4) {
			do_diff(c, &u);
			return;
		}
		{
			jx__resp_error(c, 404, "没有这个页面");
			return;
		}
	}
	if (!act || c->nseg != 4) {
		jx__resp_error(c, 404, "没有这个页面");
		return;
	}
	if (!strcmp(act, "save")) {
		do_save(c, &u);
		return;
	}
	if (!strcmp(act, "upload")) {
		do_upload(c, &u);
		return;
	}
	if (!strcmp(act, "submit")) {
		do_submit(c, &u);
		return;
	}
	if (!strcmp(act, "return")) {
		do_review(c, &u, JX_WF_RETURN, "returned");
		return;
	}
	if (!strcmp(act, "accept")) {
		do_review(c, &u, JX_WF_ACCEPT, "accepted");
		return;
	}
	if (!strcmp(act, "publish")) {
		do_review(c, &u, JX_WF_PUBLISH, "published");
		return;
	}
	jx__resp_error(c, 404, "没有这个页面");
}

/* ---- live evaluation ---- */

void jx__api_evaluate(jx__ctx *c)
{
	if (c->user.role == JX_ROLE_ADMIN) {
		jx__resp_json_error(c, 403, "role", "管理员账户不填报");
		return;
	}
	const jx_scheme *s = jx__scheme_named(c, jx__kvs_str(&c->query, "scheme"));
	int year = jx__year_param(c, jx__kvs_str(&c->query, "year"));
	if (!s) {
		jx__resp_json_error(c, 400, "scheme", "没有这个方案");
		return;
	}
	size_t len = 0;
	const char *unit = c->user.role == JX_ROLE_FILLER ? c->user.unit : NULL;
	char *data =
	        jx__form_to_data(c, s, &c->form, unit, year ? year : jx__default_year(c), &len);
	jx_diags *load_errors = jx_diags_new(c->app->alloc);
	jx_diags *findings = jx_diags_new(c->app->alloc);
	jx_doc *doc = data && load_errors && findings
	                      ? jx__form_load(c, s, data, len, load_errors, findings)
	                      : NULL;
	jx__buf b;
	jx__buf_init(&b, c->app->alloc);
	if (data && load_errors && findings)
		jx__form_eval_json(c, &b, doc, load_errors, findings);
	else
		b.oom = true;
	jx__resp_body(c, 200, "application/json", &b);
	jx_doc_free(doc);
	jx_diags_free(load_errors);
	jx_diags_free(findings);
	jx__free(c->app->alloc, data);
}
