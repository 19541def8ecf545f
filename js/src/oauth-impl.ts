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

/** The page's `localStorage`, if it has a working one (opaque origins throw on access; some
 * runtimes expose an empty object). */
function pageStorage(): Storage | undefined {
	try {
		const s = (globalThis as { localStorage?: Storage }).localStorage;
		return typeof s?.getItem === "function" && typeof s.setItem === "function" ? s : undefined;
	} catch {
		return undefined;
	}
}

/** This page's URL without its fragment, only in a page (a Web Worker's `location` is its script's). */
function pageUrl(): string | undefined {
	const g = globalThis as { document?: unknown; location?: Location };
	return g.document && g.location ? g.location.href.split("#")[0] : undefined;
}

/** WebCrypto's randomness and SHA-256 (missing on an http page that is not localhost). */
function webCrypto(fn: string): Crypto {
	const c = (globalThis as { crypto?: Crypto }).crypto;
	if (typeof c?.getRandomValues !== "function" || typeof c.subtle?.digest !== "function") {
		throw invalid(`${fn} needs WebCrypto (crypto.getRandomValues, crypto.subtle), which browsers give only to https pages and localhost`);
	}
	return c;
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
		const redirectUrl = p.redirectUrl ?? pageUrl();
		if (!redirectUrl || !/^https?:\/\//.test(redirectUrl)) throw invalid(`oauthLoginUrl needs redirectUrl, an http(s) URL (here there is no page URL to default to), not ${JSON.stringify(redirectUrl)}`);
		const store = pageStorage();
		if (!p.localStorage && !store) throw invalid("there is no localStorage here: pass localStorage: {} and keep its nonce and codeVerifier for oauthHandleRedirect");
		const c = webCrypto("oauthLoginUrl");
		const { wire, fetch, signal } = splitCommon({ ...p, accessToken: undefined }, {});
		const ep = await call("oauthDiscovery", wire, fetch, signal);
		const nonce = base64url(c.getRandomValues(new Uint8Array(16)));
		const codeVerifier = base64url(c.getRandomValues(new Uint8Array(32)));
		const challenge = base64url(new Uint8Array(await c.subtle.digest("SHA-256", new TextEncoder().encode(codeVerifier))));
		if (p.localStorage) Object.assign(p.localStorage, { nonce, codeVerifier });
		else {
			try {
				store!.setItem(NONCE, nonce);
				store!.setItem(VERIFIER, codeVerifier);
			} catch (err) {
				throw new HubError({ code: "Storage", message: `oauthLoginUrl cannot keep the nonce and verifier in localStorage: ${err instanceof Error ? err.message : String(err)}` });
			}
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

	/** The redirected URL's query: of a full URL, or a query string as given (`location.search`). */
	function redirectParams(fn: string, p: OauthHandleRedirectParams): URLSearchParams {
		check(fn, p, { redirectedUrl: STRING, nonce: STRING, codeVerifier: STRING });
		const url = p.redirectedUrl ?? pageUrl();
		if (!url) throw invalid(`${fn} needs redirectedUrl (here there is no page URL to default to)`);
		try {
			return new URL(url).searchParams;
		} catch {
			if (/^\??[^/:\s]*=/.test(url)) return new URLSearchParams(url);
			throw invalid(`${fn}: redirectedUrl is neither a URL nor a query string: ${JSON.stringify(url)}`);
		}
	}

	const foreign = (fn: string) => invalid(`${fn}: the redirected URL's state is not the one this sign-in made (a replayed, foreign or altered redirect)`);

	/** The `state` the Hub echoed, parsed, if it is one this module makes. */
	function stateOf(q: URLSearchParams): Record<string, unknown> | undefined {
		try {
			const v: unknown = JSON.parse(q.get("state") ?? "");
			return isObject(v) ? v : undefined;
		} catch {
			return undefined;
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
			const { nonce, store } = kept(p);
			if (nonce && stateOf(q)?.nonce !== nonce) throw foreign(fn);
			// This sign-in is over: its nonce and verifier go.
			store?.removeItem(NONCE);
			store?.removeItem(VERIFIER);
			const why = q.get("error_description");
			throw new HubError({ code: "AuthRequired", message: `sign-in with Hugging Face did not complete: ${error}${why ? `: ${why}` : ""}` });
		}
		const code = q.get("code");
		if (!code) throw invalid(`${fn}: the redirected URL has no code`);
		const { nonce, codeVerifier, store } = kept(p);
		if (!nonce || !codeVerifier) throw invalid(`${fn}: no nonce and codeVerifier (pass the ones oauthLoginUrl kept; in a browser they are in localStorage until used)`);
		const state = stateOf(q);
		if (!state || state.nonce !== nonce || typeof state.redirectUri !== "string") throw foreign(fn);
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
			// Only while a sign-in started here waits (a reload after it finished is not handled);
			// a redirect whose state is not that sign-in's is then refused by `finish`.
			if (!(q.has("code") || q.has("error")) || !kept(p).nonce) return false;
			return finish("oauthHandleRedirectIfPresent", p, q);
		},
	};
}
