/**
 * Repo info, search and likes: `modelInfo`, `datasetInfo`, `spaceInfo`, `repoInfo`,
 * `listModels`, `listDatasets`, `listSpaces`, `listRepoLikers`, `like`, `unlike`; and
 * `moveRepo`, `updateRepoSettings` and `duplicateRepo`, as rare (they run in the `manage`
 * module). These are stubs; the code
 * (`info-impl.ts`) and then the module load with the first call, so a page that makes none
 * carries only these few lines.
 */
import { check, COUNT, isObject, REPO, STRING, STRINGS } from "./check.js";
import { runCall } from "./drive.js";
import type * as Info from "./info-types.js";
import { splitCommon, splitRepo } from "./params.js";
import { loadModule } from "./wasm.js";
import type { RepoLiker } from "./wire.js";
import type { DuplicateRepoParams } from "./duplicate-repo.js";
import type { MoveRepoParams } from "./move-repo.js";
import type { UpdateRepoSettingsParams } from "./update-repo-settings.js";

/**
 * What the code of these calls uses of the page's modules (see `info-impl.ts`), by position: a
 * list costs the page fewer bytes than an object's keys.
 */
const deps = [check, COUNT, isObject, REPO, STRING, STRINGS, splitCommon, splitRepo, runCall, loadModule] as const;
export type InfoDeps = typeof deps;

type Impl = ReturnType<typeof import("./info-impl.js").make>;

/** The function `k` of the code, loaded by its first call. */
const later =
	(k: keyof Impl) =>
	async (p: unknown): Promise<any> =>
		((await import("./info-impl.js")).make(deps)[k] as (p: unknown) => unknown)(p);

/** The same for a generator: it loads the code when first read. */
const laterGen = (k: keyof Impl) =>
	async function* (p: unknown) {
		yield* await later(k)(p);
	};

type Info<P, R> = (params: P) => Promise<R>;
type List<P, R> = (params?: P) => AsyncGenerator<R>;

/** A model's info at a revision: what every model entry shows, and `additionalFields`. */
export const modelInfo = later("modelInfo") as <const T extends Info.ModelAdditionalField = never>(params: Info.ModelInfoParams<T>) => Promise<Info.ModelInfo<T>>;
/** A dataset's info at a revision. */
export const datasetInfo = later("datasetInfo") as <const T extends Info.DatasetAdditionalField = never>(params: Info.DatasetInfoParams<T>) => Promise<Info.DatasetInfo<T>>;
/** A space's info at a revision. */
export const spaceInfo = later("spaceInfo") as <const T extends Info.SpaceAdditionalField = never>(params: Info.SpaceInfoParams<T>) => Promise<Info.SpaceInfo<T>>;
/** Any repo's info, its kind from `repo` (as `huggingface_hub`'s `repo_info`). */
export const repoInfo = later("repoInfo") as Info<Info.RepoInfoParams, Info.RepoInfo>;
/** Models matching a search, in the order asked for, fetched a page at a time as they are read. */
export const listModels = laterGen("listModels") as <const T extends Info.ModelAdditionalField = never>(params?: Info.ListModelsParams<T>) => AsyncGenerator<Info.ModelInfo<T>>;
/** Datasets matching a search. */
export const listDatasets = laterGen("listDatasets") as <const T extends Info.DatasetAdditionalField = never>(params?: Info.ListDatasetsParams<T>) => AsyncGenerator<Info.DatasetInfo<T>>;
/** Spaces matching a search. */
export const listSpaces = laterGen("listSpaces") as <const T extends Info.SpaceAdditionalField = never>(params?: Info.ListSpacesParams<T>) => AsyncGenerator<Info.SpaceInfo<T>>;
/** The users who liked a repo, a page at a time. */
export const listRepoLikers = laterGen("listRepoLikers") as List<Info.ListRepoLikersParams, RepoLiker>;
/** Likes a repo as the token's owner (liking again changes nothing). */
export const like = later("like") as Info<Info.LikeParams, void>;
/** Takes the token owner's like back (none: nothing changes). */
export const unlike = later("unlike") as Info<Info.LikeParams, void>;
/**
 * Copies a repo on the Hub, its history and files with it, under a new id (`huggingface_hub`'s
 * `duplicate_repo`): nothing passes through the page. A taken `toRepo` is a `Conflict` unless
 * `existOk`.
 */
export const duplicateRepo = later("duplicateRepo") as Info<DuplicateRepoParams, { repoUrl: string }>;
/**
 * Renames a repo or moves it to another namespace (`huggingface_hub`'s `move_repo`). The old id
 * keeps answering with a redirect to the new one; a taken new id is a `Conflict`.
 */
export const moveRepo = later("moveRepo") as Info<MoveRepoParams, void>;
/** Changes a repo's visibility or gating (`huggingface_hub`'s `update_repo_settings`); at least one is required. */
export const updateRepoSettings = later("updateRepoSettings") as Info<UpdateRepoSettingsParams, void>;
