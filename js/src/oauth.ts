/**
 * "Sign in with Hugging Face": `oauthLoginUrl`, `oauthHandleRedirect`,
 * `oauthHandleRedirectIfPresent`, with `@huggingface/hub`'s names and result shape. Stubs (see
 * `lazy.ts`): the code is in `oauth-impl.ts` and the requests run in the `oauth` module.
 */
import { later } from "./lazy.js";
import type { CommonParams } from "./types.js";

export interface OauthLoginUrlParams extends Omit<CommonParams, "accessToken" | "credentials"> {
	/** The OAuth app's client id (in a static Space with `hf_oauth: true`, the Space's own). */
	clientId?: string;
	/** Space-separated, e.g. `"openid profile write-repos"` (default `"openid profile"`, or a Space's `OAUTH_SCOPES`). */
	scopes?: string;
	/** Where the Hub sends the browser back (default: this page's URL). */
	redirectUrl?: string;
	/** Given back by `oauthHandleRedirect` as `state`. */
	state?: string;
	/** Ask for access to these organizations (their `sub` ids) on the consent page. */
	orgIds?: string | string[];
	/**
	 * Where there is no `localStorage` (a Worker, Node): an empty object that receives `nonce` and
	 * `codeVerifier`, to be kept (a cookie, KV) and passed to `oauthHandleRedirect`.
	 */
	localStorage?: { nonce?: string; codeVerifier?: string };
}

export interface OauthHandleRedirectParams extends Omit<CommonParams, "accessToken" | "credentials"> {
	/** The URL the Hub sent the browser back to (default: this page's URL). */
	redirectedUrl?: string;
	/** What `oauthLoginUrl` put in its `localStorage` object; read from `localStorage` when absent. */
	nonce?: string;
	codeVerifier?: string;
}

/** `oauthHandleRedirectIfPresent`'s options: those of `oauthHandleRedirect`. */
export type OauthHandleRedirectIfPresentParams = OauthHandleRedirectParams;

/** An organization of the signed-in user. */
export interface UserInfoOrg {
	sub: string;
	name: string;
	preferred_username: string;
	picture: string;
	/** With the `read-memberships` scope. */
	roleInOrg?: string;
	plan?: string;
	canPay?: boolean;
	[field: string]: unknown;
}

/** Who signed in, as the Hub's userinfo says (OpenID Connect names). */
export interface UserInfo {
	sub: string;
	name?: string;
	preferred_username?: string;
	picture?: string;
	profile?: string;
	website?: string;
	/** With the `email` scope. */
	email?: string;
	email_verified?: boolean;
	isPro?: boolean;
	/** With `read-billing`. */
	canPay?: boolean;
	orgs?: UserInfoOrg[];
	[field: string]: unknown;
}

export interface OAuthResult {
	/** `hf_oauth_…`: pass it as `accessToken` to every call. */
	accessToken: string;
	/** When it stops working: sign in again before (a call made with it after is `AuthRequired`). */
	accessTokenExpiresAt: Date;
	userInfo: UserInfo;
	/** The scopes granted, space-separated. */
	scope: string;
	/** The `state` given to `oauthLoginUrl`. */
	state?: string;
}

/**
 * The Hub's sign-in URL for this app, with a fresh nonce and a PKCE (S256) code challenge; the
 * nonce and verifier go to `localStorage`, or to the `localStorage` object given.
 */
export const oauthLoginUrl = later("oauthLoginUrl") as (params?: OauthLoginUrlParams) => Promise<string>;

/**
 * Finishes a sign-in on the page the Hub sent the browser back to: checks `state`, exchanges
 * the code (PKCE), reads who signed in. A refused consent is `AuthRequired` with the Hub's
 * reason; a `state` this sign-in did not make is `InvalidInput`.
 */
export const oauthHandleRedirect = later("oauthHandleRedirect") as (params?: OauthHandleRedirectParams) => Promise<OAuthResult>;

/** `oauthHandleRedirect` when the URL carries a `code` or an `error` this browser can finish; `false` otherwise. */
export const oauthHandleRedirectIfPresent = later("oauthHandleRedirectIfPresent") as (params?: OauthHandleRedirectIfPresentParams) => Promise<OAuthResult | false>;
