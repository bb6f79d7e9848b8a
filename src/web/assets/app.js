/* jixiao serve: live feedback on the fill-in form.  Everything works
 * without this file; with it, the computed values, total, grade and
 * findings follow the typing (POST /api/evaluate), tables grow rows, and
 * the findings link to their fields.  Text from the server is inserted
 * with textContent only. */
(function () {
	'use strict';
	var form = document.getElementById('jx-form');
	if (!form) return;
	var readonly = form.hasAttribute('data-readonly');
	var csrfInput = form.querySelector('input[name=_csrf]');
	var csrf = csrfInput ? csrfInput.value : '';
	var timer = null, seq = 0;
	var sevLabel = {error: '错误', fatal: '错误', warning: '核实', info: '提示'};

	function addRow(btn) {
		var tbody = btn.parentNode.querySelector('tbody');
		var last = tbody.lastElementChild;
		if (!last) return;
		var n = tbody.children.length;
		var row = last.cloneNode(true);
		row.querySelectorAll('input, textarea, output').forEach(function (el) {
			['name', 'id', 'data-path'].forEach(function (a) {
				var v = el.getAttribute(a);
				if (v) el.setAttribute(a, v.replace(/\[\d+\]/, '[' + n + ']'));
			});
			if (el.tagName === 'OUTPUT') el.textContent = '';
			else el.value = '';
		});
		tbody.appendChild(row);
	}

	if (!readonly) {
		form.querySelectorAll('button.add-row').forEach(function (btn) {
			btn.hidden = false;
			btn.addEventListener('click', function () { addRow(btn); });
		});
	}

	function explanations() {
		var kept = {};
		form.querySelectorAll('#jx-findings li').forEach(function (li) {
			var t = li.querySelector('textarea');
			var r = li.querySelector('input[name^="_expl_rule"]');
			if (t && r) kept[r.value + '|' + (li.dataset.path || '')] = t.value;
		});
		return kept;
	}

	function hidden(name, value) {
		var i = document.createElement('input');
		i.type = 'hidden';
		i.name = name;
		i.value = value;
		return i;
	}

	function findingItem(f, k, kept) {
		var li = document.createElement('li');
		li.className = f.severity === 'fatal' ? 'error' : f.severity;
		li.dataset.path = f.path || '';
		var b = document.createElement('b');
		b.textContent = f.id;
		li.appendChild(b);
		li.appendChild(document.createTextNode(' ' + f.message));
		if (f.path) {
			var a = document.createElement('a');
			a.href = '#f-' + f.path;
			a.className = 'goto';
			a.textContent = '定位';
			li.appendChild(document.createTextNode(' '));
			li.appendChild(a);
		}
		if (f.severity === 'warning') {
			li.appendChild(hidden('_expl_rule.' + k, f.id));
			li.appendChild(hidden('_expl_path.' + k, f.path || ''));
			var t = document.createElement('textarea');
			t.name = '_expl_text.' + k;
			t.rows = 2;
			t.placeholder = '说明（提交前必填）';
			var key = f.id + '|' + (f.path || '');
			t.value = key in kept ? kept[key] : (f.explanation || '');
			li.appendChild(t);
		}
		return li;
	}

	function render(j) {
		document.getElementById('jx-total').textContent = j.total || '';
		document.getElementById('jx-grade').textContent = j.grade || '';
		form.querySelectorAll('output[data-path]').forEach(function (o) {
			var v = j.values[o.dataset.path];
			o.textContent = v === undefined ? '' : v;
		});
		form.querySelectorAll('[aria-invalid]').forEach(function (el) {
			el.removeAttribute('aria-invalid');
		});
		var list = document.getElementById('jx-findings');
		var kept = explanations();
		list.textContent = '';
		var k = 0;
		j.load_errors.concat(j.findings).forEach(function (f) {
			list.appendChild(findingItem(f, k++, kept));
			if (f.severity === 'fatal' && f.path) {
				var el = document.getElementById('f-' + f.path);
				if (el) el.setAttribute('aria-invalid', 'true');
			}
		});
		var counts = document.getElementById('jx-counts');
		counts.textContent = '错误 ' + j.errors + ' · 核实 ' + j.warnings + '（未说明 ' +
			j.unexplained + '） · 提示 ' + j.infos;
		counts.className = 'counts' + (j.errors ? ' bad' : '');
	}

	function evaluate() {
		var my = ++seq;
		var body = new URLSearchParams(new FormData(form));
		fetch(form.dataset.eval, {
			method: 'POST',
			credentials: 'same-origin',
			headers: {'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded'},
			body: body
		}).then(function (r) {
			return r.ok ? r.json() : null;
		}).then(function (j) {
			if (j && my === seq) render(j);
		}).catch(function () {});
	}

	if (!readonly) {
		form.addEventListener('input', function (e) {
			if (e.target.name && e.target.name.indexOf('_expl') === 0) return;
			clearTimeout(timer);
			timer = setTimeout(evaluate, 200);
		});
		evaluate();
	}
	void sevLabel;
})();
