// Assertions and small tools shared by the scenario's cases.
import type * as HubApi from "../dist/api.js";
import type { Ctx, FixtureFile } from "./support/types.js";

export type Hub = typeof HubApi;
export type C = Ctx<Hub>;

export function assert(cond: unknown, message: string): asserts cond {
	if (!cond) throw new Error(message);
}

/** A `fetch` that fails if it is ever called: for input that must be refused before any request. */
export const refusingFetch = (async () => {
	throw new TypeError("no request may be made");
}) as typeof fetch;

export function eq<T>(got: T, want: T, what: string): void {
	const g = JSON.stringify(got);
	const w = JSON.stringify(want);
	assert(g === w, `${what}: got ${g}, want ${w}`);
}

export function bytesOf(f: FixtureFile): Uint8Array {
	return Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
}

export function sameBytes(got: Uint8Array, want: Uint8Array, what: string): void {
	assert(got.length === want.length, `${what}: ${got.length} bytes, want ${want.length}`);
	for (let i = 0; i < got.length; i++) {
		assert(got[i] === want[i], `${what}: byte ${i} differs`);
	}
}

export async function gitBlobSha1(bytes: Uint8Array): Promise<string> {
	const header = new TextEncoder().encode(`blob ${bytes.length}\0`);
	const all = new Uint8Array(header.length + bytes.length);
	all.set(header);
	all.set(bytes, header.length);
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", all));
	return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A fetch that records every URL it is asked for. */
export function countingFetch(): { fetch: typeof fetch; urls: string[] } {
	const urls: string[] = [];
	return {
		urls,
		fetch: (input, init) => {
			urls.push(String(input instanceof Request ? input.url : input));
			return globalThis.fetch(input, init);
		},
	};
}

export async function expectHubError(p: Promise<unknown>, hub: Hub, code: string, what: string): Promise<HubApi.HubError> {
	try {
		await p;
	} catch (e) {
		assert(e instanceof hub.HubError, `${what}: expected a HubError, got ${String(e)}`);
		eq(e.code, code, `${what}: code`);
		return e;
	}
	throw new Error(`${what}: expected ${code}, but the call succeeded`);
}

export async function drain<T>(gen: AsyncGenerator<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const x of gen) out.push(x);
	return out;
}


/** Deterministic pseudo-random bytes (xorshift32). */
export function noise(n: number, seed: number): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(n);
	let x = seed >>> 0 || 1;
	for (let i = 0; i < n; i++) {
		x ^= x << 13;
		x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5;
		x >>>= 0;
		out[i] = x & 0xff;
	}
	return out;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
	const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
	return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A call to the local Hub's test-only admin API. */
export async function admin(c: C, method: string, path: string, body?: unknown): Promise<any> {
	const resp = await fetch(`${c.hubUrl}/__admin/${path}`, {
		method,
		headers: body === undefined ? {} : { "content-type": "application/json" },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	assert(resp.ok, `admin ${method} ${path} → ${resp.status}: ${await resp.clone().text()}`);
	return resp.json();
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: string | null;
	status: number;
	auth: boolean;
	origin?: string;
}

/** A fresh repo for one case, so cases never see each other's commits. */
export async function freshRepo(c: C, prefix: string): Promise<string> {
	const repo = `${c.fixtures.publicRepo.split("/")[0]}/${prefix}-${c.runtime}-${Math.random().toString(36).slice(2, 8)}`;
	await c.hub.createRepo({ repo, hubUrl: c.hubUrl, accessToken: c.token });
	return repo;
}

/** A fresh, empty cache in this runtime's own store: IndexedDB (Chromium), the Cache API
 * (workerd), the huggingface_hub folder layout (Node). */
export function runtimeCache(c: C, prefix: string): HubApi.CacheStore {
	const id = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
	if (c.runtime === "chromium") return new c.hub.IndexedDbCache({ name: id });
	if (c.runtime === "workerd") return new c.hub.CacheApiStore({ name: id });
	const node = c.hub as unknown as { FileSystemCache: new (o: { cacheDir: string }) => HubApi.CacheStore };
	return new node.FileSystemCache({ cacheDir: `/tmp/hubwasm-${id}` });
}
