//! The NDJSON commit body, built from pieces so it never sits whole in wasm memory or in JS
//! strings.

use alloc::string::String;
use alloc::vec::Vec;

use js_sys::Array;
use wasm_bindgen::JsValue;

use crate::web::failure::Failure;

/// Inline content is folded into a `Blob` every this many bytes so the JS heap never holds the
/// whole commit body as strings.
const FOLD_BYTES: usize = 16 * 1024 * 1024;
/// Size of the strings the commit body's lines are joined into.
const PIECE_BYTES: usize = 1024 * 1024;

/// The NDJSON commit body as a `Blob` built from pieces: lines are joined into strings of about
/// `PIECE_BYTES` (Node sends each part of a body as its own write, so a thousand one-line parts
/// are slow), and every `FOLD_BYTES` the pieces are folded into a `Blob`, so the body never sits
/// in wasm memory whole.
#[derive(Default)]
pub struct Body {
    parts: Vec<JsValue>,
    piece: String,
    pending: usize,
    folded: Option<JsValue>,
}

impl Body {
    pub fn line(&mut self, line: &str) -> Result<(), Failure> {
        self.pending += line.len();
        if line.len() >= PIECE_BYTES {
            // A large inline file: its own part, without a second copy in wasm memory.
            self.flush_piece();
            self.parts.push(bytes_of(line));
        } else {
            self.piece.push_str(line);
            if self.piece.len() >= PIECE_BYTES {
                self.flush_piece();
            }
        }
        if self.pending >= FOLD_BYTES {
            self.folded = Some(self.fold()?);
            self.pending = 0;
        }
        Ok(())
    }

    fn flush_piece(&mut self) {
        if !self.piece.is_empty() {
            self.parts.push(bytes_of(&self.piece));
            self.piece = String::new();
        }
    }

    fn fold(&mut self) -> Result<JsValue, Failure> {
        self.flush_piece();
        let all = Array::new();
        if let Some(p) = self.folded.take() {
            all.push(&p);
        }
        for v in self.parts.drain(..) {
            all.push(&v);
        }
        blob_of(&all)
    }

    pub fn finish(mut self) -> Result<JsValue, Failure> {
        self.fold()
    }
}

/// Text as UTF-8 bytes in a JS array: a Blob takes them as they are, where a JS string would be
/// decoded from UTF-8 here and encoded again by the Blob.
fn bytes_of(text: &str) -> JsValue {
    js_sys::Uint8Array::from(text.as_bytes()).into()
}

/// `new Blob(parts)`, typed as NDJSON.
fn blob_of(parts: &Array) -> Result<JsValue, Failure> {
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("application/x-ndjson");
    web_sys::Blob::new_with_blob_sequence_and_options(parts, &bag)
        .map(Into::into)
        .map_err(|e| Failure::storage("cannot build the commit body", Some(e)))
}
