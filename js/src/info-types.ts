/**
 * The public types of repo info and search, with `@huggingface/hub`'s names: what every entry
 * shows (`ModelEntry`, `DatasetEntry`, `SpaceEntry`) and the fields `additionalFields` can add
 * (the Hub's `expand`), typed; dates are `Date`s. A field the Hub has no value for is left out.
 */
import type { CommonParams, RepoDesignation } from "./types.js";

export type Gated = false | "auto" | "manual";

export interface ModelEntry {
	/** The Hub's internal id. */
	id: string;
	/** `namespace/name`. */
	name: string;
	private: boolean;
	gated: Gated;
	/** The pipeline tag (`text-generation`, …). */
	task?: string;
	likes: number;
	/** Downloads over the last 30 days. */
	downloads: number;
	updatedAt: Date;
}

export interface DatasetEntry {
	id: string;
	name: string;
	private: boolean;
	downloads: number;
	gated: Gated;
	likes: number;
	updatedAt: Date;
}

export interface SpaceEntry {
	id: string;
	name: string;
	/** `gradio`, `docker`, `static`, … */
	sdk?: string;
	likes: number;
	private: boolean;
	updatedAt: Date;
}

/** A file of `siblings`. */
export interface RepoSibling {
	rfilename: string;
	size?: number;
	blobId?: string;
	lfs?: { sha256: string; size: number; pointerSize: number };
}

/** One provider serving a model (`inferenceProviderMapping`, one list shape for info and search). */
export interface InferenceProviderMappingEntry {
	provider: string;
	hfModelId: string;
	providerId: string;
	status: "live" | "staging";
	task: string;
	[more: string]: unknown;
}

/** Fields every kind can add. */
interface CommonFields {
	author: string;
	/** The README's YAML front matter. */
	cardData?: Record<string, unknown>;
	createdAt: Date;
	disabled: boolean;
	lastModified: Date;
	likes: number;
	private: boolean;
	resourceGroup?: unknown;
	/** The commit of the revision asked for. */
	sha: string;
	siblings: RepoSibling[];
	/** Every file's path (from `siblings`). */
	filePaths: string[];
	tags: string[];
	trendingScore: number;
	usedStorage: number;
	xetEnabled: boolean;
}

/** The fields `additionalFields` adds to a model. */
export interface ModelFields extends CommonFields {
	baseModels?: unknown;
	childrenModelCount?: number;
	config?: Record<string, unknown>;
	downloads: number;
	downloadsAllTime: number;
	evalResults?: unknown;
	gated: Gated;
	gguf?: Record<string, unknown>;
	inference?: string;
	inferenceProviderMapping: InferenceProviderMappingEntry[];
	library_name?: string;
	mask_token?: string;
	"model-index"?: unknown;
	pipeline_tag?: string;
	/** Parameters per dtype and in all, from the safetensors headers. */
	safetensors?: { parameters: Record<string, number>; total: number };
	/** Spaces using the model. */
	spaces: string[];
	transformersInfo?: { auto_model: string; custom_class?: string; pipeline_tag?: string; processor?: string };
	widgetData?: unknown;
}

/** The fields `additionalFields` adds to a dataset. */
export interface DatasetFields extends CommonFields {
	citation?: string;
	description?: string;
	downloads: number;
	downloadsAllTime: number;
	gated: Gated;
	mainSize?: number;
	paperswithcode_id?: string;
}

/** The fields `additionalFields` adds to a space. */
export interface SpaceFields extends CommonFields {
	datasets?: string[];
	models?: string[];
	region?: string;
	/** Its stage, hardware, storage … (docs/hub-protocol.md §7). */
	runtime?: Record<string, unknown>;
	sdk?: string;
	subdomain?: string;
}

export type ModelAdditionalField = keyof ModelFields;
export type DatasetAdditionalField = keyof DatasetFields;
export type SpaceAdditionalField = keyof SpaceFields;

export type ModelInfo<T extends ModelAdditionalField = never> = ModelEntry & Pick<ModelFields, T>;
export type DatasetInfo<T extends DatasetAdditionalField = never> = DatasetEntry & Pick<DatasetFields, T>;
export type SpaceInfo<T extends SpaceAdditionalField = never> = SpaceEntry & Pick<SpaceFields, T>;

interface InfoParams<T> extends CommonParams {
	/** `namespace/name`. */
	name: string;
	/** Branch, tag, `refs/pr/N` or commit id; the default branch when absent. */
	revision?: string;
	/** More fields to ask for; they are added to the entry under their own names. */
	additionalFields?: T[];
}

export type ModelInfoParams<T extends ModelAdditionalField = never> = InfoParams<T>;
export type DatasetInfoParams<T extends DatasetAdditionalField = never> = InfoParams<T>;
export type SpaceInfoParams<T extends SpaceAdditionalField = never> = InfoParams<T>;

export interface RepoInfoParams extends CommonParams {
	repo: RepoDesignation;
	revision?: string;
	/** Fields of the repo's kind, as for `modelInfo`, `datasetInfo` or `spaceInfo`. */
	additionalFields?: string[];
}

/** What `repoInfo` answers: the entry of the repo's kind and the fields asked for. */
export type RepoInfo = (ModelEntry | DatasetEntry | SpaceEntry) & Record<string, unknown>;

/** What a search looks for. */
export interface RepoSearch {
	/** A part of the repo's name. */
	query?: string;
	/** The user or organization owning the repos. */
	owner?: string;
	/** Tags every repo found carries (`license:mit`, `en`, `dataset:squad`, …). */
	tags?: string[];
}

/** The orders a search can take, largest first. */
export type RepoSort = "createdAt" | "downloads" | "likes" | "lastModified" | "likes7d" | "likes30d" | "trendingScore" | "num_parameters" | "mainSize" | "id";

interface ListParams<T> extends CommonParams {
	additionalFields?: T[];
	/** How many repos to yield at most (all that match when absent). */
	limit?: number;
	sort?: RepoSort;
}

export interface ListModelsParams<T extends ModelAdditionalField = never> extends ListParams<T> {
	search?: RepoSearch & {
		/** The pipeline tag (`text-generation`, …). */
		task?: string;
	};
}

export interface ListDatasetsParams<T extends DatasetAdditionalField = never> extends ListParams<T> {
	search?: RepoSearch;
}

export interface ListSpacesParams<T extends SpaceAdditionalField = never> extends ListParams<T> {
	search?: RepoSearch;
	sort?: Exclude<RepoSort, "downloads">;
}

export interface ListRepoLikersParams extends CommonParams {
	repo: RepoDesignation;
	/** Likers per request (the Hub's page size when absent). */
	batchSize?: number;
}

export interface LikeParams extends CommonParams {
	repo: RepoDesignation;
}
