import { check } from "./check.js";
import { splitCommon } from "./params.js";
import type { AuthInfo, CommonParams, WhoAmI } from "./types.js";
import { apiCall } from "./module-api.js";

/** `whoAmI`'s options: the common ones (a token is required). */
export interface WhoAmIParams extends CommonParams {}

/** Who the access token belongs to (a token is required). */
export async function whoAmI(params: WhoAmIParams): Promise<WhoAmI & { auth: AuthInfo }> {
	check("whoAmI", params);
	const { wire, fetch, signal } = splitCommon(params, {});
	return (await apiCall("whoAmI", wire, fetch, signal)) as WhoAmI & { auth: AuthInfo };
}
