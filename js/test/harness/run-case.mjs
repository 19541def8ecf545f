// Runs one scenario case and returns a JSON-safe result. Loaded by the browser page and the Worker
// (plain ESM, web globals only) so both report failures the same way.

export async function runCase(cases, name, ctx) {
  const c = cases.find((x) => x.name === name);
  if (!c) return { ok: false, error: `no case named ${JSON.stringify(name)}` };
  try {
    await c.run(ctx);
    return { ok: true };
  } catch (err) {
    return describeError(err);
  }
}

export function describeError(err) {
  if (!(err instanceof Error)) return { ok: false, error: `non-Error thrown: ${String(err)}` };
  // HubError-like fields make a failure readable without the stack.
  const extra = ["code", "status"].filter((k) => err[k] !== undefined).map((k) => `${k}=${err[k]}`);
  let error = `${err.name}: ${err.message}${extra.length ? ` (${extra.join(" ")})` : ""}`;
  if (err.cause !== undefined) error += `\ncaused by: ${err.cause instanceof Error ? err.cause.stack ?? err.cause : String(err.cause)}`;
  return { ok: false, error, stack: err.stack };
}
