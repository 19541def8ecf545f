// js/README.md (the npm page) is made from the repository's README.md: the same text minus the
// sections about working on this repository, with links into the repository made plain text.
//   node js/scripts/readme.mjs          rewrite js/README.md
//   node js/scripts/readme.mjs --check  fail if js/README.md is out of date (run by the tests)
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DROP = ["Set-up on a fresh Debian 12 machine", "Rust (sans-IO core)", "Tests", "Layout"];
const source = fileURLToPath(new URL("../../README.md", import.meta.url));
const target = fileURLToPath(new URL("../README.md", import.meta.url));

export function npmReadme(text) {
	const [head, ...sections] = text.split(/^(?=## )/m);
	const kept = sections.filter((s) => !DROP.includes(s.slice(3, s.indexOf("\n")).trim()));
	const body = [head, ...kept].join("").replace(/\[([^\]]+)\]\((?!https?:|#)[^)]+\)/g, "$1");
	return `<!-- Made from the repository's README.md by js/scripts/readme.mjs: edit that file. -->\n${body.trimEnd()}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const want = npmReadme(readFileSync(source, "utf8"));
	if (process.argv.includes("--check")) {
		let have = "";
		try {
			have = readFileSync(target, "utf8");
		} catch {}
		if (have !== want) {
			console.error("js/README.md is out of date: run `node js/scripts/readme.mjs`");
			process.exit(1);
		}
	} else {
		writeFileSync(target, want);
	}
}
