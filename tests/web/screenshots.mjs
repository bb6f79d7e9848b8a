// Screenshots of jixiao serve's main pages for the documentation, at
// 1366×900, into docs/img/serve-*.png.  Not part of `meson test`; run
// through the same fixture server as the browser test:
//   JIXIAO=build/jixiao SRCDIR=$PWD sh tests/web/browser.sh tests/web/screenshots.mjs
import {chromium} from 'playwright-core';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

const base = process.env.JX_BASE;
const year = process.env.JX_YEAR || '2023';
const unitUrl = `${base}/unit/101001/${year}`;
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'img');
const viewport = {width: 1366, height: 900};

async function shot(page, name) {
	const file = path.join(out, `serve-${name}.png`);
	await page.screenshot({path: file});
	console.log(file);
}

async function login(browser, name, password) {
	const ctx = await browser.newContext({viewport});
	const page = await ctx.newPage();
	page.setDefaultTimeout(10000);
	await page.goto(`${base}/login`);
	await page.fill('[name=name]', name);
	await page.fill('[name=password]', password);
	await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
	return page;
}

async function main() {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
	});
	try {
		const anon = await (await browser.newContext({viewport})).newPage();
		await anon.goto(`${base}/login`);
		await shot(anon, 'login');

		// the filler's form: one score lowered, the results following it
		const f = await login(browser, 'fill', 'pw-filler-1');
		await f.fill('[name="self_eval.indicators[2].stated_score"]', '8');
		await f.waitForFunction(() => document.getElementById('jx-total').textContent === '89.00');
		await f.waitForFunction(() => /^错误 2/.test(document.getElementById('jx-counts').textContent));
		await f.locator('[name="self_eval.indicators[2].stated_score"]').scrollIntoViewIfNeeded();
		await shot(f, 'form');

		await f.fill('[name="performance.stated_score"]', '89');
		await f.fill('[name="performance.stated_grade"]', '良好');
		await f.waitForFunction(() => /^错误 0/.test(document.getElementById('jx-counts').textContent));
		await f.waitForTimeout(400);
		const areas = f.locator('#jx-findings li.warning textarea');
		for (let i = 0, n = await areas.count(); i < n; i++)
			await areas.nth(i).fill('情况属实，已核对原始凭证。');
		await Promise.all([f.waitForNavigation(), f.click('button[name=_do][value=submit]')]);

		// the reviewer's desk and the unit page with the review actions
		const r = await login(browser, 'rev', 'pw-review-1');
		await r.goto(`${base}/desk?year=${year}`);
		await shot(r, 'desk');
		await r.goto(unitUrl);
		await shot(r, 'review');

		await Promise.all([r.waitForNavigation(),
		                   r.click('section.review form[action$="/accept"] button[type=submit]')]);
		await Promise.all([r.waitForNavigation(),
		                   r.click('section.review form[action$="/publish"] button[type=submit]')]);
		await anon.goto(`${base}/public?year=${year}`);
		await shot(anon, 'public');
	} finally {
		await browser.close();
	}
}

main().catch((e) => {
	console.error(`screenshots: ${e.message}`);
	process.exit(1);
});
