/* The readers of `jixiao audit` (src/audit/text_read.c, docx_read.c):
 * the seed report as published (its Word-copied tables, line numbers and
 * cells), GBK and UTF-16 input, full-width folding, the pipe, tab and
 * PDF-spaces table layouts (and prose that must stay prose), and DOCX
 * files built here with libzip: paragraphs, list labels from numbering.xml,
 * line breaks, tracked changes, a table with gridSpan, vMerge and a nested
 * table; a non-zip (A03), a missing document.xml (A04), a zip bomb (A05),
 * malformed XML and DOCTYPE (A06), empty documents (A07) and a text over
 * 16 MiB (A02). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "audit/numbers.h"
#include "audit/text.h"

/* The seed report (seed/000_b7240df7c1453165.txt), line for line; prose
 * lines over 150 characters are cut to their first 30 and "……" so that
 * every line keeps its number. */
static const char *const seed_lines[] = {
        "",
        "北塔区行政审批局2023年部门整体支出绩效自评报告",
        "",
        "一、部门、单位基本情况",
        "（一）机构设置情况",
        " 内设股室4个，分别是：办公室（加挂政工股牌子）、行政审批综合事务股（加挂政策法规股牌子）、"
        "电子政务股、行政效能股（加挂政府热线监管股牌子）。 ",
        "（2） 人员编制情况",
        "本部门共有编制人数8人，实有人数7人。",
        "（3） 主要职能职责",
        "1、贯彻执行中央、省、市有关政务中心建设、政府信息公开和行政许可、行政审批工作的方针、政策"
        "，研究拟定全区政务中心建设和政务公开工作规划，经批准后组织实施。 ",
        "2、负责指导、协调、监督区属部门集中办理行政许可审批，行政事业和服务性收费；负责组织提供有"
        "关公共便民服务。 ",
        "3、负责全区各级各部门政务公开工作的指导、协调、监督、管理、服务和考核工作；负责受理对中心"
        "行政审批运作的投诉，并负责投诉事项的办理和督查工作；负责对政务大厅工作人员的管理和培训，提"
        "出绩效考核意见，不断提高政务服务水平。 ",
        "4、负责拟定中心窗口设立及政务服务事项工作方案，报区委、区政府批准后组织实施；负责查验进驻"
        "中心的收费项目及标准是否符合有关政策；协调处理窗口单位之间的工作关系；组织各窗口高效、快捷"
        "的实施行政审批和证照办理工作。 ",
        "5、做好“12345”政府服务热线的答复与处理工作。 ",
        "6、承办区委、区人民政府交办的其他事项。 ",
        "",
        "（4） 绩效目标设定情况",
        "我单位紧紧围绕全区工作大局，2023年强化财源建设及税收征管，严格落实“过紧日子”要求，优化财政"
        "收支结构，统筹抓好稳增长、调结构、促转型、惠民生等各项工作，全力保障民生等重点支出需要，全"
        "面严格规范财政收支管理，防范债务风险，进一步严肃财经纪律。",
        "二、部门整体支出管理及使用情况",
        "（一）预算执行、使用、管理总体情况。",
        "  "
        "2023年度一般公共预算财政拨款年初结转和结余0万元，本年收入484.14万元，本年支出484."
        "14万元，年末结转和结余0万元。预算执行取得预期效果，财政运行整体良好。",
        "（二）部门预算执行情况",
        "1.基本支出情况",
        "2023年一般公共预算财政拨款基本支出年初结转和结余0万元,本年年初预算数86."
        "91万元，全年预算数371.88万元，本年支出371.88万元。预算执行率100%"
        "，年末结转和结余0万元，没有超出预算规模、范围和标准。",
        "2.项目支出情况",
        "2023年度项目支出112."
        "27万元。是指我办为完成特定行政工作任务或事业发展目标而发生的支出，包括有关事业发展专项、专"
        "项业务费、基本建设支出等。",
        "3、 “三公”经费使用情况和管理情况",
        "2023年“三公”经费年初预算数0.68万元（公务接待费0."
        "68万元、公务用车购置及运行费用0万元、出国（境）经费0万元）。2023年“三公”经费实际支出0万元"
        "。",
        "三、政府性基金预算支出情况",
        "2023年，我局无政府性基金预算支出。",
        "四、国有资本经营预算支出情况",
        "　2023年，我局无国有资本经营预算支出。",
        "五、社会保险基金预算支出情况",
        "　2023年，我局无社会保险基金预算支出。",
        "六、部门整体支出绩效情况",
        "（一）综合评价结论。",
        "2023年，我局认真做好年度财政资金的绩效评价工作，在资金使用和管理方面，进一步强化资金统筹，"
        "优化资金结构，明确开支范围，细化资金用途，确保部门职责任务顺利完成。我局对绩效评价情况进行"
        "了综合评定自评分数为98分，绩效评价等次为“优秀”。",
        "（二）评价指标分析（或综合评价情况）。",
        "1.对履职效能主要指标的完成情况进行具体分析",
        "（1） 建设推广“湘易办”APP,”持续深化掌上办",
        "为办好“湘易办”建设推广这项重点民生实事，北塔区同步制定《邵……",
        "（二）落地落实“一件事一次办”全生命周期事项，推出套餐式、场景式服务",
        "一是优化服务流程。北塔区对标省定目录、结合北塔实际，制定《北……",
        "（三）深入推进政务服务规范化、标准化、便利化建设，优化营商政务环境",
        "一是继续推进“四推四减”，组建“北塔管家”帮代办队伍。将区、……",
        "三是推进网上中介服务超市建设。深入贯彻落实省、市关于规范行政……",
        "（四）探索建立统一的基层政务公开标准体系",
        "一是规范管理政府门户网站和政务新媒体。动态调整北塔区政府门户……",
        "（五）全面深化“互联网+政务服务”工作",
        "一是落实机房管理工作。将电子政务外网拓展到区、乡、村三级全覆……",
        "",
        "七、存在的问题及原因分析",
        "1.对绩效评价工作的重要性认识有待进一步提高。",
        "2.部门支出绩效评价指标体系不完善，给考核评价及评分工作带来一定的困难。",
        "8、 下一步改进措施",
        "一是完善体制机制，切实强化制度保障。结合部门实际，制定了财务管理相关制度，为进一步规范专项"
        "资金管理提供了有力依据。",
        "二是规范资金管理，做到专款专用。根据财务管理相关规定，结合部门业务工作，严格审批每一笔专项"
        "资金支出，坚决杜绝滞留、截留、挤占、挪用虚列支出等现象发生。",
        "三是明确目标，细化责任。根据资金用途和项目的目标任务，将具体任务落实到相关股室，责任到人"
        "。",
        "9、 其他需要说明的情况",
        "无",
        "附件：",
        "1.部门整体支出绩效评价基础数据表  ",
        "2.部门整体支出绩效自评表",
        "",
        "附件1-1 ",
        "     部门整体支出绩效评价基础数据表",
        "填报单位：                                        ",
        "\t财政供养人员情况",
        "\t编制数",
        "\t2023年实际在职人数",
        "\t控制率",
        "",
        "\t",
        "\t　8",
        "\t7　",
        "\t87.50%　",
        "",
        "\t经费控制情况",
        "\t2022年决算数",
        "\t2023年预算数",
        "\t2023年决算数",
        "",
        "\t三公经费",
        "\t0　",
        "\t0.68　",
        "\t0　",
        "",
        "\t   1、公务用车购置和维护经费",
        "\t0　",
        "\t0　",
        "\t0　",
        "",
        "\t       其中：公车购置",
        "\t0　",
        "\t0　",
        "\t　0",
        "",
        "\t             公车运行维护",
        "\t0　",
        "\t0　",
        "\t　0",
        "",
        "\t   2、出国经费",
        "\t0　",
        "\t　0",
        "\t0　",
        "",
        "\t   3、公务接待",
        "\t0　",
        "\t0.68　",
        "\t　0",
        "",
        "\t项目支出：",
        "\t　196.14",
        "\t164.50　",
        "\t112.27　",
        "",
        "\t    1、业务工作经费",
        "\t196.14　",
        "\t164.50　",
        "\t112.27　",
        "",
        "\t    2、运行维护经费",
        "\t　",
        "\t　",
        "\t　",
        "",
        "\t3、市级专项资金",
        "（一个专项一行）",
        "\t",
        "\t",
        "\t",
        "",
        "\t4、其他事业类发展资金",
        "\t　",
        "\t　",
        "\t　",
        "",
        "\t……",
        "\t",
        "\t",
        "\t",
        "",
        "\t公用经费",
        "\t124.42　",
        "\t9.50　",
        "\t271.15　",
        "",
        "\t    其中：办公费",
        "\t　3.56",
        "\t　2",
        "\t7.68　",
        "",
        "\t          水费、电费、差旅费",
        "\t0　",
        "\t0　",
        "\t1.37　",
        "",
        "\t          会议费、培训费",
        "\t　0",
        "\t0　",
        "\t　0",
        "",
        "\t政府采购金额",
        "\t——",
        "\t　168.02",
        "\t275.14　",
        "",
        "\t部门基本支出预算调整 ",
        "\t——",
        "\t　",
        "\t　",
        "",
        "\t楼堂馆所控制情况",
        "（2022年完工项目）",
        "\t批复规模",
        "（㎡）",
        "\t实际规模（㎡）",
        "\t规模控制率",
        "\t预算投资（万元）",
        "\t实际投资（万元）",
        "\t投资概算控制率",
        "",
        "\t",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "",
        "\t厉行节约保障措施",
        "\t1.严格控制公务接待。公务接待严格按照标准实行工作餐，严格控制陪餐次数和陪餐人数。",
        "2."
        "严格控制会议经费支出。从严控制会议数量和规模，提倡少开会、开短会、合并开会，切实提高会议效"
        "率。",
        "3.严格控制后勤保障成本。办公时严格做到节电、节油、节水。　",
        "",
        "",
        "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品"
        "和服务支出。",
        "填表人：                   填报日期：                      联系电话： ",
        "",
        "附件1-2",
        "",
        "整体支出绩效自评表",
        "\t预算单位名称",
        "\t邵阳市北塔区行政审批服务局　",
        "",
        "\t年度预",
        "算申请",
        "（万元）",
        "\t",
        "\t年初",
        "预算数",
        "\t全年预算数",
        "\t全年",
        "执行数",
        "\t分值",
        "\t执行率",
        "\t得分",
        "",
        "\t",
        "\t年度资金总额",
        "\t251.41",
        "\t484.14",
        "\t484.14",
        "\t10",
        "\t100%",
        "\t10",
        "",
        "\t",
        "\t按收入性质分：",
        "\t按支出性质分：",
        "",
        "\t",
        "\t  其中：  一般公共预算：484.14",
        "\t其中：基本支出：371.88",
        "",
        "\t",
        "\t政府性基金拨款：",
        "\t项目支出：112.27",
        "",
        "\t",
        "\t纳入专户管理的非税收入拨款：",
        "\t",
        "",
        "\t",
        "\t其他资金：",
        "\t",
        "",
        "\t年度总体目标",
        "\t预期目标",
        "\t实际完成情况　",
        "",
        "\t",
        "\t　　全面深化“放管服”改革，持续推进“一件事一次办”，大力优化营商政务环境，助力打赢“发展六"
        "仗”围绕全省“身在湖南、办事不难”工作目标，打造“全域容易办”北塔政务品牌、创新性搭建乡村振兴"
        "网上村务公开示范专栏。",
        "\t　年度总体目标基本达成",
        "",
        "\t绩",
        "效",
        "指",
        "标",
        "\t一级指标",
        "\t二级指标",
        "\t三级指标",
        "\t年度",
        "指标值",
        "\t实际",
        "完成值",
        "\t分值",
        "\t得分",
        "\t偏差原因",
        "分析及",
        "改进措施",
        "",
        "\t",
        "\t产出指标",
        "（50分)",
        "\t数量",
        "指标",
        "\t湘易办“APP\"注册",
        "\t　5万余人",
        "\t　≥5万",
        "\t　5",
        "\t5",
        "\t　",
        "",
        "\t",
        "\t",
        "\t",
        "\t网上中介服务超市",
        "\t　100%入驻",
        "\t　100%入驻",
        "\t5",
        "\t5",
        "\t　",
        "",
        "\t",
        "\t",
        "\t质量",
        "指标",
        "\t12345政务服务热线好评率",
        "\t　三区第一",
        "\t　三区第一",
        "\t　10",
        "\t10",
        "\t　",
        "",
        "\t",
        "\t",
        "\t",
        "\t“一件事一次办”",
        "\t　100%",
        "\t　100%",
        "\t　10",
        "\t10",
        "\t　",
        "",
        "\t",
        "\t",
        "\t时效",
        "指标",
        "\t重点工作办结时间",
        "\t　2023年年底",
        "\t　按时完成",
        "\t　10",
        "\t10",
        "\t　",
        "",
        "\t",
        "\t",
        "\t",
        "\t……",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "",
        "\t",
        "\t",
        "\t成本",
        "指标",
        "\t资金使用合规性",
        "\t　合规",
        "\t　合规",
        "\t　10",
        "\t10",
        "\t　",
        "",
        "\t",
        "\t",
        "\t",
        "\t……",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "",
        "\t",
        "\t效益指标",
        "（30分）",
        "\t经济效",
        "益指标",
        "\t优化资源，提高财政资金使用效益",
        "\t　逐步提高",
        "\t　逐步提高",
        "\t　10",
        "\t9　",
        "\t　",
        "",
        "\t",
        "\t",
        "\t",
        "\t……",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "",
        "\t",
        "\t",
        "\t社会效",
        "益指标",
        "\t政府机关工作效率提升程度持续提高",
        "\t　成效明显",
        "\t　成效明显",
        "\t　10",
        "\t9",
        "\t　",
        "",
        "\t",
        "\t",
        "\t",
        "\t……",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "",
        "\t",
        "\t",
        "\t生态效",
        "益指标",
        "\t",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "",
        "\t",
        "\t",
        "\t",
        "\t……",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "",
        "\t",
        "\t",
        "\t可持续影响指标",
        "\t不断提高办事便利度\t\t",
        "\t　可持续",
        "\t　可持续",
        "\t　10",
        "\t10",
        "\t　",
        "",
        "\t",
        "\t",
        "\t",
        "\t……",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "",
        "\t",
        "\t满意度",
        "指标",
        "（10分）",
        "\t服务对象满意度指标",
        "\t",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "",
        "\t",
        "\t",
        "\t",
        "\t……",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "\t　",
        "",
        "\t总分",
        "\t100",
        " ",
};

static char *seed_text(size_t *len)
{
	size_t n = sizeof seed_lines / sizeof seed_lines[0], total = 0;
	for (size_t i = 0; i < n; i++)
		total += strlen(seed_lines[i]) + 1;
	char *s = malloc(total + 1), *p = s;
	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(seed_lines[i]);
		memcpy(p, seed_lines[i], l);
		p += l;
		*p++ = '\n';
	}
	*p = '\0';
	*len = (size_t)(p - s);
	return s;
}

static jx__atext *read_text(const char *s, size_t len)
{
	jx_diags *d = jx_diags_new(NULL);
	jx__atext *t = jx__atext_from_text("t.txt", s, len, NULL, d);
	if (!t && jx_diags_count(d))
		fprintf(stderr, "%s: %s\n", jx_diags_get(d, 0)->id, jx_diags_get(d, 0)->message);
	assert_non_null(t);
	assert_int_equal(jx_diags_count(d), 0);
	jx_diags_free(d);
	return t;
}

static jx__atext *read_str(const char *s)
{
	return read_text(s, strlen(s));
}

/* The reader fails with exactly one diagnostic, id. */
static void expect_fail(bool docx, const char *s, size_t len, const char *id)
{
	jx_diags *d = jx_diags_new(NULL);
	jx__atext *t = docx ? jx__atext_from_docx("x.docx", s, len, NULL, d)
	                    : jx__atext_from_text("x.txt", s, len, NULL, d);
	assert_null(t);
	assert_int_equal(jx_diags_count(d), 1);
	assert_string_equal(jx_diags_get(d, 0)->id, id);
	assert_int_equal(jx_diags_get(d, 0)->severity, JX_SEV_FATAL);
	jx_diags_free(d);
}

static const jx__ablock *find_text(const jx__atext *t, const char *text)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->blocks[i].text, text))
			return &t->blocks[i];
	return NULL;
}

static const jx__ablock *find_cell0(const jx__atext *t, const char *cell)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->blocks[i].ncells && !strcmp(t->blocks[i].cells[0], cell))
			return &t->blocks[i];
	return NULL;
}

/* ---- the seed ---------------------------------------------------------- */

static void test_seed_outline(void **state)
{
	(void)state;
	size_t len;
	char *s = seed_text(&len);
	jx__atext *t = read_text(s, len);
	assert_string_equal(t->blocks[0].text, "北塔区行政审批局2023年部门整体支出绩效自评报告");
	assert_int_equal(t->blocks[0].line, 2);
	const jx__ablock *b = &t->blocks[1];
	assert_string_equal(b->text, "一、部门、单位基本情况");
	assert_int_equal(b->line, 4);
	assert_int_equal(b->table, -1);
	assert_int_equal(b->row, -1);
	assert_int_equal(b->ncells, 0);
	/* U+3000 indentation goes from the text, stays in raw. */
	b = find_text(t, "2023年，我局无国有资本经营预算支出。");
	assert_non_null(b);
	assert_string_equal(b->raw, "　2023年，我局无国有资本经营预算支出。");
	assert_non_null(find_text(t, "（2） 人员编制情况"));
	/* Page-like furniture of the annex stays paragraphs. */
	b = find_text(t, "附件1-1");
	assert_non_null(b);
	assert_int_equal(b->line, 65);
	assert_int_equal(t->ntables, 2);
	jx__atext_free(t);
	free(s);
}

static void test_seed_basic_table(void **state)
{
	(void)state;
	size_t len;
	char *s = seed_text(&len);
	jx__atext *t = read_text(s, len);
	const jx__ablock *b = find_cell0(t, "财政供养人员情况");
	assert_non_null(b);
	assert_int_equal(b->table, 0);
	assert_int_equal(b->row, 0);
	assert_int_equal(b->line, 68);
	assert_string_equal(b->text, "财政供养人员情况 | 编制数 | 2023年实际在职人数 | 控制率");
	b = find_cell0(t, "三公经费");
	assert_non_null(b);
	assert_int_equal(b->ncells, 4);
	assert_string_equal(b->text, "三公经费 | 0 | 0.68 | 0");
	assert_string_equal(b->raw, "三公经费\t0　\t0.68　\t0　");
	assert_int_equal(b->line, 83);
	assert_int_equal(b->table, 0);
	assert_int_equal(b->row, 3);
	b = find_cell0(t, "3、市级专项资金\n（一个专项一行）");
	assert_non_null(b);
	assert_int_equal(b->line, 128);
	assert_int_equal(b->ncells, 4);
	assert_string_equal(b->cells[1], "");
	/* The 楼堂馆所 header: continuation lines inside cells. */
	b = find_cell0(t, "楼堂馆所控制情况\n（2022年完工项目）");
	assert_non_null(b);
	assert_int_equal(b->ncells, 7);
	assert_string_equal(b->cells[1], "批复规模\n（㎡）");
	jx__atext_free(t);
	free(s);
}

static void test_seed_indicator_table(void **state)
{
	(void)state;
	size_t len;
	char *s = seed_text(&len);
	jx__atext *t = read_text(s, len);
	const jx__ablock *b = NULL;
	for (size_t i = 0; i < t->n && !b; i++)
		if (t->blocks[i].ncells > 5 && !strcmp(t->blocks[i].cells[3], "湘易办“APP\"注册"))
			b = &t->blocks[i];
	assert_non_null(b);
	assert_int_equal(b->table, 1);
	assert_int_equal(b->ncells, 9);
	assert_int_equal(b->line, 274);
	assert_string_equal(b->cells[1], "产出指标\n（50分)");
	assert_string_equal(b->cells[4], "5万余人");
	assert_string_equal(b->cells[5], "≥5万");
	assert_string_equal(b->cells[6], "5");
	assert_string_equal(b->cells[7], "5");
	assert_string_equal(b->cells[8], "");
	/* Trailing tabs inside a cell line are not more cells. */
	b = find_cell0(t, "");
	const jx__ablock *c = NULL;
	for (size_t i = 0; i < t->n && !c; i++)
		if (t->blocks[i].ncells == 9 &&
		    !strcmp(t->blocks[i].cells[3], "不断提高办事便利度"))
			c = &t->blocks[i];
	assert_non_null(c);
	b = &t->blocks[t->n - 1];
	assert_string_equal(b->text, "总分 | 100");
	assert_int_equal(b->line, 465);
	jx__atext_free(t);
	free(s);
}

/* ---- encodings and normalisation --------------------------------------- */

static void test_gbk(void **state)
{
	(void)state;
	static const char gbk[] = "\xD2\xBB\xA1\xA2\xB2\xBF\xC3\xC5\xBB\xF9\xB1\xBE\xC7\xE9\xBF\xF6"
	                          "\x0A\xB1\xBE\xC4\xEA\xCA\xD5\xC8\xEB\x34\x38\x34\x2E\x31\x34"
	                          "\xCD\xF2\xD4\xAA";
	jx__atext *t = read_text(gbk, sizeof gbk - 1);
	assert_int_equal(t->n, 2);
	assert_string_equal(t->blocks[0].text, "一、部门基本情况");
	assert_string_equal(t->blocks[1].text, "本年收入484.14万元");
	assert_int_equal(t->blocks[1].line, 2);
	jx__atext_free(t);
}

static void test_utf16(void **state)
{
	(void)state;
	static const char le[] = "\xFF\xFE\x00\x4E\x01\x30\x82\x69\xB5\x51\x0D\x00\x0A\x00\x68\x88";
	static const char be[] = "\xFE\xFF\x4E\x00\x30\x01\x69\x82\x51\xB5\x00\x0D\x00\x0A\x88\x68";
	for (int k = 0; k < 2; k++) {
		jx__atext *t = read_text(k ? be : le, sizeof le - 1);
		assert_int_equal(t->n, 2);
		assert_string_equal(t->blocks[0].text, "一、概况");
		assert_string_equal(t->blocks[1].text, "表");
		assert_int_equal(t->blocks[1].line, 2);
		jx__atext_free(t);
	}
	/* A BOM in UTF-8 is dropped. */
	jx__atext *t = read_str("\xEF\xBB\xBF标题");
	assert_string_equal(t->blocks[0].text, "标题");
	jx__atext_free(t);
}

static void test_bad_bytes(void **state)
{
	(void)state;
	/* UTF-8 with one stray byte stays UTF-8 (U+FFFD for the byte). */
	char s[512] = "";
	for (int i = 0; i < 60; i++)
		strcat(s, "预算");
	strcat(s, "\xFF执行");
	jx__atext *t = read_str(s);
	assert_non_null(strstr(t->blocks[0].text, "预算\xEF\xBF\xBD执行"));
	jx__atext_free(t);
	/* NUL and control bytes become spaces; CRLF and CR end lines. */
	static const char ctl[] = "甲\r\n乙\r丙\0丁\x01戊\x7F己\n";
	t = read_text(ctl, sizeof ctl - 1);
	assert_int_equal(t->n, 3);
	assert_string_equal(t->blocks[2].text, "丙 丁 戊 己");
	assert_int_equal(t->blocks[2].line, 3);
	jx__atext_free(t);
}

static void test_norm(void **state)
{
	(void)state;
	jx__arena a;
	jx__arena_init(&a, jx_allocator_default(), 0);
	const char *s = "本年收入４８４．１４万元，执行率１００％（一）ＡＢｃ＋－";
	assert_string_equal(jx__anorm(&a, s, strlen(s)),
	                    "本年收入484.14万元，执行率100%（一）ABc+-");
	s = "\t\xE3\x80\x80 a \xC2\xA0\xE2\x80\x8B b\t\tc  \xE3\x80\x80";
	assert_string_equal(jx__anorm(&a, s, strlen(s)), "a b c");
	s = "  一行 \n\n  二行  \n";
	assert_string_equal(jx__anorm(&a, s, strlen(s)), "一行\n二行");
	assert_string_equal(jx__anorm(&a, "a\xFF", 2), "a\xEF\xBF\xBD");
	assert_string_equal(jx__anorm_squeeze(&a, "部 门 整 体 支出 abc  d 1 2 （ 一 ）"),
	                    "部门整体支出 abc  d 1 2 （一）");
	jx__arena_fini(&a);
}

/* ---- table layouts ----------------------------------------------------- */

static void test_pipe_table(void **state)
{
	(void)state;
	jx__atext *t =
	        read_str("说明\n| 项目 | 预算 | 决算 |\n|---|:---:|---|\n| 三公经费 | 0.68 | 0 |\n"
	                 "结束\n甲 | 乙\n丙|丁\n一行 | 不算表\n");
	assert_int_equal(t->n, 7);
	assert_int_equal(t->ntables, 2);
	const jx__ablock *b = &t->blocks[1];
	assert_int_equal(b->table, 0);
	assert_int_equal(b->row, 0);
	assert_int_equal(b->ncells, 3);
	assert_string_equal(b->text, "项目 | 预算 | 决算");
	b = &t->blocks[2];
	assert_int_equal(b->row, 1);
	assert_int_equal(b->line, 4);
	assert_string_equal(b->cells[0], "三公经费");
	assert_string_equal(b->cells[2], "0");
	assert_int_equal(t->blocks[3].table, -1);
	b = &t->blocks[5];
	assert_int_equal(b->table, 1);
	assert_int_equal(b->row, 1);
	assert_string_equal(b->text, "丙 | 丁");
	jx__atext_free(t);
}

static void test_tab_table(void **state)
{
	(void)state;
	jx__atext *t =
	        read_str("项目\t2022年\t2023年\n三公经费\t0\t0.68\n公用经费\t\t271.15\n正文");
	assert_int_equal(t->n, 4);
	assert_int_equal(t->ntables, 1);
	const jx__ablock *b = &t->blocks[2];
	assert_int_equal(b->line, 3);
	assert_int_equal(b->row, 2);
	assert_int_equal(b->ncells, 3);
	assert_string_equal(b->cells[1], "");
	assert_string_equal(b->raw, "公用经费\t\t271.15");
	assert_int_equal(t->blocks[3].table, -1);
	jx__atext_free(t);
}

static void test_spaces_table(void **state)
{
	(void)state;
	jx__atext *t = read_str("- 3 -\n"
	                        "经费控制情况      2022年决算数    2023年预算数    2023年决算数\n"
	                        "三公经费          0               0.68            0\n"
	                        "   公用经费       124.42          9.50            271.15\n"
	                        "本年收入484.14万元，  本年支出484.14万元，  年末结转0万元。\n"
	                        "\n"
	                        "我局认真做好绩效评价工作，  在资金使用方面\n"
	                        "进一步强化资金统筹，  优化资金结构\n");
	assert_int_equal(t->ntables, 1);
	assert_string_equal(t->blocks[0].text, "- 3 -");
	assert_int_equal(t->blocks[0].table, -1);
	const jx__ablock *b = &t->blocks[1];
	assert_int_equal(b->ncells, 4);
	assert_string_equal(b->cells[3], "2023年决算数");
	b = &t->blocks[3];
	assert_int_equal(b->line, 4);
	assert_int_equal(b->row, 2);
	assert_string_equal(b->text, "公用经费 | 124.42 | 9.50 | 271.15");
	b = &t->blocks[4];
	assert_int_equal(b->table, -1);
	assert_string_equal(b->text, "本年收入484.14万元， 本年支出484.14万元， 年末结转0万元。");
	assert_int_equal(t->blocks[5].table, -1);
	assert_int_equal(t->blocks[6].table, -1);
	assert_int_equal(t->n, 7);
	jx__atext_free(t);
}

static void test_text_errors(void **state)
{
	(void)state;
	expect_fail(false, "", 0, "A07");
	expect_fail(false, " \n\r\n\xE3\x80\x80\n", 7, "A07");
	expect_fail(false, "%PDF-1.7\n", 9, "A01");
	size_t big = ((size_t)16 << 20) + 1;
	char *s = malloc(big);
	assert_non_null(s);
	memset(s, 'a', big);
	expect_fail(false, s, big, "A02");
	free(s);
}

/* ---- DOCX -------------------------------------------------------------- */

#define W "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

/* A zip of n parts (names[i], data[i] of lens[i] bytes) in memory. */
static char *make_zip(const char *const *names, const char *const *data, const size_t *lens,
                      size_t n, size_t *len)
{
	char path[] = "/tmp/jx-audit-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *src = zip_source_buffer(z, data[i], lens[i], 0);
		assert_non_null(src);
		assert_true(zip_file_add(z, names[i], src, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	unlink(path);
	*len = (size_t)size;
	return buf;
}

static char *docx_of(const char *document, const char *numbering, size_t *len)
{
	const char *names[] = {"word/document.xml", "word/numbering.xml"};
	const char *data[] = {document, numbering};
	size_t lens[] = {strlen(document), numbering ? strlen(numbering) : 0};
	return make_zip(names, data, lens, numbering ? 2 : 1, len);
}

#define P(x) "<w:p><w:r><w:t>" x "</w:t></w:r></w:p>"
#define NUMP(lvl, id, x)                                                                           \
	"<w:p><w:pPr><w:numPr><w:ilvl w:val=\"" lvl "\"/><w:numId w:val=\"" id                     \
	"\"/></w:numPr></w:pPr><w:r><w:t>" x "</w:t></w:r></w:p>"
#define TC(x) "<w:tc><w:p><w:r><w:t>" x "</w:t></w:r></w:p></w:tc>"

static const char numbering_xml[] =
        "<w:numbering " W ">"
        "<w:abstractNum w:abstractNumId=\"0\">"
        "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/>"
        "<w:lvlText w:val=\"%1、\"/></w:lvl>"
        "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/>"
        "<w:lvlText w:val=\"（%2）\"/></w:lvl></w:abstractNum>"
        "<w:abstractNum w:abstractNumId=\"5\">"
        "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"
        "<w:lvlText w:val=\"%1.\"/></w:lvl></w:abstractNum>"
        "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
        "<w:num w:numId=\"3\"><w:abstractNumId w:val=\"5\"/></w:num>"
        "</w:numbering>";

static const char document_xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        "<w:document " W "><w:body>" P("北塔区行政审批局2023年部门整体支出绩效自评报告") NUMP(
                "0", "1",
                "部门、单位基本情况") NUMP("1", "1",
                                           "机构设置情况") NUMP("1", "1",
                                                                "人员编制情况") NUMP("0", "1",
                                                                                     "部门整体支出"
                                                                                     "管理及使用情"
                                                                                     "况") NUMP("0",
                                                                                                "2",
                                                                                                "没"
                                                                                                "有"
                                                                                                "定"
                                                                                                "义"
                                                                                                "的"
                                                                                                "编"
                                                                                                "号")
                NUMP("0", "3",
                     "第一项") "<w:p><w:r><w:t xml:space=\"preserve\">本年收入 </w:t></w:r>"
                               "<w:ins><w:r><w:t>４８４．１４</w:t></w:r></w:ins>"
                               "<w:del><w:r><w:delText>999</w:delText></w:r></w:del>"
                               "<w:r><w:t>万元</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>"
                               "<w:p/>"
                               "<w:tbl><w:tblPr/>"
                               "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>"
                               "<w:p><w:r><w:t>经费控制情况</w:t></w:r></w:p></w:tc>" TC(
                                       "2023年预算数") "</w:tr>"
                                                       "<w:tr><w:tc><w:tcPr><w:vMerge "
                                                       "w:val=\"restart\"/></w:tcPr>"
                                                       "<w:p><w:r><w:t>三公经费</w:t></w:r></w:p></"
                                                       "w:tc>" TC(
                                                               "小计") "<w:tc><w:p><w:r><w:t>0.68</"
                                                                       "w:t></w:r></w:p><w:p/>"
                                                                       "<w:p><w:r><w:t>（万元）</"
                                                                       "w:t></w:r></w:p></w:tc></"
                                                                       "w:tr>"
                                                                       "<w:tr><w:tc><w:tcPr><w:"
                                                                       "vMerge/></"
                                                                       "w:tcPr><w:p><w:r><w:t>"
                                                                       "三公经费</w:t></w:r></"
                                                                       "w:p></w:tc>" TC("公务接待") "<w:tc><w:tbl><w:tr>" TC(
                                                                               "嵌套") "</w:tr></"
                                                                                       "w:tbl>"
                                                                                       "<w:p><w:r><"
                                                                                       "w:t>0.68</"
                                                                                       "w:t></"
                                                                                       "w:r></"
                                                                                       "w:p></"
                                                                                       "w:tc></"
                                                                                       "w:tr>"
                                                                                       "</w:tbl>"
                                                                                       "<w:p><w:r><"
                                                                                       "w:t>"
                                                                                       "自评得分</"
                                                                                       "w:t><w:tab/"
                                                                                       "><w:t>98分<"
                                                                                       "/w:t></"
                                                                                       "w:r></w:p>"
                                                                                       "<w:sectPr><"
                                                                                       "w:pgSz/></"
                                                                                       "w:sectPr></"
                                                                                       "w:body></"
                                                                                       "w:"
                                                                                       "document>";

static jx__atext *read_docx(const char *doc, const char *num)
{
	size_t len;
	char *z = docx_of(doc, num, &len);
	jx_diags *d = jx_diags_new(NULL);
	jx__atext *t = jx__atext_from_docx("t.docx", z, len, NULL, d);
	if (!t && jx_diags_count(d))
		fprintf(stderr, "%s: %s\n", jx_diags_get(d, 0)->id, jx_diags_get(d, 0)->message);
	assert_non_null(t);
	assert_int_equal(jx_diags_count(d), 0);
	jx_diags_free(d);
	free(z);
	return t;
}

static void test_docx_paragraphs(void **state)
{
	(void)state;
	jx__atext *t = read_docx(document_xml, numbering_xml);
	static const struct {
		const char *text;
		unsigned line;
	} want[] = {
	        {"北塔区行政审批局2023年部门整体支出绩效自评报告", 1},
	        {"一、部门、单位基本情况", 2},
	        {"（一）机构设置情况", 3},
	        {"（二）人员编制情况", 4},
	        {"二、部门整体支出管理及使用情况", 5},
	        {"• 没有定义的编号", 6},
	        {"1. 第一项", 7},
	        {"本年收入 484.14万元", 8},
	        {"第二行", 8},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_string_equal(t->blocks[i].text, want[i].text);
		assert_int_equal(t->blocks[i].line, want[i].line);
		assert_int_equal(t->blocks[i].table, -1);
	}
	const jx__ablock *b = &t->blocks[t->n - 1];
	assert_string_equal(b->text, "自评得分 98分");
	assert_string_equal(b->raw, "自评得分\t98分");
	assert_int_equal(b->line, 13);
	assert_int_equal(t->n, 13);
	jx__atext_free(t);
}

static void test_docx_table(void **state)
{
	(void)state;
	jx__atext *t = read_docx(document_xml, numbering_xml);
	assert_int_equal(t->ntables, 1);
	const jx__ablock *b = &t->blocks[9];
	assert_int_equal(b->table, 0);
	assert_int_equal(b->row, 0);
	assert_int_equal(b->line, 10);
	/* the gridSpan=2 cell is followed by an empty one: cells line up with the grid */
	assert_int_equal(b->ncells, 3);
	assert_string_equal(b->cells[0], "经费控制情况");
	assert_string_equal(b->cells[1], "");
	assert_string_equal(b->cells[2], "2023年预算数");
	b = &t->blocks[10];
	assert_int_equal(b->row, 1);
	assert_int_equal(b->line, 11);
	assert_int_equal(b->ncells, 3);
	assert_string_equal(b->cells[2], "0.68\n（万元）");
	b = &t->blocks[11];
	assert_int_equal(b->row, 2);
	assert_int_equal(b->line, 12);
	assert_int_equal(b->ncells, 3);
	assert_string_equal(b->cells[0], "");
	assert_string_equal(b->cells[1], "公务接待");
	assert_string_equal(b->cells[2], "嵌套\n0.68");
	jx__atext_free(t);
}

static void test_docx_errors(void **state)
{
	(void)state;
	expect_fail(true, "hello, not a zip", 16, "A03");
	size_t len;
	const char *names[] = {"word/other.xml"};
	const char *data[] = {"<x/>"};
	size_t lens[] = {4};
	char *z = make_zip(names, data, lens, 1, &len);
	expect_fail(true, z, len, "A04");
	free(z);
	z = docx_of("<w:document " W "><w:body><w:p></w:body></w:document>", NULL, &len);
	expect_fail(true, z, len, "A06");
	free(z);
	z = docx_of("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n<x>&a;</x>",
	            NULL, &len);
	expect_fail(true, z, len, "A06");
	free(z);
	z = docx_of("<w:document " W "><w:body><w:p/><w:sectPr/></w:body></w:document>", NULL,
	            &len);
	expect_fail(true, z, len, "A07");
	free(z);
	z = docx_of(document_xml, "<w:numbering " W "><oops></w:numbering>", &len);
	expect_fail(true, z, len, "A06");
	free(z);
}

static void test_docx_bomb(void **state)
{
	(void)state;
	/* 65 MiB of one repeated byte deflates to about 64 KiB. */
	size_t big = ((size_t)65 << 20);
	char *doc = malloc(big + 1);
	assert_non_null(doc);
	memset(doc, ' ', big);
	doc[big] = '\0';
	const char *names[] = {"word/document.xml"};
	const char *data[] = {doc};
	size_t len, lens[] = {big};
	char *z = make_zip(names, data, lens, 1, &len);
	free(doc);
	assert_true(len < ((size_t)1 << 20));
	expect_fail(true, z, len, "A05");
	free(z);
}

/* Numbers in text: positions are offsets into the text, also for counts
 * in Chinese numerals (a fuzzer found them counted twice). */
static void test_scan_numbers(void **state)
{
	(void)state;
	const char *s = "内设四个股室，编制12人，本年支出1,234.56万元，执行率98.6%";
	jx__numtok t[8];
	size_t n = jx__scan_numbers(s, t, 8);
	assert_int_equal(n, 4);
	assert_true(t[0].chinese);
	assert_int_equal(t[0].value.raw, 4 * JX_DEC_SCALE);
	assert_int_equal(t[0].start, 6);
	assert_int_equal(t[0].num_end, 9);
	assert_int_equal(t[0].end, 12); /* 四个 */
	assert_int_equal(t[1].value.raw, 12 * JX_DEC_SCALE);
	assert_int_equal(t[1].unit, JX_NU_COUNT);
	assert_int_equal(t[2].value.raw, 1234560000);
	assert_int_equal(t[2].unit, JX_NU_WAN);
	assert_int_equal(t[3].value.raw, 986000); /* 98.6% as a fraction */
	assert_int_equal(t[3].unit, JX_NU_PERCENT);
	for (size_t k = 0; k < n; k++)
		assert_true(t[k].end <= strlen(s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_seed_outline),
	        cmocka_unit_test(test_seed_basic_table),
	        cmocka_unit_test(test_seed_indicator_table),
	        cmocka_unit_test(test_gbk),
	        cmocka_unit_test(test_utf16),
	        cmocka_unit_test(test_bad_bytes),
	        cmocka_unit_test(test_norm),
	        cmocka_unit_test(test_pipe_table),
	        cmocka_unit_test(test_tab_table),
	        cmocka_unit_test(test_spaces_table),
	        cmocka_unit_test(test_text_errors),
	        cmocka_unit_test(test_docx_paragraphs),
	        cmocka_unit_test(test_docx_table),
	        cmocka_unit_test(test_scan_numbers),
	        cmocka_unit_test(test_docx_errors),
	        cmocka_unit_test(test_docx_bomb),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
