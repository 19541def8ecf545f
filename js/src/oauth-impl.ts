/**
 * The code of "Sign in with Hugging Face" (`oauth.ts`), over the page's modules handed in
 * (`lazy.ts`). The browser's part is here (nonce, PKCE verifier and S256 challenge, where they
 * are kept, the `state` check); the requests are the `oauth` module's. Unlike
 * `@huggingface/hub`, a full `redirectedUrl` is parsed as a URL (its `code` is never missed), and
 * `localStorage` is not touched when the nonce and verifier are given (Workers, Node).
 */
import { HubError } from "./error.js";
import type { LazyDeps } from "./lazy.js";
import type { OauthHandleRedirectParams, OauthLoginUrlParams, OAuthResult, UserInfo } from "./oauth.js";
import type { Calls, OAuthCall } from "./wire.js";

/** Where `@huggingface/hub` keeps them too, so a sign-in started by either finishes with either. */
const NONCE = "huggingface.co:oauth:nonce";
const VERIFIER = "huggingface.co:oauth:code_verifier";

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** The page's `localStorage`, if it has one it may use (opaque origins throw on access). */
function pageStorage(): Storage | undefined {
	try {
		return (globalThis as { localStorage?: Storage }).localStorage ?? undefined;
	} catch {
		return undefined;
	}
}

/** A static Space's OAuth settings (`window.huggingface.variables`), as `@huggingface/hub` reads them. */
const spaceVariable = (k: string): string | undefined =>
	(globalThis as { huggingface?: { variables?: Record<string, string> } }).huggingface?.variables?.[k];

const invalid = (message: string) => new HubError({ code: "InvalidInput", message });

export function oauthCalls([check, , isObject, , STRING, STRINGS, splitCommon, , runCall, loadModule]: LazyDeps) {
	const oauth = () => loadModule("oauth", () => import("../wasm/oauth.js"), () => new URL("../wasm/oauth_bg.wasm", import.meta.url));
	/** Reads: discovery and userinfo are repeated on transient failures; a code exchange is not (a code works once). */
	const call = async <N extends OAuthCall>(name: N, options: Calls[N]["options"], fetchFn: typeof fetch, signal: AbortSignal | undefined): Promise<Calls[N]["output"]> =>
		runCall(await oauth(), name, options, fetchFn, signal, name === "oauthToken");

	const ORG_IDS = ["a string or an array of strings", (v: unknown) => typeof v === "string" || STRINGS[1](v)] as const;
	const KEPT = ["an empty object, which receives nonce and codeVerifier", (v: unknown) => isObject(v) && v.nonce == null && v.codeVerifier == null] as const;

	async function oauthLoginUrl(p: OauthLoginUrlParams = {}): Promise<string> {
		check("oauthLoginUrl", p, { clientId: STRING, scopes: STRING, redirectUrl: STRING, state: STRING, orgIds: ORG_IDS, localStorage: KEPT });
		const clientId = p.clientId ?? spaceVariable("OAUTH_CLIENT_ID");
		if (!clientId) throw invalid("oauthLoginUrl needs clientId (outside a static Space with hf_oauth)");
		const redirectUrl = p.redirectUrl ?? (globalThis as { location?: Location }).location?.href;
		if (!redirectUrl || !/^https?:\/\//.test(redirectUrl)) throw invalid(`oauthLoginUrl needs redirectUrl, an http(s) URL (here there is no page URL to default to), not ${JSON.stringify(redirectUrl)}`);
		const store = pageStorage();
		if (!p.localStorage && !store) throw invalid("there is no localStorage here: pass localStorage: {} and keep its nonce and codeVerifier for oauthHandleRedirect");
		const { wire, fetch, signal } = splitCommon({ ...p, accessToken: undefined }, {});
		const ep = await call("oauthDiscovery", wire, fetch, signal);
		const nonce = crypto.randomUUID();
		const codeVerifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
		const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(codeVerifier))));
		if (p.localStorage) Object.assign(p.localStorage, { nonce, codeVerifier });
		else {
			store!.setItem(NONCE, nonce);
			store!.setItem(VERIFIER, codeVerifier);
		}
		const q = new URLSearchParams({
			client_id: clientId,
			scope: p.scopes ?? spaceVariable("OAUTH_SCOPES") ?? "openid profile",
			response_type: "code",
			redirect_uri: redirectUrl,
			// The nonce travels in `state`, as `@huggingface/hub` sends it.
			state: JSON.stringify({ nonce, redirectUri: redirectUrl, state: p.state }),
			code_challenge: challenge,
			code_challenge_method: "S256",
		});
		if (p.orgIds != null) q.set("orgIds", ([] as string[]).concat(p.orgIds).join(","));
		return `${ep.authorizationEndpoint}?${q}`;
	}

	/** The redirected URL's query, and whether it carries something to finish. */
	function redirectParams(fn: string, p: OauthHandleRedirectParams): URLSearchParams {
		check(fn, p, { redirectedUrl: STRING, nonce: STRING, codeVerifier: STRING });
		const url = p.redirectedUrl ?? (globalThis as { location?: Location }).location?.href;
		if (!url) throw invalid(`${fn} needs redirectedUrl (here there is no page URL to default to)`);
		try {
			return new URL(url).searchParams;
		} catch {
			throw invalid(`${fn}: redirectedUrl is not a URL: ${JSON.stringify(url)}`);
		}
	}

	/** The nonce and verifier: as given, else (only then) from `localStorage`. */
	function kept(p: OauthHandleRedirectParams): { nonce?: string; codeVerifier?: string; store?: Storage } {
		if (p.nonce != null && p.codeVerifier != null) return { nonce: p.nonce, codeVerifier: p.codeVerifier };
		const store = pageStorage();
		return { nonce: p.nonce ?? store?.getItem(NONCE) ?? undefined, codeVerifier: p.codeVerifier ?? store?.getItem(VERIFIER) ?? undefined, store };
	}

	async function finish(fn: string, p: OauthHandleRedirectParams, q: URLSearchParams): Promise<OAuthResult> {
		const error = q.get("error");
		if (error) {
			const why = q.get("error_description");
			throw new HubError({ code: "AuthRequired", message: `sign-in with Hugging Face did not complete: ${error}${why ? `: ${why}` : ""}` });
		}
		const code = q.get("code");
		if (!code) throw invalid(`${fn}: the redirected URL has no code`);
		const { nonce, codeVerifier, store } = kept(p);
		if (!nonce || !codeVerifier) throw invalid(`${fn}: no nonce and codeVerifier (pass the ones oauthLoginUrl kept; in a browser they are in localStorage until used)`);
		let state: unknown;
		try {
			state = JSON.parse(q.get("state") ?? "");
		} catch {
			state = undefined;
		}
		if (!isObject(state) || state.nonce !== nonce || typeof state.redirectUri !== "string") {
			throw invalid(`${fn}: the redirected URL's state is not the one this sign-in made (a replayed, foreign or altered redirect)`);
		}
		// Used once: a reload of this page must not try the same code again.
		store?.removeItem(NONCE);
		store?.removeItem(VERIFIER);
		const { wire, fetch, signal } = splitCommon({ ...p, accessToken: undefined }, {});
		const ep = await call("oauthDiscovery", wire, fetch, signal);
		const token = await call("oauthToken", { ...wire, tokenEndpoint: ep.tokenEndpoint, code, redirectUri: state.redirectUri, codeVerifier }, fetch, signal);
		const userInfo = (await call("oauthUserInfo", { ...wire, accessToken: token.accessToken, userinfoEndpoint: ep.userinfoEndpoint }, fetch, signal)) as UserInfo;
		return {
			accessToken: token.accessToken,
			accessTokenExpiresAt: new Date(Date.now() + token.expiresIn * 1000),
			userInfo,
			scope: token.scope,
			...(typeof state.state === "string" ? { state: state.state } : {}),
		};
	}

	return {
		oauthLoginUrl,
		oauthHandleRedirect: (p: OauthHandleRedirectParams = {}) => finish("oauthHandleRedirect", p, redirectParams("oauthHandleRedirect", p)),
		async oauthHandleRedirectIfPresent(p: OauthHandleRedirectParams = {}): Promise<OAuthResult | false> {
			const q = redirectParams("oauthHandleRedirectIfPresent", p);
			if (q.has("error")) return finish("oauthHandleRedirectIfPresent", p, q);
			// No code, or one this browser cannot finish (already used: the page was reloaded).
			if (!q.has("code") || !kept(p).nonce) return false;
			return finish("oauthHandleRedirectIfPresent", p, q);
		},
	};
}
