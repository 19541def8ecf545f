/**
 * The code of refs and history (`refs.ts`), over the page's modules handed in (`lazy.ts`), in the
 * `refs` module.
 */
import type { CountCommitsParams } from "./count-commits.js";
import type { CreateBranchParams } from "./create-branch.js";
import type { CreateTagParams } from "./create-tag.js";
import type { DeleteBranchParams } from "./delete-branch.js";
import type { DeleteTagParams } from "./delete-tag.js";
import type { LazyDeps } from "./lazy.js";
import type { CommitData, ListCommitsParams } from "./list-commits.js";
import type { ListRepoRefsOutput, ListRepoRefsParams } from "./list-repo-refs.js";
import type { Calls, RefsCall } from "./wire.js";

export function refsCalls([check, COUNT, , , , , , splitRepo, runCall, loadModule]: LazyDeps) {
	const refs = () => loadModule("refs", () => import("../wasm/refs.js"), () => new URL("../wasm/refs_bg.wasm", import.meta.url));
	/** The calls that change refs: repeated only when the Hub provably did not apply them. */
	const WRITES: ReadonlySet<RefsCall> = new Set(["createBranch", "deleteBranch", "createTag", "deleteTag"]);
	const refsCall = async <N extends RefsCall>(name: N, options: Calls[N]["options"], fetchFn: typeof fetch, signal: AbortSignal | undefined): Promise<Calls[N]["output"]> =>
		runCall(await refs(), name, options, fetchFn, signal, WRITES.has(name));

	async function listRepoRefs(params: ListRepoRefsParams): Promise<ListRepoRefsOutput> {
		check("listRepoRefs", params, {}, ["repo"]);
		const prs = params.includePullRequests ?? false;
		const { wire, fetch, signal } = splitRepo({ ...params, revision: undefined }, { includePullRequests: prs });
		const refs = await refsCall("listRepoRefs", wire, fetch, signal);
		return prs ? { ...refs, pullRequests: refs.pullRequests ?? [] } : refs;
	}

	async function createBranch(params: CreateBranchParams): Promise<void> {
		check("createBranch", params, {}, ["repo", "branch"]);
		const { wire, fetch, signal } = splitRepo(params, { branch: params.branch, empty: params.empty ?? false, overwrite: params.overwrite ?? false });
		await refsCall("createBranch", wire, fetch, signal);
	}

	async function deleteBranch(params: DeleteBranchParams): Promise<void> {
		check("deleteBranch", params, {}, ["repo", "branch"]);
		const { wire, fetch, signal } = splitRepo({ ...params, revision: undefined }, { branch: params.branch });
		await refsCall("deleteBranch", wire, fetch, signal);
	}

	async function createTag(params: CreateTagParams): Promise<void> {
		check("createTag", params, {}, ["repo", "tag"]);
		const { wire, fetch, signal } = splitRepo(params, { tag: params.tag, tagMessage: params.tagMessage });
		await refsCall("createTag", wire, fetch, signal);
	}

	async function deleteTag(params: DeleteTagParams): Promise<void> {
		check("deleteTag", params, {}, ["repo", "tag"]);
		const { wire, fetch, signal } = splitRepo({ ...params, revision: undefined }, { tag: params.tag });
		await refsCall("deleteTag", wire, fetch, signal);
	}

	async function* listCommits(params: ListCommitsParams): AsyncGenerator<CommitData> {
		check("listCommits", params, { batchSize: COUNT }, ["repo"]);
		const { wire, fetch, signal } = splitRepo(params, { batchSize: params.batchSize });
		let next: string | undefined;
		do {
			const page = await refsCall("listCommits", { ...wire, next }, fetch, signal);
			for (const c of page.commits) yield { ...c, date: new Date(c.date) };
			next = page.next ?? undefined;
		} while (next);
	}

	async function countCommits(params: CountCommitsParams): Promise<number> {
		check("countCommits", params, {}, ["repo"]);
		const { wire, fetch, signal } = splitRepo(params, {});
		return refsCall("countCommits", wire, fetch, signal);
	}

	return { listRepoRefs, createBranch, deleteBranch, createTag, deleteTag, listCommits, countCommits };
}
