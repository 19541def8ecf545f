/**
 * Path patterns for `snapshotDownload`, with the semantics of Python's `fnmatch` as the
 * reference client applies them: `*` matches anything (slashes included), `?` one character,
 * `[abc]`/`[!abc]` a set; a pattern ending in `/` means everything under that folder.
 */
function toRegExp(pattern: string): RegExp {
	const p = pattern.endsWith("/") ? `${pattern}*` : pattern;
	let re = "";
	for (let i = 0; i < p.length; i++) {
		const c = p[i]!;
		if (c === "*") re += ".*";
		else if (c === "?") re += ".";
		else if (c === "[") {
			const end = p.indexOf("]", i + 2);
			if (end < 0) {
				re += "\\[";
				continue;
			}
			let set = p.slice(i + 1, end);
			if (set.startsWith("!")) set = `^${set.slice(1)}`;
			re += `[${set.replace(/\\/g, "\\\\")}]`;
			i = end;
		} else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
	}
	return new RegExp(`^${re}$`, "s");
}

/** Whether `path` passes the allow list (if any) and no ignore pattern. */
export function filterPaths(allow: string | string[] | undefined, ignore: string | string[] | undefined): (path: string) => boolean {
	const list = (x: string | string[] | undefined) => (x === undefined ? undefined : (Array.isArray(x) ? x : [x]).map(toRegExp));
	const a = list(allow);
	const i = list(ignore) ?? [];
	return (path) => (!a || a.some((r) => r.test(path))) && !i.some((r) => r.test(path));
}
