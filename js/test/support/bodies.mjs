// Response bodies that misbehave on purpose, for the cache tests.

/**
 * `resp` with a body that passes the first `after` bytes (whole chunks) and then answers its
 * reader with `stop()`: a promise that never settles stalls it, one that rejects cuts it.
 */
export function bodyStoppingAfter(resp, after, stop) {
  const reader = resp.body.getReader();
  let sent = 0;
  const body = new ReadableStream({
    async pull(ctl) {
      if (sent >= after) return stop();
      const { done, value } = await reader.read();
      if (done) return ctl.close();
      sent += value.length;
      ctl.enqueue(value);
    },
  });
  Object.defineProperty(resp, "body", { value: body });
  return resp;
}
