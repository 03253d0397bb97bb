// vmxctl dump --html: the tree, drawn from VMX (written by picture.c).
// Tables open on demand; a table's leaves show as runs of neighbours that
// look alike, opened into single entries on a click.
"use strict";
(function () {
	const M = VMX.meta, T = VMX.tables;
	const t0 = performance.now();
	const COLORS = { table: "#9e9e9e", anon: "#43a047", thp: "#1b5e20", file: "#1e88e5",
		hugetlb: "#8e24aa", zero: "#cfd8dc", pfnmap: "#6d4c41", swap: "#fb8c00",
		protnone: "#fdd835", migration: "#e53935", other: "#000000" };
	const PAGE = ["valid", "anon", "file", "ksm", "zero", "huge-zero", "large", "hugetlb",
		"exclusive", "no-struct"];
	const HW = { 0: "P", 1: "RW", 2: "US", 3: "PWT", 4: "PCD", 5: "A", 6: "D", 8: "G", 63: "NX" };
	const NAMES = { 5: "PGD", 4: "P4D", 3: "PUD", 2: "PMD", 1: "PTE" };

	function shift(l) { return l === 5 ? (M.levels === 5 ? 48 : 39) : 12 + 9 * (l - 1); }
	function below(l) { return l === 5 && M.levels === 4 ? 3 : l - 1; }
	function hex(b) { return "0x" + b.toString(16); }
	function entries(t) {
		if (!t._e)
			t._e = t.e ? t.e.split(";").filter(Boolean).map(function (s) {
				const f = s.split(",");
				return { i: +f[0], k: +f[1], raw: BigInt("0x" + f[2]), pg: +f[3], mc: +f[4] };
			}) : [];
		return t._e;
	}
	function cls(e, l) {
		if (e.k === 1) return "table";
		if (e.k === 2) {
			if (e.pg & 128) return "hugetlb";
			if (e.pg & 48) return "zero";
			if (e.pg & 512) return "pfnmap";
			if (e.pg & 2) return l > 1 ? "thp" : "anon";
			return e.pg & 4 ? "file" : "other";
		}
		if (e.k === 3) return "protnone";
		if (e.k === 4) return "swap";
		if (e.k >= 5 && e.k <= 7) return "migration";
		return "other";
	}
	function va(t, i) { return BigInt(t.va) + (BigInt(i) << BigInt(shift(t.l))); }
	function frame(e, l) {
		const leaf = e.k === 2 && l > 1;
		const low = leaf ? BigInt(shift(l)) : 12n;
		return (e.raw & ((1n << 52n) - 1n)) >> low << low;
	}
	function flags(e) {
		const out = [];
		for (const b in HW)
			if ((e.raw >> BigInt(b)) & 1n) out.push(HW[b]);
		const pk = Number((e.raw >> 59n) & 15n);
		if (pk) out.push("pkey " + pk);
		return out.join(" ");
	}
	function vmaOf(a) {
		for (const v of VMX.vmas)
			if (BigInt(v[0]) <= a && a < BigInt(v[1])) return v;
		return null;
	}
	function detail(t, e) {
		const a = va(t, e.i), pa = frame(e, t.l), l = t.l;
		const present = e.k === 1 || e.k === 2;
		const pg = PAGE.filter(function (n, b) { return e.pg & (1 << b); }).join(" ");
		const v = vmaOf(a);
		let s = NAMES[l] + " entry " + e.i + " of the table at phys " + t.pa + "\n" +
			"address   " + hex(a) + " (" + cls(e, l) + ")\n" +
			"raw       " + hex(e.raw) + "\n" +
			"bits      " + (flags(e) || "none") + "\n";
		if (e.k === 1 && e.raw === 0n) {
			s += "next table (its entry is not in the dump: a leaves-only dump)\n";
		} else if (present) {
			s += (e.k === 1 ? "next table" : "frame    ") + " phys " + hex(pa) + "\n";
			if (BigInt(M.page_offset_base) === 0n)
				s += "direct map (hidden: kptr_restrict)\n";
			else
				s += "direct map " + hex(BigInt(M.page_offset_base) + pa) +
					(e.pg & 512 ? " (no struct page: if it is RAM at all)" : "") + "\n";
		}
		if (pg) s += "page      " + pg + ", mapcount " + e.mc + "\n";
		s += "VMA       " + (v ? v[0] + "-" + v[1] + " " + v[2] + " " + v[3] : "none") + "\n";
		document.getElementById("detail").textContent = s;
	}
	function fillStrip(t, es) {
		const c = document.createElement("canvas");
		c.width = 512; c.height = 8; c.className = "fill";
		const g = c.getContext("2d");
		for (const e of es) {
			g.fillStyle = COLORS[cls(e, t.l)];
			g.fillRect(e.i, 0, 1, 8);
		}
		return c;
	}
	// Neighbouring entries of one class and the same bits but frame, A, D.
	function runs(t, es) {
		const out = [];
		const mask = ~(((1n << 52n) - 1n) ^ 4095n) & ~(3n << 5n);
		for (const e of es) {
			const r = out[out.length - 1];
			if (r && e.k !== 1 && r.k !== 1 && r.last + 1 === e.i && r.c === cls(e, t.l) &&
			    (r.bits === (e.raw & mask))) {
				r.es.push(e); r.last = e.i;
			} else {
				out.push({ k: e.k, c: cls(e, t.l), bits: e.raw & mask, last: e.i, es: [e] });
			}
		}
		return out;
	}
	function row(text, color) {
		const d = document.createElement("div");
		d.className = "row";
		const s = document.createElement("span");
		s.className = "sw"; s.style.background = color;
		d.appendChild(s);
		d.appendChild(document.createTextNode(text));
		return d;
	}
	let shown = 0;
	function renderTable(ti, into) {
		const t = T[ti], es = entries(t);
		const box = document.createElement("div");
		box.className = "ptable";
		box.dataset.level = NAMES[t.l];
		const head = document.createElement("div");
		head.className = "thead";
		head.textContent = NAMES[t.l] + " table at phys " + t.pa + ": " + es.length + " of 512 entries used";
		box.appendChild(head);
		box.appendChild(fillStrip(t, es));
		for (const r of runs(t, es)) {
			const e = r.es[0], n = r.es.length;
			const span = n > 1 ? "[" + e.i + "-" + r.last + "]" : "[" + e.i + "]";
			const text = span + " " + hex(va(t, e.i)) + " " + r.c +
				(n > 1 ? ", " + n + " entries" : "") + (e.k === 1 ? " -> " + NAMES[below(t.l)] + " table" : "");
			const d = row(text, COLORS[r.c]);
			d.dataset.kind = r.c;
			box.appendChild(d);
			shown++;
			let open = null;
			d.addEventListener("click", function () {
				detail(t, e);
				if (open) { open.remove(); open = null; return; }
				open = document.createElement("div");
				if (e.k === 1 && t.c && t.c[e.i] !== undefined) {
					renderTable(t.c[e.i], open);
				} else if (n > 1) {
					open.className = "ptable";
					for (const x of r.es) {
						const y = row("[" + x.i + "] " + hex(va(t, x.i)) + " " + hex(x.raw), COLORS[r.c]);
						y.addEventListener("click", function (ev) { ev.stopPropagation(); detail(t, x); });
						open.appendChild(y);
					}
				}
				d.after(open);
			});
		}
		into.appendChild(box);
		return box;
	}
	const legend = document.getElementById("legend");
	for (const k in COLORS) {
		const s = document.createElement("span");
		s.innerHTML = '<span class="sw" style="background:' + COLORS[k] + '"></span>' + k;
		legend.appendChild(s);
	}
	const root = renderTable(0, document.getElementById("tree"));
	// #open: follow the first table entries down to a leaf table, and open
	// its first run (what the browser check looks at).
	if (location.hash.indexOf("open") >= 0) {
		let box = root;
		for (;;) {
			const first = box.querySelector(":scope > .row");
			if (!first) break;
			first.click();
			const next = first.nextElementSibling;
			if (!next || !next.querySelector(".ptable")) break;
			box = next.querySelector(".ptable");
		}
	}
	document.body.dataset.renderMs = Math.round(performance.now() - t0);
	document.body.dataset.rowsShown = shown;
})();
