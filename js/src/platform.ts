/**
 * Small differences between runtimes that entry points register. Browsers and Workers build a
 * `Blob` from a response natively; Node's `Response.blob()` holds the body twice and reads back
 * slowly, so the Node entry swaps in a piecewise builder.
 */
let collect: (resp: Response) => Promise<Blob> = (resp) => resp.blob();

export function setBodyCollector(fn: (resp: Response) => Promise<Blob>): void {
	collect = fn;
}

/** The whole body of `resp` as a `Blob`, the fastest way this runtime has. */
export function bodyToBlob(resp: Response): Promise<Blob> {
	return collect(resp);
}
