// Access (issue 18): whether a token may read or write a repo, asked before the work, with the
// Hub's reason when not; the same in Node, Chromium and workerd.
import { admin, expectHubError, freshRepo, type C, type Hub, refusingFetch } from "./helpers.js";
import type { Case } from "./support/types.js";

/** Gates `repo` ("auto" approval) with the owner's token, through the Hub's settings route. */
async function gate(c: C, repo: string): Promise<void> {
	const r = await fetch(`${c.hubUrl}/api/models/${repo}/settings`, {
		method: "PUT",
		headers: { authorization: `Bearer ${c.token}`, "content-type": "application/json" },
		body: JSON.stringify({ gated: "auto" }),
	});
	if (!r.ok) throw new Error(`gating ${repo}: ${r.status} ${await r.text()}`);
}

export const accessCases: Case<Hub>[] = [
	{
		name: "authCheck: read and write access, or the Hub's reason (private, read-only token, another user's repo)",
		async run(c) {
			const { publicRepo, privateRepo } = c.fixtures;
			const hubUrl = c.hubUrl;
			await c.hub.authCheck({ hubUrl, repo: publicRepo });
			await c.hub.checkRepoAccess({ hubUrl, repo: publicRepo });
			await c.hub.authCheck({ hubUrl, repo: publicRepo, accessToken: c.token, write: true });
			await c.hub.authCheck({ hubUrl, repo: privateRepo, accessToken: c.tokens.read! });
			await expectHubError(c.hub.authCheck({ hubUrl, repo: privateRepo }), c.hub, "RepoNotFound", "a private repo, anonymous");
			await expectHubError(c.hub.checkRepoAccess({ hubUrl, repo: privateRepo, accessToken: c.tokens["other-user"]! }), c.hub, "RepoNotFound", "a private repo, another user");
			await expectHubError(c.hub.authCheck({ hubUrl, repo: publicRepo, accessToken: c.tokens.read!, write: true }), c.hub, "Forbidden", "a read-only token, writing");
			await expectHubError(c.hub.authCheck({ hubUrl, repo: publicRepo, accessToken: c.tokens["other-user"]!, write: true }), c.hub, "Forbidden", "another user's repo");
			await expectHubError(c.hub.authCheck({ hubUrl, repo: publicRepo, write: true }), c.hub, "AuthRequired", "writing anonymously");
			await expectHubError(c.hub.authCheck({ hubUrl, repo: `${publicRepo}-missing`, accessToken: c.token }), c.hub, "RepoNotFound", "a missing repo");
		},
	},
	{
		name: "a gated repo: GatedRepo saying to request access, until access is granted",
		async run(c) {
			const repo = await freshRepo(c, "gated");
			await gate(c, repo);
			const other = { hubUrl: c.hubUrl, repo, accessToken: c.tokens["other-user"]! };
			const e = await expectHubError(c.hub.checkRepoAccess(other), c.hub, "GatedRepo", "before access");
			if (!/request access/.test(e.message)) throw new Error(`the message says what to do: ${e.message}`);
			await expectHubError(c.hub.authCheck({ hubUrl: c.hubUrl, repo }), c.hub, "GatedRepo", "anonymous");
			// The repo exists and its info is public: only the files are behind the gate.
			if (!(await c.hub.repoExists(other))) throw new Error("a gated repo exists");
			await c.hub.authCheck({ hubUrl: c.hubUrl, repo, accessToken: c.token });
			await admin(c, "POST", "grant", { repo, user: "other-user" });
			await c.hub.checkRepoAccess(other);
			await expectHubError(c.hub.authCheck({ ...other, write: true }), c.hub, "Forbidden", "granted read is not write");
		},
	},
	{
		name: "authCheck and checkRepoAccess refuse bad input before any request",
		async run(c) {
			const at = { hubUrl: c.hubUrl, fetch: refusingFetch };
			const h = c.hub as any;
			await expectHubError(h.authCheck({ ...at }), c.hub, "InvalidInput", "no repo");
			await expectHubError(h.authCheck({ ...at, repo: c.fixtures.publicRepo, write: "yes" }), c.hub, "InvalidInput", "write that is not a boolean");
			await expectHubError(h.checkRepoAccess({ ...at, repo: "a/b/c/d" }), c.hub, "InvalidInput", "a bad repo id");
			await expectHubError(h.checkRepoAccess({ ...at, repo: c.fixtures.publicRepo, accessToken: "" }), c.hub, "InvalidInput", "an empty token");
		},
	},
];
