/** The `hash` module: incremental SHA-256 and git blob SHA-1 in wasm. */
import * as glue from "../wasm/hash.js";
import { loadModule } from "./wasm.js";

/** The module's classes (`Sha256`, `GitBlobSha1`), loaded on first use. */
export const hash = () => loadModule("hash", glue, () => new URL("../wasm/hash_bg.wasm", import.meta.url));
