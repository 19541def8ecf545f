/** The `commit` module: the commit state machine that `commit-driver.ts` drives. */
import * as glue from "../wasm/commit.js";
import { loadModule } from "./wasm.js";

/** The module's exports, loaded on first use. */
export const commitModule = () => loadModule("commit", glue, () => new URL("../wasm/commit_bg.wasm", import.meta.url));
