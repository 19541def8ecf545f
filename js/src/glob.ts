/**
 * Path patterns for `snapshotDownload`, as huggingface_hub's `filter_repo_objects` applies them:
 * Python's `fnmatch.fnmatchcase` (`fnmatchcase` below), after two additions of the client's own
 * (`filterPaths`). The answers are checked against Python's in `test/fixtures/fnmatch-cases.json`.
 *
 * `fnmatchcase`, like CPython's `fnmatch.translate`:
 * - `*` matches any run of characters, `/` included; `?` any one character (a code point).
 * - `[…]` a set of characters, with ranges `a-z`; `[!…]` its complement. Only `!` negates: a
 *   leading `^` is a character of the set. A `]` right after `[` or `[!` belongs to the set
 *   (`[]a]`, `[!]a]`). A `[` with no closing `]` is a literal `[`.
 * - A range whose end comes before its start (`[z-a]`) is dropped, with Python's quirks: the
 *   characters around it merge (`[b-a]` matches nothing, `[!b-a]` any character).
 * - `\` is an ordinary character: there is no escaping (write `[*]` for a literal `*`).
 *
 * Matching is linear in practice (no regular expression, no backtracking blow-up on `*a*a*a…`).
 */

/** One pattern element: `STAR`, or a test for exactly one character. */
type Piece = typeof STAR | ((c: string) => boolean);
const STAR = Symbol("*");

const cp = (c: string) => c.codePointAt(0)!;

/** The pattern's pieces; consecutive `*` count as one, as in Python. */
function compile(pattern: string): Piece[] {
	const p = Array.from(pattern);
	const out: Piece[] = [];
	for (let i = 0; i < p.length; ) {
		const c = p[i++]!;
		if (c === "*") {
			if (out[out.length - 1] !== STAR) out.push(STAR);
		} else if (c === "?") out.push(() => true);
		else if (c === "[") {
			const set = bracket(p, i);
			if (set) {
				out.push(set.test);
				i = set.end;
			} else out.push((x) => x === "[");
		} else out.push((x) => x === c);
	}
	return out;
}

/**
 * The set that starts after the `[` at `p[i - 1]`, or null when it is not closed (then the `[`
 * is literal). A port of the bracket branch of CPython's `fnmatch.translate`: the set's text is
 * cut at the range hyphens into chunks, reversed ranges are dropped by merging their neighbours,
 * and the chunks joined by `-` make the class (`a-c` a range, every other character literal).
 */
function bracket(p: string[], i: number): { test: (c: string) => boolean; end: number } | null {
	const n = p.length;
	let j = i;
	if (j < n && p[j] === "!") j++;
	if (j < n && p[j] === "]") j++;
	while (j < n && p[j] !== "]") j++;
	if (j >= n) return null;
	let chunks: string[][];
	if (!p.slice(i, j).includes("-")) chunks = [p.slice(i, j)];
	else {
		chunks = [];
		let start = i;
		let k = p[i] === "!" ? i + 2 : i + 1;
		for (;;) {
			k = p.indexOf("-", k);
			if (k < 0 || k >= j) break;
			chunks.push(p.slice(start, k));
			start = k + 1;
			k += 3;
		}
		const last = p.slice(start, j);
		if (last.length) chunks.push(last);
		else chunks[chunks.length - 1]!.push("-");
		for (let m = chunks.length - 1; m > 0; m--) {
			const prev = chunks[m - 1]!;
			const next = chunks[m]!;
			if (cp(prev[prev.length - 1]!) > cp(next[0]!)) {
				chunks[m - 1] = [...prev.slice(0, -1), ...next.slice(1)];
				chunks.splice(m, 1);
			}
		}
	}
	const end = j + 1;
	const first = chunks[0]!;
	if (chunks.length === 1 && first.length === 0) return { test: () => false, end };
	if (chunks.length === 1 && first.length === 1 && first[0] === "!") return { test: () => true, end };
	const negate = first[0] === "!";
	const singles = new Set<string>();
	const ranges: [number, number][] = [];
	chunks.forEach((chunk, m) => {
		chunk.forEach((c, at) => {
			if (m === 0 && at === 0 && negate) return;
			const startsRange = at === chunk.length - 1 && m < chunks.length - 1;
			const endsRange = at === 0 && m > 0;
			if (startsRange) ranges.push([cp(c), cp(chunks[m + 1]![0]!)]);
			else if (!endsRange) singles.add(c);
		});
	});
	const inSet = (c: string) => singles.has(c) || ranges.some(([lo, hi]) => lo <= cp(c) && cp(c) <= hi);
	return { test: negate ? (c) => !inSet(c) : inSet, end };
}

/** Whether the pieces match all of `s` (the usual two-pointer wildcard match, one star to go back to). */
function matches(pieces: Piece[], s: string[]): boolean {
	let pi = 0;
	let si = 0;
	let starAt = -1;
	let starFrom = 0;
	while (si < s.length) {
		const piece = pieces[pi];
		if (piece === STAR) {
			starAt = pi++;
			starFrom = si;
		} else if (piece && piece(s[si]!)) {
			pi++;
			si++;
		} else if (starAt >= 0) {
			pi = starAt + 1;
			si = ++starFrom;
		} else return false;
	}
	while (pieces[pi] === STAR) pi++;
	return pi === pieces.length;
}

/** Python's `fnmatch.fnmatchcase(name, pattern)`. */
export function fnmatchcase(name: string, pattern: string): boolean {
	return matches(compile(pattern), Array.from(name));
}

/** huggingface_hub's additions: `\` is a path separator (in patterns and paths alike), and a
 * pattern ending in `/` means everything under that folder (`*` is appended). */
const normalize = (s: string) => s.replace(/\\/g, "/");
const directoryWildcard = (p: string) => (p.endsWith("/") ? `${p}*` : p);

/** Whether `path` passes the allow list (if any) and no ignore pattern, as huggingface_hub's
 * `filter_repo_objects(allow_patterns=…, ignore_patterns=…)` decides it. */
export function filterPaths(allow: string | string[] | null | undefined, ignore: string | string[] | null | undefined): (path: string) => boolean {
	const list = (x: string | string[] | null | undefined) =>
		x == null ? undefined : (Array.isArray(x) ? x : [x]).map((p) => compile(directoryWildcard(normalize(p))));
	const a = list(allow);
	const i = list(ignore) ?? [];
	return (path) => {
		const s = Array.from(normalize(path));
		return (!a || a.some((r) => matches(r, s))) && !i.some((r) => matches(r, s));
	};
}
