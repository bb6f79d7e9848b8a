/* jixiao gen: synthetic data files (see gen.h).  Every amount is an integer
 * of cents and every total is the sum of its parts, so a clean file has no
 * finding at all; each injected error is one of a fixed catalogue whose
 * exact findings are known and written to the manifest. */
#include "gen.h"

#include "../core/core.h"
#include "../render/writers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- PRNG: splitmix64 ---------------------------------------------------- */

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t next(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int64_t range(rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(next(r) % (uint64_t)(hi - lo + 1));
}

static const char *pick(rng *r, const char *const *v, size_t n)
{
	return v[next(r) % n];
}

/* Shuffles an index array. */
static void shuffle(rng *r, size_t *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(next(r) % i);
		size_t t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* ---- pools ---------------------------------------------------------------- */

/* County-level districts of Hunan; the units of one district come together,
 * as in that district's finance bureau. */
static const char *const districts[] = {
        "北塔区",         "大祥区", "双清区", "邵东市", "武冈市", "新邵县", "邵阳县",   "隆回县",
        "洞口县",         "绥宁县", "新宁县", "岳麓区", "芙蓉区", "天心区", "开福区",   "雨花区",
        "望城区",         "浏阳市", "宁乡市", "长沙县", "荷塘区", "芦淞区", "石峰区",   "天元区",
        "渌口区",         "醴陵市", "攸县",   "茶陵县", "炎陵县", "雨湖区", "岳塘区",   "湘潭县",
        "湘乡市",         "韶山市", "珠晖区", "雁峰区", "石鼓区", "蒸湘区", "南岳区",   "衡阳县",
        "衡南县",         "衡山县", "衡东县", "祁东县", "耒阳市", "常宁市", "岳阳楼区", "云溪区",
        "君山区",         "岳阳县", "华容县", "湘阴县", "平江县", "汨罗市", "临湘市",   "武陵区",
        "鼎城区",         "安乡县", "汉寿县", "澧县",   "临澧县", "桃源县", "石门县",   "津市市",
        "城步苗族自治县",
};

/* A 主管部门 and the names of its 所属单位 (after the district); no name
 * occurs twice in the whole table. */
typedef struct dept {
	const char *name;
	const char *subs[10];
} dept;

static const dept depts[] = {
        {"行政审批服务局",
         {"政务服务中心", "12345政务服务便民热线中心", "公共资源交易中心", "电子政务中心",
          "企业开办服务中心"}},
        {"财政局",
         {"财政事务中心", "国库集中支付核算中心", "非税收入征收管理中心", "政府采购服务中心",
          "财政投资评审中心", "乡镇财政管理中心"}},
        {"教育局",
         {"第一中学", "第二中学", "第三中学", "实验中学", "第一完全小学", "实验小学", "中心幼儿园",
          "教师发展中心", "教育事务中心", "职业中等专业学校"}},
        {"民政局", {"社会福利院", "救助管理站", "殡葬管理所", "婚姻登记中心", "社会组织服务中心"}},
        {"人力资源和社会保障局",
         {"就业服务中心", "社会保险服务中心", "劳动人事争议仲裁院", "劳动保障监察大队",
          "人才交流服务中心", "职业技能鉴定中心"}},
        {"自然资源局",
         {"不动产登记中心", "土地储备中心", "自然资源执法大队", "测绘地理信息中心",
          "国土空间规划中心"}},
        {"住房和城乡建设局",
         {"住房保障服务中心", "建设工程质量安全监督站", "房地产服务中心", "市政设施维护中心",
          "城乡建设事务中心"}},
        {"交通运输局",
         {"公路建设养护中心", "交通运输综合行政执法大队", "道路运输服务中心", "农村公路管理站",
          "地方海事处"}},
        {"农业农村局",
         {"农业技术推广中心", "畜牧水产事务中心", "农业综合行政执法大队", "农村经营服务站",
          "动物疫病预防控制中心", "农机事务中心"}},
        {"水利局",
         {"水利水电工程管理站", "河道管理所", "防汛抗旱事务中心", "水土保持站",
          "农村饮水安全工程管理站"}},
        {"商务局", {"商务事务中心", "招商服务中心", "电子商务服务中心", "对外贸易服务中心"}},
        {"文化旅游广电体育局",
         {"图书馆", "文化馆", "博物馆", "体育中心", "文物管理所", "旅游服务中心"}},
        {"卫生健康局",
         {"人民医院", "中医医院", "疾病预防控制中心", "妇幼保健计划生育服务中心",
          "卫生健康综合监督执法大队", "急救中心", "第一社区卫生服务中心"}},
        {"应急管理局",
         {"应急救援指挥中心", "安全生产监督执法大队", "地震事务中心", "应急物资储备中心"}},
        {"审计局", {"审计事务中心", "政府投资审计中心", "经济责任审计中心"}},
        {"市场监督管理局",
         {"市场监管综合行政执法大队", "食品药品检验检测中心", "消费者权益保护中心",
          "计量检定测试所", "城区市场监督管理所"}},
        {"统计局", {"统计调查中心", "普查中心", "统计信息中心"}},
        {"医疗保障局", {"医疗保障事务中心", "医疗保障基金监管中心", "医疗保险服务中心"}},
        {"司法局", {"公证处", "法律援助中心", "社区矫正中心", "人民调解中心"}},
        {"退役军人事务局",
         {"退役军人服务中心", "军供站", "烈士陵园管理所", "军队离退休干部休养所"}},
        {"林业局",
         {"林业事务中心", "国有林场", "森林资源监测中心", "林业综合执法大队", "林业技术推广站"}},
        {"城市管理和综合执法局",
         {"环境卫生管理所", "园林绿化中心", "城市管理综合执法大队", "市政公用事业中心",
          "数字城管指挥中心", "停车管理中心"}},
        {"发展和改革局",
         {"粮食和物资储备中心", "价格认证中心", "重点项目事务中心", "能源事务中心"}},
        {"科学技术局", {"科技情报研究所", "生产力促进中心", "科技创新服务中心"}},
};
static const char *const sections[] = {
        "办公室（加挂政工股牌子）",
        "财务股",
        "政策法规股",
        "综合业务股",
        "人事股",
        "信息化股",
        "监督检查股",
        "规划发展股",
        "安全生产股",
        "行政效能股",
};
static const char *const duties[] = {
        "贯彻执行中央、省、市有关方针、政策和法律法规。",
        "负责拟订本行业发展规划并组织实施。",
        "负责指导、协调、监督区属部门相关业务工作。",
        "做好“12345”政府服务热线的答复与处理工作。",
        "负责本部门预算编制、执行和财务管理工作。",
        "承担本领域安全生产和应急管理相关工作。",
        "完成区委、区政府交办的其他任务。",
};
static const char *const goals[] = {
        "严格落实“过紧日子”要求，优化财政收支结构，全面严格规范财政收支管理。",
        "围绕年度重点工作，强化预算绩效管理，提高财政资金使用效益。",
        "全面深化“放管服”改革，持续推进“一件事一次办”，大力优化营商政务环境。",
};
static const char *const analysis[][2] = {
        {"建设推广“湘易办”APP，持续深化掌上办", "全年共开展推广活动多次，注册群众数量稳步增长。"},
        {"全面深化“互联网+政务服务”工作", "政务服务热线群众满意率保持全市前列。"},
        {"持续优化营商环境", "压缩办理环节和时限，企业群众办事便利度明显提升。"},
        {"强化预算绩效管理", "预算编制更加科学，支出进度符合要求。"},
};
static const char *const problems[] = {
        "对绩效评价工作的重要性认识有待进一步提高。",
        "绩效目标设定不够细化、量化。",
        "预算执行进度不够均衡。",
        "绩效评价结果运用有待加强。",
};
static const char *const measures[] = {
        "完善体制机制，切实强化制度保障。",
        "细化量化绩效目标，提高目标设定质量。",
        "加强预算执行监控，均衡支出进度。",
        "强化评价结果运用，推动绩效与预算挂钩。",
};
static const char *const specials[] = {
        "政务服务能力提升专项", "12345热线运行专项", "信息化建设专项",
        "业务培训专项",         "安全生产专项",      "乡村振兴专项",
};
static const char *const deviations[] = {
        "资金统筹仍有不足，下一步加强预算与绩效管理衔接。",
        "部分事项办理时限仍偏长，下一步继续压缩办理环节。",
        "工作推进不够均衡，下一步加强调度督办。",
};
static const char *const persons[] = {"李明", "王芳", "张伟", "刘洋", "陈静", "杨帆"};

/* An indicator of the pool.  qual: nature_eff is 定性 (target and actual
 * do not both carry a number), so any score up to the weight is allowed. */
typedef struct ind {
	const char *level2, *name, *nature, *target, *actual;
	bool qual;
} ind;

static const ind out_pool[] = {
        {"数量", "湘易办“APP”注册", NULL, "5万余人", "≥5万", false},
        {"数量", "网上中介服务超市", NULL, "100%入驻", "100%入驻", false},
        {"数量", "行政许可事项清单发布", "=", "1份", "1份", false},
        {"数量", "政策宣传活动开展", NULL, "按计划开展", "已开展", true},
        {"质量", "12345政务服务热线好评率", NULL, "三区第一", "三区第一", true},
        {"质量", "“一件事一次办”", NULL, "100%", "100%", false},
        {"质量", "业务办理合规率", NULL, "≥95%", "98%", false},
        {"质量", "档案管理规范性", NULL, "规范", "规范", true},
        {"时效", "重点工作办结时间", NULL, "年底前", "按时完成", true},
        {"时效", "资金拨付及时性", NULL, "及时", "及时", true},
        {"成本", "资金使用合规性", NULL, "合规", "合规", true},
        {"成本", "经费支出控制", NULL, "控制在预算内", "控制在预算内", true},
};
static const ind ben_pool[] = {
        {"经济效益", "优化资源，提高财政资金使用效益", NULL, "逐步提高", "逐步提高", true},
        {"社会效益", "政府机关工作效率提升程度持续提高", NULL, "成效明显", "成效明显", true},
        {"社会效益", "群众办事便利度", NULL, "明显提升", "明显提升", true},
        {"生态效益", "节能降耗", NULL, "有所改善", "有所改善", true},
        {"可持续影响", "不断提高办事便利度", NULL, "可持续", "可持续", true},
        {"可持续影响", "长效机制建设", NULL, "逐步完善", "逐步完善", true},
};
static const ind sat_pool[] = {
        {"服务对象满意度", "12345热线群众满意率", NULL, "≥90%", "97.66%", false},
        {"服务对象满意度", "服务对象满意度", NULL, "≥90%", "95%", false},
        {"服务对象满意度", "群众评价", NULL, "满意", "满意", true},
};

/* ---- the unit tree ---------------------------------------------------------
 * Units come in groups: a 主管部门 (district + department, code of `width`
 * digits from 10^(width-1)+1 on) followed by 3–6 of its 所属单位 (district +
 * one of the department's subordinate names, code = parent code + 3 digits).
 * A district's departments come together in a shuffled order, the districts
 * in a shuffled order; past every (district, department) pair, names get a
 * round number（2）… so they stay unique. */

typedef struct unit {
	char code[40], parent[24], parent_name[160];
	const char *dist;
	char rest[128]; /* the name after the district */
} unit;

typedef struct tree {
	rng r;
	int width;
	unsigned long base;
	unsigned group, left, seq;
	size_t dperm[COUNT(districts)], pperm[COUNT(depts)], sperm[10];
	const dept *dp;
	const char *dist;
	char suffix[32], pcode[24], pname[160];
} tree;

static void tree_init(tree *t, uint64_t seed, unsigned units)
{
	memset(t, 0, sizeof *t);
	t->r.s = seed ^ 0x7f4a7c159e3779b9u;
	/* every group but the last has at least 3 units */
	unsigned long groups = (units + 2ul) / 3, lo = 100;
	t->width = 3;
	while (lo + groups > lo * 10 - 1) {
		lo *= 10;
		t->width++;
	}
	t->base = lo + 1;
	for (size_t i = 0; i < COUNT(districts); i++)
		t->dperm[i] = i;
	for (size_t i = 0; i < COUNT(depts); i++)
		t->pperm[i] = i;
}

static size_t nsubs(const dept *d)
{
	size_t n = 0;
	while (n < COUNT(d->subs) && d->subs[n])
		n++;
	return n;
}

static void tree_next(tree *t, unit *u)
{
	if (t->left == 0) {
		size_t np = COUNT(depts), nd = COUNT(districts);
		unsigned g = t->group++;
		size_t idx = g % (np * nd);
		unsigned round = (unsigned)(g / (np * nd));
		if (idx == 0)
			shuffle(&t->r, t->dperm, nd);
		if (idx % np == 0)
			shuffle(&t->r, t->pperm, np);
		t->dist = districts[t->dperm[idx / np]];
		t->dp = &depts[t->pperm[idx % np]];
		if (round)
			snprintf(t->suffix, sizeof t->suffix, "（%u）", round + 1);
		else
			t->suffix[0] = '\0';
		size_t ns = nsubs(t->dp);
		for (size_t i = 0; i < ns; i++)
			t->sperm[i] = i;
		shuffle(&t->r, t->sperm, ns);
		t->left = (unsigned)range(&t->r, 3, 6);
		if (t->left > ns)
			t->left = (unsigned)ns;
		t->seq = 0;
		snprintf(t->pcode, sizeof t->pcode, "%0*lu", t->width, t->base + g);
		snprintf(t->pname, sizeof t->pname, "%s%s%s", t->dist, t->dp->name, t->suffix);
		snprintf(u->code, sizeof u->code, "%s", t->pcode);
		u->parent[0] = u->parent_name[0] = '\0';
		u->dist = t->dist;
		snprintf(u->rest, sizeof u->rest, "%s%s", t->dp->name, t->suffix);
		return;
	}
	t->left--;
	const char *sub = t->dp->subs[t->sperm[t->seq++]];
	snprintf(u->code, sizeof u->code, "%s%03u", t->pcode, t->seq);
	snprintf(u->parent, sizeof u->parent, "%s", t->pcode);
	snprintf(u->parent_name, sizeof u->parent_name, "%s", t->pname);
	u->dist = t->dist;
	snprintf(u->rest, sizeof u->rest, "%s%s", sub, t->suffix);
}

/* ---- one file --------------------------------------------------------------- */

enum { MAXROWS = 16, MAXSPEC = 3 };

typedef struct row {
	const char *l1;
	const ind *p;
	int weight, score;
	const char *level, *deviation;
} row;

typedef struct item {
	int64_t prev, budget, actual;
} item;

typedef struct file {
	char name[160], budget_name[160];
	const unit *u;
	int year;
	int authorized, actual;
	int64_t stated_rate_bp; /* stated control rate in 0.01 % */
	int64_t basic_initial, basic;
	item reception, vpurchase, vrunning, abroad, pub, office, utilities, meeting;
	item business, operation, other, spec[MAXSPEC];
	const char *spec_name[MAXSPEC];
	int nspec;
	int64_t procurement_b, procurement_a, adjust;
	bool building;
	int64_t area_ap, area_ac, inv_b, inv_a;
	row rows[MAXROWS];
	int nrows;
	int stated_total, stated_score;
	const char *grade;
	const char *sect[6], *duty[5], *goal, *prob[3], *meas[3], *person;
	int nsect, nduty, nprob, nmeas, ana0;
	bool empty_sat;
	int64_t sg_prev_adj; /* added to the 三公 total only (a wrong sum) */
} file;

static void amt(char *out, size_t n, int64_t c)
{
	if (c == 0)
		snprintf(out, n, "0");
	else
		snprintf(out, n, "%s%lld.%02lld", c < 0 ? "-" : "", (long long)(llabs(c) / 100),
		         (long long)(llabs(c) % 100));
}

/* A percentage num/den in 0.01 %, rounded half up (callers avoid ties). */
static int64_t rate_bp(int64_t num, int64_t den)
{
	return (num * 100000 / den + 5) / 10;
}

static void pct(char *out, size_t n, int64_t bp)
{
	if (bp % 100 == 0)
		snprintf(out, n, "%lld%%", (long long)(bp / 100));
	else
		snprintf(out, n, "%lld.%02lld%%", (long long)(bp / 100), (long long)(bp % 100));
}

static int64_t scale(rng *r, int64_t base, int64_t factor)
{
	/* factor in 1/1000; a drift of ±10 % per field */
	return base * factor / 1000 * range(r, 900, 1100) / 1000;
}

/* A money row of 附件1-1; its 上年决算数 is last year's 本年决算数 when there
 * is a last year (last), else invented. */
static item mk_item(rng *r, int64_t base, int64_t factor, int lo_exec, const item *last)
{
	item it;
	it.budget = scale(r, base, factor);
	it.actual = it.budget * range(r, lo_exec, 1000) / 1000;
	it.prev = last ? last->actual : it.budget * range(r, 800, 1300) / 1000;
	return it;
}

/* A 三公 part: actual within budget (and, the first year, not above last
 * year; later years see cap_sangong). */
static item mk_sangong(rng *r, int64_t base, int64_t factor, const item *last)
{
	item it;
	it.budget = scale(r, base, factor);
	it.actual = it.budget * range(r, 600, 1000) / 1000;
	it.prev = last ? last->actual : it.actual * range(r, 1000, 1800) / 1000;
	return it;
}

/* The 三公 total may not grow (S05): scales the parts' actuals down so that
 * their sum is at most the sum of their prevs. */
static void cap_sangong(item *const *v, size_t n)
{
	int64_t p = 0, t = 0;
	for (size_t i = 0; i < n; i++) {
		p += v[i]->prev;
		t += v[i]->actual;
	}
	if (t <= p)
		return;
	for (size_t i = 0; i < n; i++)
		v[i]->actual = v[i]->actual * p / t;
}

static item sum3(item a, item b, item c)
{
	item s = {a.prev + b.prev + c.prev, a.budget + b.budget + c.budget,
	          a.actual + b.actual + c.actual};
	return s;
}

static int64_t project(const file *f, int what)
{
	const item *v[3 + MAXSPEC] = {&f->business, &f->operation, &f->other};
	size_t n = 3;
	for (int i = 0; i < f->nspec; i++)
		v[n++] = &f->spec[i];
	int64_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += what == 0 ? v[i]->prev : what == 1 ? v[i]->budget : v[i]->actual;
	return s;
}

static const char *grade_of(int total)
{
	return total >= 90 ? "优秀" : total >= 80 ? "良好" : total >= 60 ? "中" : "差";
}

static void split(rng *r, int *w, int k, int total)
{
	for (int i = 0; i < k; i++)
		w[i] = 2;
	for (int left = total - 2 * k; left > 0; left--)
		w[next(r) % (uint64_t)k]++;
}

static void add_rows(rng *r, file *f, const char *l1, const ind *pool, size_t npool, int k,
                     int total)
{
	int w[MAXROWS];
	size_t idx[16];
	for (size_t i = 0; i < npool; i++)
		idx[i] = i;
	shuffle(r, idx, npool);
	split(r, w, k, total);
	for (int i = 0; i < k; i++) {
		row *x = &f->rows[f->nrows++];
		x->l1 = l1;
		x->p = &pool[idx[(size_t)i % npool]];
		x->weight = w[i];
		x->score = w[i];
		x->level = NULL;
		x->deviation = NULL;
		if (x->p->qual && range(r, 1, 10) <= 3) {
			int d = (int)range(r, 1, w[i] >= 5 ? w[i] / 5 : 1);
			if (w[i] >= 5 || range(r, 0, 1)) {
				x->score = w[i] - d;
				x->deviation = pick(r, deviations, COUNT(deviations));
			}
		}
		if (x->p->qual && x->score * 5 >= x->weight * 4 && range(r, 1, 10) <= 3)
			x->level = "达成年度指标";
	}
}

/* One year of a unit; last is the same unit's previous year as generated
 * (before any injected error), NULL for the first year. */
static void make_file(file *f, const unit *u, uint64_t useed, int year, const file *last)
{
	rng ru = {useed};
	/* unit-level values: the same every year */
	f->u = u;
	snprintf(f->name, sizeof f->name, "%s%s", u->dist, u->rest);
	snprintf(f->budget_name, sizeof f->budget_name, "%s", f->name);
	int64_t factor = range(&ru, 400, 4000);
	int auth = (int)range(&ru, 5, 60);
	size_t si[COUNT(sections)];
	for (size_t i = 0; i < COUNT(sections); i++)
		si[i] = i;
	shuffle(&ru, si, COUNT(sections));
	f->nsect = (int)range(&ru, 3, 6);
	for (int i = 0; i < f->nsect; i++)
		f->sect[i] = sections[si[i]];
	size_t di[COUNT(duties)];
	for (size_t i = 0; i < COUNT(duties); i++)
		di[i] = i;
	shuffle(&ru, di, COUNT(duties));
	f->nduty = (int)range(&ru, 3, 5);
	for (int i = 0; i < f->nduty; i++)
		f->duty[i] = duties[di[i]];
	f->goal = pick(&ru, goals, COUNT(goals));
	f->person = pick(&ru, persons, COUNT(persons));
	/* special projects run every year, so their rows carry over */
	f->nspec = (int)range(&ru, 1, MAXSPEC);
	size_t pi[COUNT(specials)];
	for (size_t i = 0; i < COUNT(specials); i++)
		pi[i] = i;
	shuffle(&ru, pi, COUNT(specials));
	for (int i = 0; i < f->nspec; i++)
		f->spec_name[i] = specials[pi[i]];

	rng r = {useed ^ ((uint64_t)year * 0x2545f4914f6cdd1du)};
	next(&r);
	f->year = year;
	factor = factor * range(&r, 900, 1100) / 1000;
	f->authorized = auth + (int)range(&r, 0, 2);
	do {
		f->actual = f->authorized - (int)range(&r, 0, f->authorized / 5);
		/* avoid a tie at the fifth decimal (rounding mode) */
	} while ((int64_t)f->actual * 100000 % f->authorized == 0 &&
	         (int64_t)f->actual * 100000 / f->authorized % 10 == 5);
	f->stated_rate_bp = rate_bp(f->actual, f->authorized);

	f->basic = scale(&r, 37188, factor);
	f->basic_initial = f->basic * range(&r, 200, 600) / 1000;
#define LAST(m) (last ? &last->m : NULL)
	f->reception = mk_sangong(&r, 68, factor, LAST(reception));
	f->vrunning = mk_sangong(&r, 250, factor, LAST(vrunning));
	f->vpurchase = (item){last ? last->vpurchase.actual : 0, 0, 0};
	if (range(&r, 1, 10) <= 2)
		f->vpurchase = mk_sangong(&r, 1500, factor, LAST(vpurchase));
	f->abroad = (item){last ? last->abroad.actual : 0, 0, 0};
	if (range(&r, 1, 10) == 1)
		f->abroad = mk_sangong(&r, 300, factor, LAST(abroad));
	if (last) {
		item *sg[] = {&f->reception, &f->vrunning, &f->vpurchase, &f->abroad};
		cap_sangong(sg, COUNT(sg));
	}
	f->pub = mk_item(&r, 28000, factor, 900, LAST(pub));
	f->office = mk_item(&r, 200, factor, 600, LAST(office));
	f->utilities = mk_item(&r, 150, factor, 600, LAST(utilities));
	f->meeting = mk_item(&r, 100, factor, 600, LAST(meeting));
	f->business = mk_item(&r, 8000, factor, 920, LAST(business));
	f->operation = mk_item(&r, 2000, factor, 920, LAST(operation));
	f->other = mk_item(&r, 500, factor, 920, LAST(other));
	for (int i = 0; i < f->nspec; i++)
		f->spec[i] = mk_item(&r, 800, factor, 920, LAST(spec[i]));
#undef LAST
	f->procurement_b = scale(&r, 16802, factor);
	f->procurement_a = f->procurement_b * range(&r, 920, 1000) / 1000;
	f->adjust = scale(&r, 28497, factor);
	f->building = range(&r, 0, 1) == 1;
	f->area_ap = range(&r, 500, 3000);
	f->area_ac = f->area_ap * range(&r, 850, 1000) / 1000;
	f->inv_b = scale(&r, 30000, factor);
	f->inv_a = f->inv_b * range(&r, 900, 1000) / 1000;

	int n = (int)range(&r, 6, 15);
	int nsat = 1 + (n >= 9 && range(&r, 0, 1));
	int maxben = n - nsat - 3 < 4 ? n - nsat - 3 : 4;
	int nben = (int)range(&r, 2, maxben);
	int nout = n - nsat - nben;
	f->nrows = 0;
	add_rows(&r, f, "产出", out_pool, COUNT(out_pool), nout, 50);
	add_rows(&r, f, "效益", ben_pool, COUNT(ben_pool), nben, 30);
	add_rows(&r, f, "满意度", sat_pool, COUNT(sat_pool), nsat, 10);
	f->empty_sat = false;
	f->sg_prev_adj = 0;

	f->nprob = (int)range(&r, 1, 3);
	f->nmeas = (int)range(&r, 1, 3);
	size_t qi[4] = {0, 1, 2, 3};
	shuffle(&r, qi, 4);
	for (int i = 0; i < f->nprob; i++)
		f->prob[i] = problems[qi[i]];
	shuffle(&r, qi, 4);
	for (int i = 0; i < f->nmeas; i++)
		f->meas[i] = measures[qi[i]];
	f->ana0 = (int)range(&r, 0, (int64_t)COUNT(analysis) - 2);
}

static void compute_totals(file *f)
{
	int t = 10;
	for (int i = 0; i < f->nrows; i++)
		t += f->rows[i].score;
	f->stated_total = f->stated_score = t;
	f->grade = grade_of(t);
}

/* ---- the error catalogue ------------------------------------------------------ */

enum { E_T01, E_T02, E_I01, E_S01, E_B09, E_I03, E_U01, E_H01, E_COUNT };

/* Structural errors first (they change what the totals are), then the
 * stated figures. */
static void inject_pre(file *f, int e, rng *r, const char **found, int *nfound)
{
	switch (e) {
	case E_I01: {
		int k = 0;
		for (int i = 0; i < f->nrows; i++)
			if (strcmp(f->rows[i].l1, "满意度"))
				f->rows[k++] = f->rows[i];
		f->nrows = k;
		f->empty_sat = true;
		found[(*nfound)++] = "I01:error";
		break;
	}
	case E_S01:
		f->reception.prev += 50;
		f->sg_prev_adj = -50;
		found[(*nfound)++] = "S01:error";
		break;
	case E_B09: {
		/* raise the budget so that execution is about 80 % */
		int64_t a = project(f, 2), b = project(f, 1);
		int64_t want = a * 1000 / range(r, 750, 850);
		if (want > b)
			f->business.budget += want - b;
		found[(*nfound)++] = "B09:warning";
		break;
	}
	case E_I03:
		for (int i = 0; i < f->nrows; i++) {
			row *x = &f->rows[i];
			if (strcmp(x->l1, "效益"))
				continue;
			if (x->score == x->weight)
				x->score = x->weight - 1;
			x->deviation = NULL;
			x->level = NULL;
			break;
		}
		found[(*nfound)++] = "I03:warning";
		break;
	case E_U01: {
		const char *d = pick(r, districts, COUNT(districts));
		if (d == f->u->dist)
			d = strcmp(d, "北塔区") ? "北塔区" : "大祥区";
		snprintf(f->budget_name, sizeof f->budget_name, "%s%s", d, f->u->rest);
		found[(*nfound)++] = "U01:warning";
		break;
	}
	case E_H01:
		f->stated_rate_bp -= 200;
		found[(*nfound)++] = "H01:error";
		break;
	default:
		break;
	}
}

static void inject_post(file *f, int e, const char **found, int *nfound)
{
	if (e == E_T01) {
		f->stated_total -= 5;
		found[(*nfound)++] = "T01:error";
	} else if (e == E_T02) {
		const char *g = f->grade;
		f->grade = !strcmp(g, "优秀")   ? "良好"
		           : !strcmp(g, "良好") ? "优秀"
		           : !strcmp(g, "中")   ? "良好"
		                                : "中";
		found[(*nfound)++] = "T02:error";
		found[(*nfound)++] = "T03:error";
	}
}

/* ---- YAML text ---------------------------------------------------------------- */

static const char *fa(char (*b)[24], int *k, int64_t v)
{
	char *p = b[(*k)++ % 24];
	amt(p, 24, v);
	return p;
}

static void emit_item(jx__buf *b, const char *key, item it)
{
	char s[3][24];
	int k = 0;
	jx__buf_printf(b, "  %s:\n    prev: %s\n    budget: %s\n    actual: %s\n", key,
	               fa(s, &k, it.prev), fa(s, &k, it.budget), fa(s, &k, it.actual));
}

static void emit_q(jx__buf *b, const char *key, const char *v)
{
	if (v)
		jx__buf_printf(b, "      %s: \"%s\"\n", key, v);
}

static void emit(jx__buf *b, const file *f)
{
	char s[24][24];
	int k = 0;
	int y = f->year;
	item veh = {f->vpurchase.prev + f->vrunning.prev, f->vpurchase.budget + f->vrunning.budget,
	            f->vpurchase.actual + f->vrunning.actual};
	item sg = sum3(veh, f->abroad, f->reception);
	sg.prev += f->sg_prev_adj;
	int64_t pb = project(f, 1), pa = project(f, 2), pp = project(f, 0);
	int64_t total = f->basic + pa;
	char rate[32];

	jx__buf_printf(b, "# 由 jixiao gen 生成的合成数据\nscheme: hunan-dept-overall\nyear: %d\n",
	               y);
	jx__buf_printf(b, "unit:\n  name: %s\n  budget_name: %s\n  code: \"%s\"\n", f->name,
	               f->budget_name, f->u->code);
	if (f->u->parent[0])
		jx__buf_printf(b, "  parent: \"%s\"\n  parent_name: %s\n", f->u->parent,
		               f->u->parent_name);
	jx__buf_printf(b, "\ninfo:\n  org:\n    text: |-\n      内设股室%d个，分别是：", f->nsect);
	for (int i = 0; i < f->nsect; i++)
		jx__buf_printf(b, "%s%s", i ? "、" : "", f->sect[i]);
	jx__buf_printf(b, "。\n    sections_count: %d\n    sections:\n", f->nsect);
	for (int i = 0; i < f->nsect; i++)
		jx__buf_printf(b, "      - %s\n", f->sect[i]);
	jx__buf_printf(b,
	               "  staff:\n    text: |-\n      本部门共有编制人数%d人，实有人数%d人。\n"
	               "    authorized: %d\n    actual: %d\n  duties:\n",
	               f->authorized, f->actual, f->authorized, f->actual);
	for (int i = 0; i < f->nduty; i++)
		jx__buf_printf(b, "    - %s\n", f->duty[i]);
	jx__buf_printf(b, "  goals: |-\n    %s\n\n", f->goal);

	k = 0;
	jx__buf_printf(
	        b,
	        "budget:\n  general:\n    text: |-\n      %d年度一般公共预算财政拨款年初结转和结余0"
	        "万元，本年收入%s万元，本年支出%s万元，年末结转和结余0万元。\n"
	        "    opening: 0\n    income: %s\n    spending: %s\n    closing: 0\n",
	        y, fa(s, &k, total), fa(s, &k, total), fa(s, &k, total), fa(s, &k, total));
	k = 0;
	jx__buf_printf(
	        b,
	        "  basic:\n    text: |-\n      基本支出年初结转和结余0万元，本年年初预算数%s万元，"
	        "全年预算数%s万元，本年支出%s万元，预算执行率100%%，年末结转和结余0万元。\n"
	        "    opening: 0\n    initial: %s\n    full_year: %s\n    spending: %s\n"
	        "    stated_rate: \"100%%\"\n    closing: 0\n",
	        fa(s, &k, f->basic_initial), fa(s, &k, f->basic), fa(s, &k, f->basic),
	        fa(s, &k, f->basic_initial), fa(s, &k, f->basic), fa(s, &k, f->basic));
	k = 0;
	jx__buf_printf(b,
	               "  project:\n    text: |-\n      %d年度项目支出%s万元。\n    spending: %s\n"
	               "    reason:\n",
	               y, fa(s, &k, pa), fa(s, &k, pa));
	k = 0;
	jx__buf_printf(
	        b,
	        "  sangong:\n    text: |-\n      %d年“三公”经费年初预算数%s万元（公务接待费%s万元、"
	        "公务用车购置及运行费用%s万元、出国（境）经费%s万元）。%d年“三公”经费实际支出%s万元"
	        "（公务接待费%s万元、公务用车购置及运行费用%s万元、出国（境）经费%s万元）。\n",
	        y, fa(s, &k, sg.budget), fa(s, &k, f->reception.budget), fa(s, &k, veh.budget),
	        fa(s, &k, f->abroad.budget), y, fa(s, &k, sg.actual),
	        fa(s, &k, f->reception.actual), fa(s, &k, veh.actual), fa(s, &k, f->abroad.actual));
	k = 0;
	jx__buf_printf(b,
	               "    budget: %s\n    reception_budget: %s\n    vehicle_budget: %s\n"
	               "    abroad_budget: %s\n    actual: %s\n    reception_actual: %s\n"
	               "    vehicle_actual: %s\n    abroad_actual: %s\n\n",
	               fa(s, &k, sg.budget), fa(s, &k, f->reception.budget), fa(s, &k, veh.budget),
	               fa(s, &k, f->abroad.budget), fa(s, &k, sg.actual),
	               fa(s, &k, f->reception.actual), fa(s, &k, veh.actual),
	               fa(s, &k, f->abroad.actual));
	jx__buf_printf(b,
	               "other_budgets:\n  gov_fund: |-\n    %d年，我单位无政府性基金预算支出。\n"
	               "  state_capital: |-\n    %d年，我单位无国有资本经营预算支出。\n"
	               "  social_insurance: |-\n    %d年，我单位无社会保险基金预算支出。\n\n",
	               y, y, y);
	jx__buf_printf(
	        b,
	        "performance:\n  conclusion: |-\n    "
	        "我单位对绩效评价情况进行了综合评定，自评分数为%d分，"
	        "绩效评价等次为“%s”。\n  stated_score: %d\n  stated_grade: %s\n"
	        "  analysis_intro: |-\n    对履职效能主要指标的完成情况进行具体分析\n  analysis:\n",
	        f->stated_score, f->grade, f->stated_score, f->grade);
	for (int i = f->ana0; i < f->ana0 + 2; i++)
		jx__buf_printf(b, "    - title: %s\n      text:\n        - %s\n", analysis[i][0],
		               analysis[i][1]);
	jx__buf_adds(b, "\nproblems:\n");
	for (int i = 0; i < f->nprob; i++)
		jx__buf_printf(b, "  - %s\n", f->prob[i]);
	jx__buf_adds(b, "measures:\n");
	for (int i = 0; i < f->nmeas; i++)
		jx__buf_printf(b, "  - %s\n", f->meas[i]);
	pct(rate, sizeof rate, f->stated_rate_bp);
	jx__buf_printf(
	        b,
	        "other_notes: 无\n\nbasic_data:\n  staff:\n    authorized: %d\n    actual: %d\n"
	        "    stated_control_rate: \"%s\"\n",
	        f->authorized, f->actual, rate);
	emit_item(b, "sangong", sg);
	emit_item(b, "vehicle", veh);
	emit_item(b, "vehicle_purchase", f->vpurchase);
	emit_item(b, "vehicle_running", f->vrunning);
	emit_item(b, "abroad", f->abroad);
	emit_item(b, "reception", f->reception);
	emit_item(b, "project", (item){pp, pb, pa});
	emit_item(b, "project_business", f->business);
	emit_item(b, "project_operation", f->operation);
	jx__buf_adds(b, "  project_special:\n");
	for (int i = 0; i < f->nspec; i++) {
		k = 0;
		jx__buf_printf(
		        b, "    - name: %s\n      prev: %s\n      budget: %s\n      actual: %s\n",
		        f->spec_name[i], fa(s, &k, f->spec[i].prev), fa(s, &k, f->spec[i].budget),
		        fa(s, &k, f->spec[i].actual));
	}
	emit_item(b, "project_other", f->other);
	emit_item(b, "public", f->pub);
	emit_item(b, "public_office", f->office);
	emit_item(b, "public_utilities_travel", f->utilities);
	emit_item(b, "public_meeting_training", f->meeting);
	k = 0;
	jx__buf_printf(b,
	               "  procurement:\n    prev: \"——\"\n    budget: %s\n    actual: %s\n"
	               "  basic_adjust:\n    prev: \"——\"\n    budget: %s\n    actual: %s\n",
	               fa(s, &k, f->procurement_b), fa(s, &k, f->procurement_a),
	               fa(s, &k, f->adjust), fa(s, &k, f->adjust));
	if (f->building) {
		char ar[32], ir[32];
		pct(ar, sizeof ar, rate_bp(f->area_ac, f->area_ap));
		pct(ir, sizeof ir, rate_bp(f->inv_a, f->inv_b));
		k = 0;
		jx__buf_printf(b,
		               "  buildings:\n    - name: 业务用房改造\n      approved_area: %lld\n"
		               "      actual_area: %lld\n      stated_area_rate: \"%s\"\n"
		               "      budget_invest: %s\n      actual_invest: %s\n"
		               "      stated_invest_rate: \"%s\"\n",
		               (long long)f->area_ap, (long long)f->area_ac, ar,
		               fa(s, &k, f->inv_b), fa(s, &k, f->inv_a), ir);
	}
	jx__buf_printf(
	        b,
	        "  thrift_measures:\n    - 严格控制公务接待。\n    - 严格控制会议经费支出。\n"
	        "  filler:\n    unit: %s\n    person: %s\n    date: %d-03-31\n"
	        "    phone: 0739-53%05d\n\n",
	        f->budget_name, f->person, y + 1, (int)(f->authorized * 97 % 100000));
	k = 0;
	int64_t fi = f->basic_initial + pb;
	jx__buf_printf(
	        b,
	        "self_eval:\n  funds:\n    initial: %s\n    full_year: %s\n    spending: %s\n"
	        "    weight: 10\n    stated_rate: \"100%%\"\n    stated_score: 10\n"
	        "  income:\n    general: %s\n    gov_fund: 0\n    special_account: 0\n"
	        "    other: 0\n  spending:\n    basic: %s\n    project: %s\n",
	        fa(s, &k, fi), fa(s, &k, total), fa(s, &k, total), fa(s, &k, total),
	        fa(s, &k, f->basic), fa(s, &k, pa));
	jx__buf_printf(b,
	               "  goal:\n    expected: |-\n      %s\n    achieved: |-\n      "
	               "年度总体目标基本达成\n  indicators:\n",
	               f->goal);
	for (int i = 0; i < f->nrows; i++) {
		const row *x = &f->rows[i];
		jx__buf_printf(b, "    - level1: %s\n      level2: %s\n      name: %s\n", x->l1,
		               x->p->level2, x->p->name);
		emit_q(b, "nature", x->p->nature);
		emit_q(b, "target", x->p->target);
		emit_q(b, "actual", x->p->actual);
		jx__buf_printf(b, "      weight: %d\n      stated_score: %d\n", x->weight,
		               x->score);
		if (x->level)
			jx__buf_printf(b, "      level: %s\n", x->level);
		jx__buf_printf(b, "      deviation:%s%s\n", x->deviation ? " " : "",
		               x->deviation ? x->deviation : "");
	}
	jx__buf_printf(b, "  total_weight: 100\n  stated_total: %d\n", f->stated_total);
}

/* ---- driver ---------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static jx_status make_dir(const char *path, jx_diags *errors)
{
	if (mkdir(path, 0777) == 0 || errno == EEXIST)
		return JX_OK;
	jx__loc l = {path, 0, 0};
	jx__diag_fatal(errors, "W01", l, NULL, "无法创建目录：%s", jx_errno_text(errno));
	return JX_ERR_IO;
}

jx_status jx__gen(const jx__gen_opts *o, size_t *nfiles, jx_diags *errors)
{
	const jx_allocator *a = o->alloc ? o->alloc : jx_allocator_default();
	jx_status st = make_dir(o->dir, errors);
	jx__buf man, b;
	jx__buf_init(&man, a);
	jx__buf_init(&b, a);
	size_t nf = 0;
	char path[4096];
	rng master = {o->seed};
	tree t;
	tree_init(&t, o->seed, o->units);
	for (unsigned u = 1; st == JX_OK && u <= o->units; u++) {
		uint64_t useed = next(&master);
		unit un;
		tree_next(&t, &un);
		snprintf(path, sizeof path, "%s/u%04u", o->dir, u);
		st = make_dir(path, errors);
		file f, last;
		for (unsigned yi = 0; st == JX_OK && yi < o->years; yi++) {
			int year = 2024 - (int)o->years + 1 + (int)yi;
			make_file(&f, &un, useed, year, yi ? &last : NULL);
			last = f;
			rng re = {useed ^ 0x5bd1e995u ^ ((uint64_t)year << 32)};
			const char *found[4];
			int nfound = 0;
			int errs[2] = {-1, -1};
			if (next(&re) % 1000000 < o->error_ppm) {
				errs[0] = (int)(next(&re) % E_COUNT);
				if (next(&re) % 2) {
					errs[1] = (int)(next(&re) % (E_COUNT - 1));
					if (errs[1] >= errs[0])
						errs[1]++;
				}
			}
			for (int i = 0; i < 2; i++)
				if (errs[i] >= 0)
					inject_pre(&f, errs[i], &re, found, &nfound);
			compute_totals(&f);
			for (int i = 0; i < 2; i++)
				if (errs[i] >= 0)
					inject_post(&f, errs[i], found, &nfound);
			qsort(found, (size_t)nfound, sizeof *found, cmp_str);
			b.len = 0;
			emit(&b, &f);
			snprintf(path, sizeof path, "%s/u%04u/%d.yaml", o->dir, u, year);
			if (b.oom) {
				st = JX_ERR_OOM;
				break;
			}
			st = jx__write_atomic(path, b.data, b.len, errors);
			jx__buf_printf(&man, "u%04u/%d.yaml\t", u, year);
			for (int i = 0; i < nfound; i++)
				jx__buf_printf(&man, "%s%s", i ? "," : "", found[i]);
			jx__buf_printf(&man, "\t%s\t%d\n", un.code, year);
			nf++;
		}
	}
	if (st == JX_OK && (man.oom || b.oom))
		st = JX_ERR_OOM;
	if (st == JX_OK) {
		snprintf(path, sizeof path, "%s/manifest.tsv", o->dir);
		st = jx__write_atomic(path, man.data ? man.data : "", man.len, errors);
	}
	jx__buf_fini(&man);
	jx__buf_fini(&b);
	if (nfiles)
		*nfiles = nf;
	return st;
}
