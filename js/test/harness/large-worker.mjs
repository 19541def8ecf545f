// Worker run by workerd-large.test.mjs inside real workerd (miniflare): what a Worker serving Hub
// files writes, `new Response(await downloadFile({ …, stream: true }))`, with the Cache API store
// or without a cache. GET /download?hubUrl=…&token=…&repo=…&revision=…&path=…&cache=store|none[&range=a-b]
// [&blob=1: without `stream: true`, the Blob as the body — the test's control of its measurement];
// GET /streamed-read: CacheApiStore.readBlob(etag, size, true) checked on its own.
import { CacheApiStore, downloadFile } from "../../dist/workerd.js";

/** CacheApiStore's streamed read on its own (GET /streamed-read): what `downloadFile` relies on. */
async function streamedRead() {
  const eq = (a, b, what) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
  };
  const store = new CacheApiStore({ name: `streamed-${Date.now()}-${Math.random()}` });
  const put = async (etag, text) => {
    const data = new TextEncoder().encode(text);
    const w = await store.openWriter(etag, data.length);
    for (let i = 0; i < data.length; i += 7000) await w.write(data.subarray(i, i + 7000));
    await w.complete();
  };
  const text = "streamed from the cache ".repeat(5000);
  eq(await store.readBlob("S", text.length, true), undefined, "no blob before the writer");
  await put("S", text);
  const read = await store.readBlob("S", text.length, true);
  eq([typeof read, read instanceof Blob], ["object", false], "an object, not a Blob (workerd would send a Blob's own bytes)");
  eq(read.size, text.length, "size");
  eq(await new Response(read.stream()).text(), text, "its stream as a Response body");
  eq(await store.readBlob("S", text.length + 1, true), undefined, "a size mismatch is a miss");
  eq(await (await store.readBlob("S", text.length)).text(), text, "a plain read is still a Blob");
  await put("E", "");
  const empty = await store.readBlob("E", 0, true);
  eq([empty.size, await new Response(empty.stream()).text()], [0, ""], "an empty file");
  await store.delete();
}

export default {
  async fetch(request) {
    const q = new URL(request.url).searchParams;
    try {
      if (new URL(request.url).pathname === "/streamed-read") {
        await streamedRead();
        return new Response("ok");
      }
      const range = q.get("range")?.split("-").map(Number);
      const blob = q.get("blob") === "1";
      const body = await downloadFile({
        hubUrl: q.get("hubUrl"),
        accessToken: q.get("token"),
        repo: q.get("repo"),
        revision: q.get("revision") ?? undefined,
        path: q.get("path"),
        cache: q.get("cache") === "store" ? new CacheApiStore({ cache: caches.default }) : false,
        ...(range && { range }),
        stream: !blob,
      });
      if (body === null) return new Response("no such file", { status: 404 });
      if (!blob && !(body instanceof ReadableStream)) throw new Error(`stream: true gave ${Object.prototype.toString.call(body)}`);
      // A type, or miniflare (like Cloudflare's front line for a response without one) gzips the
      // body, and Node's side of dispatchFetch then inflates it at a few MB/s.
      return new Response(body, { headers: { "content-type": "application/octet-stream" } });
    } catch (err) {
      return new Response(`${err?.name}: ${err?.code ?? ""} ${err?.message}\n${err?.stack ?? ""}`, { status: 500 });
    }
  },
};
