/* Reading XLSX workbooks: the zip container (libzip), the workbook, its
 * relationships, shared strings and worksheets (expat, streamed part by
 * part with a byte cap, so a zip bomb stops at the cap). */
#include "xlsx_read.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

typedef struct reader {
	jx__xlsx *x;
	zip_t *z;
	jx_diags *diags;
	bool failed;
	/* shared strings */
	const char **sst;
	size_t nsst, capsst;
} reader;

static void fail(reader *R, const char *id, const char *fmt, const char *a, const char *b)
{
	jx__loc l = {R->x->path, 0, 0};
	if (!R->failed)
		jx__diag_fatal(R->diags, id, l, NULL, fmt, a ? a : "", b ? b : "");
	R->failed = true;
}

static void oom(reader *R)
{
	fail(R, "K06", "%s%s内存不足", NULL, NULL);
}

static const char *local_name(const char *n)
{
	const char *c = strrchr(n, ':');
	return c ? c + 1 : n;
}

static const char *attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp(local_name(atts[i]), name))
			return atts[i + 1];
	return NULL;
}

/* ---- streaming one part through expat ---------------------------------- */

typedef struct xpart {
	reader *R;
	XML_Parser p;
	const char *part;
	jx__buf text;
	bool collect;
	bool stop; /* a handler reported an error */
	/* per-kind state */
	int kind;
	void *ctx;
} xpart;

static void stop_with(xpart *P, const char *id, const char *fmt, const char *a, const char *b)
{
	fail(P->R, id, fmt, a, b);
	P->stop = true;
	XML_StopParser(P->p, XML_FALSE);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	xpart *P = ud;
	if (P->collect && len > 0)
		jx__buf_add(&P->text, s, (size_t)len);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sys,
                               const XML_Char *pub, int has_internal)
{
	(void)name, (void)sys, (void)pub, (void)has_internal;
	xpart *P = ud;
	stop_with(P, "K04", "%s：不接受 DOCTYPE 声明%s", P->part, NULL);
}

/* Reads part `name` (which must exist unless optional) through handlers. */
static bool parse_part(reader *R, const char *name, bool optional, xpart *P,
                       XML_StartElementHandler start, XML_EndElementHandler end)
{
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat(R->z, name, 0, &st) != 0) {
		if (!optional)
			fail(R, "K02", "工作簿缺少部件 %s%s", name, NULL);
		return optional;
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > JX__XLSX_MAX_PART) {
		fail(R, "K03", "部件 %s 解压后超过 64 MiB 上限%s", name, NULL);
		return false;
	}
	zip_file_t *f = zip_fopen(R->z, name, 0);
	if (!f) {
		fail(R, "K01", "无法读取部件 %s：%s", name, zip_strerror(R->z));
		return false;
	}
	XML_Parser p = XML_ParserCreate("UTF-8");
	if (!p) {
		zip_fclose(f);
		oom(R);
		return false;
	}
	P->R = R;
	P->p = p;
	P->part = name;
	jx__buf_init(&P->text, R->x->alloc);
	XML_SetUserData(p, P);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	char chunk[65536];
	size_t total = 0;
	bool ok = true;
	for (;;) {
		zip_int64_t n = zip_fread(f, chunk, sizeof chunk);
		if (n < 0) {
			fail(R, "K01", "无法解压部件 %s：%s", name, zip_file_strerror(f));
			ok = false;
			break;
		}
		total += (size_t)n;
		if (total > JX__XLSX_MAX_PART) {
			fail(R, "K03", "部件 %s 解压后超过 64 MiB 上限%s", name, NULL);
			ok = false;
			break;
		}
		if (XML_Parse(p, chunk, (int)n, n == 0) != XML_STATUS_OK) {
			if (!P->stop) {
				char msg[256];
				snprintf(msg, sizeof msg, "第%lu行：%s",
				         (unsigned long)XML_GetCurrentLineNumber(p),
				         XML_ErrorString(XML_GetErrorCode(p)));
				fail(R, "K04", "部件 %s 不是合格的 XML（%s）", name, msg);
			}
			ok = false;
			break;
		}
		if (P->text.oom) {
			oom(R);
			ok = false;
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(p);
	zip_fclose(f);
	jx__buf_fini(&P->text);
	return ok && !R->failed;
}

static const char *take_text(xpart *P)
{
	const char *s =
	        jx__arena_strndup(&P->R->x->arena, P->text.data ? P->text.data : "", P->text.len);
	P->text.len = 0;
	if (!s)
		stop_with(P, "K06", "%s%s内存不足", NULL, NULL);
	return s;
}

/* ---- workbook.xml and its relationships ------------------------------- */

typedef struct wbsheet {
	const char *name, *rid;
} wbsheet;

typedef struct wbstate {
	wbsheet *sheets;
	size_t n, cap;
	/* rels */
	const char **ids, **targets, **types;
	size_t nrels, capids, captargets, captypes;
} wbstate;

static void XMLCALL wb_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
	xpart *P = ud;
	wbstate *W = P->ctx;
	if (strcmp(local_name(el), "sheet"))
		return;
	const char *name = attr(atts, "name"), *rid = attr(atts, "id");
	if (!name || !rid)
		return;
	if (W->n >= JX__XLSX_MAX_SHEETS) {
		stop_with(P, "K06", "工作表过多（上限 1024）%s%s", NULL, NULL);
		return;
	}
	if (!jx__grow(P->R->x->alloc, (void **)&W->sheets, &W->cap, W->n + 1, sizeof(*W->sheets))) {
		stop_with(P, "K06", "%s%s内存不足", NULL, NULL);
		return;
	}
	W->sheets[W->n].name = jx__arena_strdup(&P->R->x->arena, name);
	W->sheets[W->n].rid = jx__arena_strdup(&P->R->x->arena, rid);
	if (!W->sheets[W->n].name || !W->sheets[W->n].rid)
		stop_with(P, "K06", "%s%s内存不足", NULL, NULL);
	W->n++;
}

static void XMLCALL no_end(void *ud, const XML_Char *el)
{
	(void)ud, (void)el;
}

static void XMLCALL rels_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
	xpart *P = ud;
	wbstate *W = P->ctx;
	if (strcmp(local_name(el), "Relationship"))
		return;
	const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
	const char *type = attr(atts, "Type");
	if (!id || !target)
		return;
	if (W->nrels >= 4096) {
		stop_with(P, "K06", "关系项过多%s%s", NULL, NULL);
		return;
	}
	const jx_allocator *al = P->R->x->alloc;
	if (!jx__grow(al, (void **)&W->ids, &W->capids, W->nrels + 1, sizeof(char *)) ||
	    !jx__grow(al, (void **)&W->targets, &W->captargets, W->nrels + 1, sizeof(char *)) ||
	    !jx__grow(al, (void **)&W->types, &W->captypes, W->nrels + 1, sizeof(char *))) {
		stop_with(P, "K06", "%s%s内存不足", NULL, NULL);
		return;
	}
	jx__arena *a = &P->R->x->arena;
	/* Targets are relative to xl/ unless absolute. */
	const char *t = target[0] == '/' ? jx__arena_strdup(a, target + 1)
	                                 : jx__arena_printf(a, "xl/%s", target);
	W->ids[W->nrels] = jx__arena_strdup(a, id);
	W->targets[W->nrels] = t;
	W->types[W->nrels] = jx__arena_strdup(a, type ? type : "");
	if (!W->ids[W->nrels] || !t || !W->types[W->nrels])
		stop_with(P, "K06", "%s%s内存不足", NULL, NULL);
	W->nrels++;
}

/* ---- sharedStrings.xml ------------------------------------------------ */

typedef struct sststate {
	int in_si;  /* inside <si> */
	int in_rph; /* inside phonetic runs: their text is not shown */
} sststate;

static void XMLCALL sst_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
	(void)atts;
	xpart *P = ud;
	sststate *S = P->ctx;
	const char *n = local_name(el);
	if (!strcmp(n, "si")) {
		S->in_si = 1;
		S->in_rph = 0;
		P->text.len = 0;
	} else if (!strcmp(n, "rPh")) {
		S->in_rph++;
	} else if (!strcmp(n, "t")) {
		P->collect = S->in_si && !S->in_rph;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *el)
{
	xpart *P = ud;
	sststate *S = P->ctx;
	reader *R = P->R;
	const char *n = local_name(el);
	if (!strcmp(n, "t")) {
		P->collect = false;
	} else if (!strcmp(n, "rPh")) {
		S->in_rph--;
	} else if (!strcmp(n, "si") && S->in_si) {
		S->in_si = 0;
		if (R->nsst >= JX__XLSX_MAX_CELLS) {
			stop_with(P, "K06", "共享字符串超过 %s 个%s", "2000000", NULL);
			return;
		}
		if (!jx__grow(R->x->alloc, (void **)&R->sst, &R->capsst, R->nsst + 1,
		              sizeof(*R->sst))) {
			stop_with(P, "K06", "%s%s内存不足", NULL, NULL);
			return;
		}
		const char *s = take_text(P);
		if (s)
			R->sst[R->nsst++] = s;
	}
}

/* ---- worksheets ------------------------------------------------------- */

typedef struct shstate {
	jx__xsheet *sh;
	uint32_t row;     /* current <row>, 0-based */
	uint32_t nextcol; /* column after the last cell of the row */
	bool in_cell, in_v, in_is, in_f;
	int in_rph;
	jx__xcell cur;
	char t[16]; /* the cell's t= */
	size_t *total;
} shstate;

bool jx__xlsx_parse_ref(const char *ref, size_t len, uint32_t *row, uint32_t *col)
{
	size_t i = 0;
	uint32_t c = 0, r = 0;
	while (i < len && ref[i] == '$')
		i++;
	size_t c0 = i;
	while (i < len && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'))) {
		if (i - c0 >= 3)
			return false;
		c = c * 26 + (uint32_t)((ref[i] | 0x20) - 'a' + 1);
		i++;
	}
	if (i == c0 || c > JX__XLSX_MAX_COLS)
		return false;
	if (i < len && ref[i] == '$')
		i++;
	size_t r0 = i;
	while (i < len && ref[i] >= '0' && ref[i] <= '9') {
		if (i - r0 >= 7)
			return false;
		r = r * 10 + (uint32_t)(ref[i] - '0');
		i++;
	}
	if (i == r0 || i != len || r == 0 || r > JX__XLSX_MAX_ROWS)
		return false;
	*row = r - 1;
	*col = c - 1;
	return true;
}

void jx__xlsx_ref(uint32_t row, uint32_t col, char *buf, size_t size)
{
	char letters[8];
	size_t n = 0;
	uint32_t c = col + 1;
	while (c && n < sizeof letters) {
		letters[n++] = (char)('A' + (c - 1) % 26);
		c = (c - 1) / 26;
	}
	char tmp[8];
	for (size_t i = 0; i < n; i++)
		tmp[i] = letters[n - 1 - i];
	snprintf(buf, size, "%.*s%lu", (int)n, tmp, (unsigned long)row + 1);
}

static void XMLCALL sh_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
	xpart *P = ud;
	shstate *S = P->ctx;
	const char *n = local_name(el);
	if (!strcmp(n, "row")) {
		const char *r = attr(atts, "r");
		if (r) {
			char *end;
			unsigned long v = strtoul(r, &end, 10);
			if (*end || v == 0 || v > JX__XLSX_MAX_ROWS) {
				stop_with(P, "K05", "%s：行号 %s 超出范围（1～1048576）", P->part,
				          r);
				return;
			}
			S->row = (uint32_t)(v - 1);
		} else if (S->sh->ncells || S->nextcol) {
			S->row++;
		}
		S->nextcol = 0;
	} else if (!strcmp(n, "c")) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t");
		memset(&S->cur, 0, sizeof S->cur);
		if (r) {
			if (!jx__xlsx_parse_ref(r, strlen(r), &S->cur.row, &S->cur.col)) {
				stop_with(P, "K05", "%s：单元格引用“%s”无效或超出 XFD1048576",
				          P->part, r);
				return;
			}
		} else {
			if (S->nextcol >= JX__XLSX_MAX_COLS || S->row >= JX__XLSX_MAX_ROWS) {
				stop_with(P, "K05", "%s：单元格超出 XFD1048576%s", P->part, NULL);
				return;
			}
			S->cur.row = S->row;
			S->cur.col = S->nextcol;
		}
		snprintf(S->t, sizeof S->t, "%s", t ? t : "n");
		S->in_cell = true;
		S->in_v = S->in_is = S->in_f = false;
		S->in_rph = 0;
		P->text.len = 0;
	} else if (S->in_cell && !strcmp(n, "v")) {
		S->in_v = true;
		P->text.len = 0;
		P->collect = true;
	} else if (S->in_cell && !strcmp(n, "f")) {
		S->cur.formula = true;
		S->in_f = true;
	} else if (S->in_cell && !strcmp(n, "is")) {
		S->in_is = true;
		P->text.len = 0;
	} else if (S->in_is && !strcmp(n, "rPh")) {
		S->in_rph++;
	} else if (S->in_is && !strcmp(n, "t")) {
		P->collect = !S->in_rph;
	} else if (!strcmp(n, "mergeCell")) {
		const char *ref = attr(atts, "ref");
		const char *colon = ref ? strchr(ref, ':') : NULL;
		jx__xmerge m;
		if (!ref)
			return;
		if (!colon || !jx__xlsx_parse_ref(ref, (size_t)(colon - ref), &m.r0, &m.c0) ||
		    !jx__xlsx_parse_ref(colon + 1, strlen(colon + 1), &m.r1, &m.c1) ||
		    m.r1 < m.r0 || m.c1 < m.c0) {
			stop_with(P, "K05", "%s：合并区域“%s”无效", P->part, ref);
			return;
		}
		jx__xsheet *sh = S->sh;
		if (sh->nmerges >= 65536) {
			stop_with(P, "K06", "%s：合并区域过多（上限 %s 个）", P->part, "65536");
			return;
		}
		if (!jx__grow(P->R->x->alloc, (void **)&sh->merges, &sh->capmerges, sh->nmerges + 1,
		              sizeof(*sh->merges))) {
			stop_with(P, "K06", "%s%s内存不足", NULL, NULL);
			return;
		}
		sh->merges[sh->nmerges++] = m;
	}
}

static void finish_cell(xpart *P, shstate *S)
{
	reader *R = P->R;
	jx__xsheet *sh = S->sh;
	jx__xcell c = S->cur;
	const char *t = S->t;
	S->nextcol = c.col + 1;
	const char *text = take_text(P);
	if (!text)
		return;
	if (!strcmp(t, "s")) {
		if (!text[0]) {
			c.type = JX_XC_BLANK;
		} else {
			char *end;
			unsigned long i = strtoul(text, &end, 10);
			if (*end || i >= R->nsst) {
				char ref[16];
				jx__xlsx_ref(c.row, c.col, ref, sizeof ref);
				stop_with(P, "K08", "%s!%s：引用了不存在的共享字符串", sh->name,
				          ref);
				return;
			}
			text = R->sst[i];
			c.type = JX_XC_STR;
		}
	} else if (!strcmp(t, "str") || !strcmp(t, "inlineStr") || !strcmp(t, "d")) {
		c.type = JX_XC_STR;
	} else if (!strcmp(t, "b")) {
		c.type = text[0] ? JX_XC_BOOL : JX_XC_BLANK;
	} else if (!strcmp(t, "e")) {
		c.type = JX_XC_ERR;
	} else {
		c.type = text[0] ? JX_XC_NUM : JX_XC_BLANK;
	}
	c.text = text;
	if (c.type == JX_XC_BLANK && !c.formula)
		return; /* style-only cell */
	if (*S->total >= JX__XLSX_MAX_CELLS) {
		stop_with(P, "K06", "工作簿单元格超过 %s 个%s", "2000000", NULL);
		return;
	}
	if (!jx__grow(R->x->alloc, (void **)&sh->cells, &sh->capcells, sh->ncells + 1,
	              sizeof(*sh->cells))) {
		stop_with(P, "K06", "%s%s内存不足", NULL, NULL);
		return;
	}
	sh->cells[sh->ncells++] = c;
	(*S->total)++;
	if (c.row + 1 > sh->nrows)
		sh->nrows = c.row + 1;
}

static void XMLCALL sh_end(void *ud, const XML_Char *el)
{
	xpart *P = ud;
	shstate *S = P->ctx;
	const char *n = local_name(el);
	if (!S->in_cell)
		return;
	if (!strcmp(n, "v")) {
		S->in_v = false;
		P->collect = false;
	} else if (!strcmp(n, "f")) {
		S->in_f = false;
	} else if (!strcmp(n, "t")) {
		P->collect = false;
	} else if (!strcmp(n, "rPh")) {
		S->in_rph--;
	} else if (!strcmp(n, "is")) {
		S->in_is = false;
		/* inline text is the value: force t="inlineStr" reading */
		snprintf(S->t, sizeof S->t, "inlineStr");
	} else if (!strcmp(n, "c")) {
		S->in_cell = false;
		P->collect = false;
		finish_cell(P, S);
	}
}

static int cmp_cell(const void *a, const void *b)
{
	const jx__xcell *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* ---- the whole workbook ----------------------------------------------- */

static bool read_workbook(reader *R)
{
	wbstate W;
	memset(&W, 0, sizeof W);
	xpart P;
	bool ok = true;
	memset(&P, 0, sizeof P);
	P.ctx = &W;
	ok = parse_part(R, "xl/workbook.xml", false, &P, wb_start, no_end);
	memset(&P, 0, sizeof P);
	P.ctx = &W;
	ok = ok && parse_part(R, "xl/_rels/workbook.xml.rels", false, &P, rels_start, no_end);
	const char *sst = "xl/sharedStrings.xml";
	for (size_t i = 0; ok && i < W.nrels; i++) {
		size_t tl = strlen(W.types[i]);
		if (tl >= 14 && !strcmp(W.types[i] + tl - 14, "/sharedStrings"))
			sst = W.targets[i];
	}
	if (ok) {
		sststate S;
		memset(&S, 0, sizeof S);
		memset(&P, 0, sizeof P);
		P.ctx = &S;
		ok = parse_part(R, sst, true, &P, sst_start, sst_end);
	}
	if (ok) {
		R->x->sheets = jx__arena_alloc(&R->x->arena, (W.n + 1) * sizeof(jx__xsheet));
		if (!R->x->sheets) {
			oom(R);
			ok = false;
		}
	}
	size_t total = 0;
	for (size_t i = 0; ok && i < W.n; i++) {
		const char *target = NULL;
		for (size_t k = 0; k < W.nrels; k++)
			if (!strcmp(W.ids[k], W.sheets[i].rid))
				target = W.targets[k];
		if (!target) {
			fail(R, "K02", "工作表“%s”的关系 %s 不存在", W.sheets[i].name,
			     W.sheets[i].rid);
			ok = false;
			break;
		}
		jx__xsheet *sh = &R->x->sheets[R->x->nsheets++];
		sh->name = W.sheets[i].name;
		sh->part = target;
		shstate S;
		memset(&S, 0, sizeof S);
		S.sh = sh;
		S.total = &total;
		memset(&P, 0, sizeof P);
		P.ctx = &S;
		ok = parse_part(R, target, false, &P, sh_start, sh_end);
		if (ok && sh->ncells > 1)
			qsort(sh->cells, sh->ncells, sizeof(*sh->cells), cmp_cell);
	}
	jx__free(R->x->alloc, W.sheets);
	jx__free(R->x->alloc, W.ids);
	jx__free(R->x->alloc, W.targets);
	jx__free(R->x->alloc, W.types);
	return ok;
}

static jx__xlsx *open_zip(zip_t *z, jx__xlsx *x, jx_diags *diags)
{
	reader R;
	memset(&R, 0, sizeof R);
	R.x = x;
	R.z = z;
	R.diags = diags;
	bool ok = read_workbook(&R);
	zip_discard(z);
	jx__free(x->alloc, R.sst);
	if (!ok) {
		jx__xlsx_close(x);
		return NULL;
	}
	return x;
}

static jx__xlsx *new_book(const char *path, const jx_allocator *alloc)
{
	if (!alloc)
		alloc = jx_allocator_default();
	jx__xlsx *x = jx__alloc(alloc, sizeof(*x));
	if (!x)
		return NULL;
	memset(x, 0, sizeof(*x));
	x->alloc = alloc;
	jx__arena_init(&x->arena, alloc, 65536);
	x->path = jx__arena_strdup(&x->arena, path ? path : "");
	if (!x->path) {
		jx__xlsx_close(x);
		return NULL;
	}
	return x;
}

static void zip_fail(jx__xlsx *x, jx_diags *diags, int err)
{
	jx__loc l = {x->path, 0, 0};
	if (err == ZIP_ER_NOENT || err == ZIP_ER_OPEN || err == ZIP_ER_READ) {
		jx__diag_fatal(diags, "K01", l, NULL, "无法打开工作簿文件");
	} else if (err == ZIP_ER_NOZIP) {
		jx__diag_fatal(diags, "K01", l, NULL, "不是 XLSX 工作簿（不是 zip 文件）");
	} else {
		zip_error_t ze;
		zip_error_init_with_code(&ze, err);
		jx__diag_fatal(diags, "K01", l, NULL, "不是有效的 XLSX 工作簿（zip 文件损坏：%s）",
		               zip_error_strerror(&ze));
		zip_error_fini(&ze);
	}
}

jx__xlsx *jx__xlsx_open(const char *path, const jx_allocator *alloc, jx_diags *diags)
{
	jx__xlsx *x = new_book(path, alloc);
	if (!x)
		return NULL;
	int err = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	if (!z) {
		zip_fail(x, diags, err);
		jx__xlsx_close(x);
		return NULL;
	}
	return open_zip(z, x, diags);
}

jx__xlsx *jx__xlsx_open_mem(const void *buf, size_t len, const char *name,
                            const jx_allocator *alloc, jx_diags *diags)
{
	jx__xlsx *x = new_book(name, alloc);
	if (!x)
		return NULL;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (!z) {
		int err = zip_error_code_zip(&ze);
		if (src)
			zip_source_free(src);
		zip_error_fini(&ze);
		zip_fail(x, diags, err == ZIP_ER_OPEN || err == ZIP_ER_READ ? ZIP_ER_NOZIP : err);
		jx__xlsx_close(x);
		return NULL;
	}
	zip_error_fini(&ze);
	return open_zip(z, x, diags);
}

void jx__xlsx_close(jx__xlsx *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nsheets; i++) {
		jx__free(x->alloc, x->sheets[i].cells);
		jx__free(x->alloc, x->sheets[i].merges);
	}
	jx__arena_fini(&x->arena);
	jx__free(x->alloc, x);
}

const jx__xsheet *jx__xlsx_sheet(const jx__xlsx *x, const char *name)
{
	for (size_t i = 0; x && i < x->nsheets; i++)
		if (!strcmp(x->sheets[i].name, name))
			return &x->sheets[i];
	return NULL;
}

const jx__xcell *jx__xlsx_cell(const jx__xsheet *sh, uint32_t row, uint32_t col)
{
	if (!sh)
		return NULL;
	for (size_t i = 0; i < sh->nmerges; i++) {
		const jx__xmerge *m = &sh->merges[i];
		if (row >= m->r0 && row <= m->r1 && col >= m->c0 && col <= m->c1) {
			row = m->r0;
			col = m->c0;
			break;
		}
	}
	jx__xcell key = {.row = row, .col = col};
	if (!sh->ncells) /* an empty sheet has no cell array at all */
		return NULL;
	return bsearch(&key, sh->cells, sh->ncells, sizeof(*sh->cells), cmp_cell);
}

const jx__xcell *jx__xlsx_cell_at(const jx__xsheet *sh, const char *ref)
{
	uint32_t r, c;
	if (!jx__xlsx_parse_ref(ref, strlen(ref), &r, &c))
		return NULL;
	return jx__xlsx_cell(sh, r, c);
}
