//! Progress events for the caller's `onProgress`: phases of the commit and, per file, bytes
//! hashed and uploaded, then committed. Shapes follow `@huggingface/hub`'s
//! `uploadFilesWithProgress` events, with byte counts added.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// The caller's callback, if any.
#[derive(Clone)]
pub struct Progress(Option<Function>);

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

impl Progress {
    /// Wraps `onProgress` (`undefined` for none).
    pub fn new(cb: JsValue) -> Progress {
        Progress(cb.dyn_into::<Function>().ok())
    }

    fn emit(&self, ev: Object) {
        if let Some(f) = &self.0 {
            // A throwing callback must not break the upload.
            let _ = f.call1(&JsValue::UNDEFINED, &ev);
        }
    }

    /// `{ event: "phase", phase }`
    pub fn phase(&self, phase: &str) {
        let o = Object::new();
        set(&o, "event", &"phase".into());
        set(&o, "phase", &phase.into());
        self.emit(o);
    }

    /// `{ event: "fileProgress", path, state, progress, bytes, total }`
    pub fn file(&self, path: &str, state: &str, bytes: u64, total: u64) {
        let o = Object::new();
        set(&o, "event", &"fileProgress".into());
        set(&o, "path", &path.into());
        set(&o, "state", &state.into());
        let fraction = if total == 0 {
            1.0
        } else {
            bytes as f64 / total as f64
        };
        set(&o, "progress", &JsValue::from_f64(fraction));
        set(&o, "bytes", &JsValue::from_f64(bytes as f64));
        set(&o, "total", &JsValue::from_f64(total as f64));
        self.emit(o);
    }
}
