//! The state machines JavaScript is driving, kept between calls under small integer ids.

use alloc::vec::Vec;
use core::cell::RefCell;

/// Values under ids; a freed id is reused.
pub struct Slab<T>(RefCell<Vec<Option<T>>>);

// SAFETY: wasm32 without the atomics feature runs one thread, so the cell is never shared
// between threads.
unsafe impl<T> Sync for Slab<T> {}

impl<T> Slab<T> {
    /// An empty slab.
    pub const fn new() -> Self {
        Slab(RefCell::new(Vec::new()))
    }

    /// Stores `v`; returns its id.
    pub fn insert(&self, v: T) -> u32 {
        let mut s = self.0.borrow_mut();
        match s.iter().position(Option::is_none) {
            Some(i) => {
                s[i] = Some(v);
                i as u32
            }
            None => {
                s.push(Some(v));
                (s.len() - 1) as u32
            }
        }
    }

    /// Runs `f` on the value under `id`, if there is one.
    pub fn with<R>(&self, id: u32, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        self.0
            .borrow_mut()
            .get_mut(id as usize)
            .and_then(Option::as_mut)
            .map(f)
    }

    /// Takes the value out (the id is free again).
    pub fn take(&self, id: u32) -> Option<T> {
        self.0
            .borrow_mut()
            .get_mut(id as usize)
            .and_then(Option::take)
    }

    /// Puts a value back under `id` (after [`Slab::take`]).
    #[cfg(feature = "commit")]
    pub fn put(&self, id: u32, v: T) {
        if let Some(slot) = self.0.borrow_mut().get_mut(id as usize) {
            *slot = Some(v);
        }
    }
}
