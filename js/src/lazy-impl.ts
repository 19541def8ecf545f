/**
 * The code behind the stubs of `lazy.ts`, one chunk loaded by the first such call: each area's
 * functions are made over the page's modules handed in (`LazyDeps`).
 */
import { infoCalls } from "./info-impl.js";
import type { LazyDeps } from "./lazy.js";
import { manageCalls } from "./manage-impl.js";
import { oauthCalls } from "./oauth-impl.js";
import { refsCalls } from "./refs-impl.js";

export function make(deps: LazyDeps) {
	return { ...infoCalls(deps), ...manageCalls(deps), ...refsCalls(deps), ...oauthCalls(deps) };
}
