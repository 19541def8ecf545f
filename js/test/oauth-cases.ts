// "Sign in with Hugging Face" (issue 19) against the local Hub's provider, in Node, Chromium and
// workerd alike: the nonce and verifier kept by the caller (as a Worker keeps them, in a cookie
// or KV), the Hub's consent answered automatically (POST /__admin/oauth), the redirect followed
// by fetch to read the URL the browser would land on.
import { admin, expectHubError, type C, type Hub, refusingFetch, assert as check } from "./helpers.js";
import type { Case } from "./support/types.js";

/** Signs in up to the redirect: the URL the Hub sends the browser back to, and what was kept. */
async function signIn(c: C, opts: { scopes?: string; state?: string } = {}) {
	const kept: { nonce?: string; codeVerifier?: string } = {};
	const redirectUrl = `${c.hubUrl}/callback`;
	const url = await c.hub.oauthLoginUrl({ hubUrl: c.hubUrl, clientId: "hubwasm-local", redirectUrl, localStorage: kept, ...opts });
	const landed = await fetch(url);
	return { url, redirectedUrl: landed.url, kept };
}

export const oauthCases: Case<Hub>[] = [
	{
		name: "oauth: sign in with explicit nonce and verifier, the token works and expires, scopes decide writes",
		async run(c) {
			await admin(c, "POST", "oauth", { autoApprove: "test-user", deny: false, tokenLifetimeSecs: null });
			try {
				const { url, redirectedUrl, kept } = await signIn(c, { scopes: "openid profile write-repos", state: "page-1" });
				const q = new URL(url).searchParams;
				check(q.get("code_challenge_method") === "S256" && q.get("code_challenge")?.length === 43, `PKCE: ${url}`);
				check(kept.nonce && kept.codeVerifier && kept.codeVerifier.length >= 43, "the caller keeps nonce and verifier");
				check(new URL(redirectedUrl).searchParams.has("code"), `back with a code: ${redirectedUrl}`);
				// `code` is the first parameter: the full URL is parsed as a URL (the peer misses it).
				const out = await c.hub.oauthHandleRedirectIfPresent({ hubUrl: c.hubUrl, redirectedUrl, ...kept });
				check(out !== false, "the redirect is handled");
				check(out.accessToken.startsWith("hf_oauth_"), out.accessToken);
				check(out.state === "page-1" && out.scope === "openid profile write-repos", JSON.stringify(out));
				check(out.userInfo.preferred_username === "test-user" && Array.isArray(out.userInfo.orgs), JSON.stringify(out.userInfo));
				check(out.accessTokenExpiresAt.getTime() > Date.now() + 7 * 3600_000, "8 hours");
				check((await c.hub.whoAmI({ hubUrl: c.hubUrl, accessToken: out.accessToken })).name === "test-user", "the token is the user's");
				// The same code again: the Hub refuses it (and revokes the token it gave).
				await expectHubError(c.hub.oauthHandleRedirect({ hubUrl: c.hubUrl, redirectedUrl, ...kept }), c.hub, "BadRequest", "a reused code");
				await expectHubError(c.hub.whoAmI({ hubUrl: c.hubUrl, accessToken: out.accessToken }), c.hub, "AuthRequired", "revoked");
				// A read-only sign-in cannot create a repo.
				const read = await signIn(c, { scopes: "openid profile read-repos" });
				const reader = await c.hub.oauthHandleRedirect({ hubUrl: c.hubUrl, redirectedUrl: read.redirectedUrl, ...read.kept });
				const repo = `test-user/oauth-${c.runtime}-${Math.random().toString(36).slice(2, 8)}`;
				await expectHubError(c.hub.createRepo({ hubUrl: c.hubUrl, accessToken: reader.accessToken, repo }), c.hub, "Forbidden", "no write-repos");
				// An expired token is AuthRequired: the page signs in again.
				// 3 s: long enough for the sign-in's own userinfo request on a slow machine.
				await admin(c, "POST", "oauth", { tokenLifetimeSecs: 3 });
				const short = await signIn(c);
				const brief = await c.hub.oauthHandleRedirect({ hubUrl: c.hubUrl, redirectedUrl: short.redirectedUrl, ...short.kept });
				check(brief.accessTokenExpiresAt.getTime() <= Date.now() + 3000, "expiry exposed");
				await new Promise((r) => setTimeout(r, Math.max(0, brief.accessTokenExpiresAt.getTime() - Date.now()) + 200));
				await expectHubError(c.hub.whoAmI({ hubUrl: c.hubUrl, accessToken: brief.accessToken }), c.hub, "AuthRequired", "expired");
			} finally {
				await admin(c, "POST", "oauth", { autoApprove: null, deny: false, tokenLifetimeSecs: null });
			}
		},
	},
	{
		name: "oauth: a refused consent, a tampered state and bad options are errors, and no URL without a code is handled",
		async run(c) {
			await admin(c, "POST", "oauth", { autoApprove: "test-user", deny: true });
			try {
				const denied = await signIn(c);
				check(new URL(denied.redirectedUrl).searchParams.get("error") === "access_denied", denied.redirectedUrl);
				const e = await expectHubError(c.hub.oauthHandleRedirectIfPresent({ hubUrl: c.hubUrl, redirectedUrl: denied.redirectedUrl, ...denied.kept }), c.hub, "AuthRequired", "denied");
				check(e.message.includes("access_denied") && e.message.includes("denied the request"), e.message);
				await admin(c, "POST", "oauth", { deny: false });
				const ok = await signIn(c, { state: "mine" });
				const u = new URL(ok.redirectedUrl);
				const state = JSON.parse(u.searchParams.get("state")!);
				for (const [what, tamper] of [
					["another nonce", { ...state, nonce: "not-this-one" }],
					["no JSON", "x"],
				] as const) {
					const bad = new URL(u);
					bad.searchParams.set("state", typeof tamper === "string" ? tamper : JSON.stringify(tamper));
					await expectHubError(c.hub.oauthHandleRedirect({ hubUrl: c.hubUrl, redirectedUrl: bad.href, ...ok.kept }), c.hub, "InvalidInput", what);
				}
				// Another sign-in's nonce and verifier do not finish this one.
				const other = await signIn(c);
				await expectHubError(c.hub.oauthHandleRedirect({ hubUrl: c.hubUrl, redirectedUrl: ok.redirectedUrl, ...other.kept }), c.hub, "InvalidInput", "a foreign redirect");
				check((await c.hub.oauthHandleRedirectIfPresent({ hubUrl: c.hubUrl, redirectedUrl: `${c.hubUrl}/callback?x=1`, ...ok.kept })) === false, "no code: false");
				// An error this browser did not start a sign-in for is not handled (no nonce kept).
				check((await c.hub.oauthHandleRedirectIfPresent({ hubUrl: c.hubUrl, redirectedUrl: `${c.hubUrl}/callback?error=access_denied&error_description=x` })) === false, "a stray error: false");
				// The redirected URL may also be its query string (`location.search`), as the peer takes it.
				const done = await c.hub.oauthHandleRedirect({ hubUrl: c.hubUrl, redirectedUrl: u.search, ...ok.kept });
				check(done.state === "mine" && done.accessToken.startsWith("hf_oauth_"), "finished from the query string");
				const h = c.hub as any;
				for (const [p, what] of [
					[{ hubUrl: c.hubUrl, redirectUrl: "http://127.0.0.1/", localStorage: {}, fetch: refusingFetch }, "no clientId"],
					[{ hubUrl: c.hubUrl, clientId: "x", redirectUrl: "javascript:alert(1)", localStorage: {}, fetch: refusingFetch }, "a redirectUrl not http(s)"],
					[{ hubUrl: c.hubUrl, clientId: "x", redirectUrl: "http://127.0.0.1/", localStorage: { nonce: "kept" }, fetch: refusingFetch }, "a localStorage object not empty"],
					[{ hubUrl: c.hubUrl, clientId: "x", redirectUrl: "http://127.0.0.1/", localStorage: {}, orgIds: [1], fetch: refusingFetch }, "orgIds not strings"],
				] as const) {
					await expectHubError(h.oauthLoginUrl(p), c.hub, "InvalidInput", what);
				}
				await expectHubError(h.oauthHandleRedirect({ hubUrl: c.hubUrl, redirectedUrl: "not a url", nonce: "n", codeVerifier: "v", fetch: refusingFetch }), c.hub, "InvalidInput", "not a URL");
				await expectHubError(h.oauthHandleRedirect({ hubUrl: c.hubUrl, redirectedUrl: `${c.hubUrl}/callback?code=abc`, fetch: refusingFetch }), c.hub, "InvalidInput", "no nonce or verifier");
				// orgIds go on the authorize URL.
				const withOrgs = await c.hub.oauthLoginUrl({ hubUrl: c.hubUrl, clientId: "hubwasm-local", redirectUrl: `${c.hubUrl}/callback`, localStorage: {}, orgIds: ["a1", "b2"] });
				check(new URL(withOrgs).searchParams.get("orgIds") === "a1,b2", withOrgs);
			} finally {
				await admin(c, "POST", "oauth", { autoApprove: null, deny: false });
			}
		},
	},
];
