// Bits shared by the three runner files (node/chromium/workerd.test.mjs).
import { startHub, seedFixtures } from "./hub.mjs";

/** Per-case time limit, so a hung case fails instead of hanging the run. */
export const caseTimeoutMs = Number(process.env.HUBWASM_CASE_TIMEOUT_MS) || 60_000;

/** A read-only token of the main user (`ctx.tokens.read`). */
export const READ_TOKEN = "hf_readonly_test_user_token";

/** Page size for the Hub's tree listing: small, so the 9 fixture files need several pages. */
export const PAGE_SIZE = 3;

/** import() with a hint about which build step is missing. */
export async function importBuilt(url, hint) {
  try {
    return await import(url);
  } catch (err) {
    if (err?.code === "ERR_MODULE_NOT_FOUND") {
      throw new Error(`cannot import ${url}: ${err.message}\nHint: ${hint}`, { cause: err });
    }
    throw err;
  }
}

export const loadScenario = async () => {
  const { cases } = await importBuilt(new URL("../../test-dist/scenario.js", import.meta.url),
    "compile the scenario with `npx tsc -p tsconfig.test.json` in js/.");
  if (!Array.isArray(cases) || cases.length === 0) throw new Error("test-dist/scenario.js exports no cases");
  return cases;
};

/** Start the Hub, seed fixtures; returns { hub, ctx } where ctx is the JSON part of the scenario Ctx. */
export async function hubWithFixtures() {
  // Small multipart settings so uploads of a megabyte or two exercise parts; faults for the
  // retry cases.
  const hub = await startHub({
    pageSize: PAGE_SIZE,
    args: ["--multipart-threshold", String(1 << 20), "--chunk-size", String(256 << 10), "--faults"],
    // Another user (write token in ctx.tokens) and a read-only token of the main user, for the
    // access cases.
    users: ["other-user"],
    tokens: [`test-user:${READ_TOKEN}:read`],
  });
  try {
    const fixtures = await seedFixtures(hub);
    return { hub, ctx: { hubUrl: hub.url, token: hub.token, tokens: { ...hub.tokens, read: READ_TOKEN }, fixtures } };
  } catch (err) {
    await hub.stop();
    throw err;
  }
}

/** Turn a failure reported from another runtime ({ error, stack }) back into a thrown Error. */
export function remoteFailure(runtime, result) {
  const err = new Error(`[${runtime}] ${result.error}`);
  if (result.stack) err.stack = `Error: ${err.message}\n--- ${runtime} stack ---\n${result.stack}`;
  return err;
}

/** Run every cleanup step even if an earlier one throws (a failed dispose must not leave the Hub up). */
export async function cleanUp(...steps) {
  const errors = [];
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length) throw errors[0];
}
