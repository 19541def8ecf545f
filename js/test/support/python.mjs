// The official Python client (huggingface_hub from the conformance venv), for the interop tests.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The venv's Python: $HUBWASM_PYTHON, else the repo's .venv (made by tests/conformance/setup.sh). */
export const venvPython = process.env.HUBWASM_PYTHON || join(repoRoot, ".venv", "bin", "python");

/** Makes sure the conformance venv (huggingface_hub) exists; installs it the way `make test` does. */
export function ensurePython() {
  const ok = () => existsSync(venvPython) && spawnSync(venvPython, ["-c", "import huggingface_hub"], { cwd: tmpdir() }).status === 0;
  if (ok()) return;
  const r = spawnSync("bash", [join(repoRoot, "tests", "conformance", "setup.sh")], { stdio: "inherit" });
  if (r.status !== 0 || !ok()) throw new Error(`no Python huggingface_hub at ${venvPython} (tests/conformance/setup.sh failed)`);
}

/** The environment for a Python child: ours without HF_* settings (no token file, no proxies, no xet), plus `env`. */
export function pythonEnv(env = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HF_|HUGGINGFACE_)/.test(k)));
  return {
    ...clean,
    HF_HUB_DISABLE_XET: "1",
    HF_HUB_DISABLE_TELEMETRY: "1",
    HF_HUB_DISABLE_PROGRESS_BARS: "1",
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
    ...env,
  };
}
