// Bundles the peers for the browser benchmarks into bench/.build/ (esbuild, browser platform),
// so the page can import them without an import map.
import { build } from "esbuild";

await build({
  stdin: {
    // The package's `exports` hide its browser build; import that file by path.
    contents: `export { __internal_sha256, downloadFile, uploadFiles } from "./node_modules/@huggingface/hub/dist/browser/index.mjs";
      export { createSHA256 } from "hash-wasm";`,
    resolveDir: new URL(".", import.meta.url).pathname,
  },
  bundle: true,
  format: "esm",
  platform: "browser",
  outfile: new URL("./.build/peers.js", import.meta.url).pathname,
  logLevel: "warning",
});
