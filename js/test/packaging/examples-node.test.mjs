// examples/node/list-and-download.mjs, run as its header says, against the local Hub.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { hubWithRepo, run } from "./support.mjs";

const script = fileURLToPath(new URL("../../../examples/node/list-and-download.mjs", import.meta.url));
let hub, fixtures;

describe("examples/node", () => {
	before(async () => {
		({ hub, fixtures } = await hubWithRepo());
	});
	after(() => hub?.stop());

	test("list-and-download.mjs lists the repo and downloads every file", async () => {
		for (const repo of [fixtures.publicRepo, fixtures.privateRepo]) {
			const { stdout } = await run(process.execPath, [script, repo], {
				env: { ...process.env, HF_ENDPOINT: hub.url, HF_TOKEN: hub.token },
			});
			const [head, ...lines] = stdout.trim().split("\n");
			const seeded = repo === fixtures.publicRepo ? fixtures.files : fixtures.privateFiles;
			const got = new Map(lines.map((l) => l.split("\t")).map(([path, size]) => [path, Number.parseInt(size, 10)]));
			for (const f of seeded) assert.equal(got.get(f.path), f.size, `${repo}: ${f.path}\n${stdout}`);
			assert.match(head, new RegExp(`^listed ${got.size} files in `));
		}
	});
});
