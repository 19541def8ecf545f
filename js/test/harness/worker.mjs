// Worker run by workerd.test.mjs inside real workerd (miniflare). The static imports below are
// resolved by miniflare from js/, so dist/workerd.js gets its .wasm as a compiled module, as on Cloudflare.
import * as hub from "../../dist/workerd.js";
import { cases } from "../../test-dist/scenario.js";
import { runCase, describeError } from "./run-case.mjs";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    try {
      if (request.method === "GET" && url.pathname === "/cases") {
        return Response.json(cases.map((c) => c.name));
      }
      if (request.method === "POST" && url.pathname === "/run") {
        const { name, ctx } = await request.json();
        return Response.json(await runCase(cases, name, { ...ctx, hub, runtime: "workerd" }));
      }
      return new Response("not found", { status: 404 });
    } catch (err) {
      return Response.json(describeError(err));
    }
  },
};
