/**
 * Repo info, search and likes: `modelInfo`, `datasetInfo`, `spaceInfo`, `repoInfo`,
 * `listModels`, `listDatasets`, `listSpaces`, `listRepoLikers`, `like`, `unlike`: stubs (see
 * `lazy.ts`) whose code is in `info-impl.ts`.
 */
import type * as Info from "./info-types.js";
import { later, laterGen, type Later, type LaterList } from "./lazy.js";
import type { RepoLiker } from "./wire.js";

type Info<P, R> = Later<P, R>;
type List<P, R> = LaterList<P | undefined, R>;

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
