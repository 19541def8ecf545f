/** The options and results of `countCommits` (its code is in `refs-impl.ts`, loaded by its first call). */
import type { RepoParams } from "./types.js";

export interface CountCommitsParams extends RepoParams {}
