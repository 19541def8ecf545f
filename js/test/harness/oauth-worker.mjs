// A Worker that hosts "Sign in with Hugging Face" (run by workerd-oauth.test.mjs in workerd):
// `/login` sends the browser to the Hub with the nonce and PKCE verifier in a cookie (a Worker
// has no localStorage), `/callback` finishes the sign-in from that cookie and says who signed in.
// `HUB_URL` is a binding.
import { HubError, oauthHandleRedirectIfPresent, oauthLoginUrl } from "../../dist/workerd.js";

const COOKIE = "hf_oauth";

export default {
	async fetch(request, env) {
		const url = new URL(request.url);
		try {
			if (url.pathname === "/login") {
				const kept = {};
				const to = await oauthLoginUrl({
					hubUrl: env.HUB_URL,
					clientId: "hubwasm-local",
					redirectUrl: `${url.origin}/callback`,
					scopes: "openid profile write-repos",
					localStorage: kept,
				});
				const cookie = `${COOKIE}=${btoa(JSON.stringify(kept))}; Path=/callback; HttpOnly; SameSite=Lax; Max-Age=600`;
				return new Response(null, { status: 302, headers: { location: to, "set-cookie": cookie } });
			}
			if (url.pathname === "/callback") {
				const raw = (request.headers.get("cookie") ?? "").split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1);
				const kept = raw ? JSON.parse(atob(raw)) : {};
				const out = await oauthHandleRedirectIfPresent({ hubUrl: env.HUB_URL, redirectedUrl: request.url, nonce: kept.nonce, codeVerifier: kept.codeVerifier });
				if (!out) return Response.json({ signedIn: false }, { status: 400 });
				// A real Worker would keep the token in its own session; the test checks it.
				return Response.json(
					{ user: out.userInfo.preferred_username, scope: out.scope, accessToken: out.accessToken, expiresAt: out.accessTokenExpiresAt.toISOString() },
					{ headers: { "set-cookie": `${COOKIE}=; Path=/callback; Max-Age=0` } },
				);
			}
			return new Response("not found", { status: 404 });
		} catch (err) {
			if (err instanceof HubError) return Response.json({ code: err.code, message: err.message }, { status: 400 });
			return Response.json({ code: "Error", message: String(err) }, { status: 500 });
		}
	},
};
