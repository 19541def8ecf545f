//! The WebAssembly shell: the core's calls and state machines as synchronous exports that take
//! and return JSON text (and bytes). JavaScript drives them: it sends each request with the
//! caller's `fetch`, feeds the answer back, and keeps every `Response`, `Blob` and stream on its
//! side, so no body ever passes through wasm memory unless the core must read it.
//!
//! Each `.wasm` the package ships is this shell built with one module feature (`files`,
//! `commit`, `hash`, `api`, `refs`, `repos`; all but `commit` and `hash` turn on `calls`): a page loads only the modules of the calls it makes. The shell
//! is `no_std` with a small allocator and a panic handler that traps, so a module carries no
//! formatting or unwinding machinery it does not use (ARCHITECTURE.md, "Modules").

#[cfg(any(feature = "calls", feature = "commit"))]
mod envelope;
#[cfg(any(feature = "calls", feature = "commit"))]
mod slab;

#[cfg(feature = "calls")]
mod calls;
#[cfg(feature = "commit")]
mod commit;
#[cfg(feature = "files")]
mod files;
#[cfg(feature = "hash")]
mod hash;
#[cfg(any(feature = "calls", feature = "commit"))]
mod retry;

#[cfg(test)]
mod tests;

// A module makes few allocations at a time; a free list of a few hundred bytes of code does
// the job (dlmalloc costs ~7.7 KB of wasm; docs/boundary.md).
#[cfg(all(feature = "standalone", not(test)))]
#[global_allocator]
// SAFETY: wasm32 without the atomics feature runs one thread.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// A panic is a bug (inputs are checked, parsers return errors): trap at once instead of
/// linking the machinery that formats a message nobody reads.
#[cfg(all(feature = "standalone", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
