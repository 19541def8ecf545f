//! Waiting between retries with the platform's `setTimeout`, cut short by the abort signal.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::errors::is_abort;
use super::failure::Failure;
use crate::error::HubError;

fn global_fn(name: &str) -> Option<Function> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
}

/// Rejects with the signal's reason when it is (or becomes) aborted.
pub fn check_abort(signal: &JsValue) -> Result<(), Failure> {
    if signal.is_undefined() || signal.is_null() {
        return Ok(());
    }
    let aborted = Reflect::get(signal, &JsValue::from_str("aborted"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if aborted {
        let reason =
            Reflect::get(signal, &JsValue::from_str("reason")).unwrap_or(JsValue::UNDEFINED);
        return Err(Failure::Aborted(reason));
    }
    Ok(())
}

/// A promise that never resolves and rejects with the signal's reason when it aborts (at once if
/// it already did); for racing against work that does not watch the signal itself.
pub fn aborted(signal: &JsValue) -> Promise {
    let signal = signal.clone();
    Promise::new(&mut |_resolve, reject| {
        if signal.is_undefined() || signal.is_null() {
            return;
        }
        let reason =
            || Reflect::get(&signal, &JsValue::from_str("reason")).unwrap_or(JsValue::UNDEFINED);
        if Reflect::get(&signal, &JsValue::from_str("aborted"))
            .ok()
            .and_then(|v| v.as_bool())
            == Some(true)
        {
            let _ = reject.call1(&JsValue::UNDEFINED, &reason());
            return;
        }
        let sig = signal.clone();
        let on_abort = Closure::once_into_js(move || {
            let reason =
                Reflect::get(&sig, &JsValue::from_str("reason")).unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::UNDEFINED, &reason);
        });
        if let Ok(add) = Reflect::get(&signal, &JsValue::from_str("addEventListener"))
            .and_then(|f| f.dyn_into::<Function>())
        {
            let opts = js_sys::Object::new();
            let _ = Reflect::set(&opts, &"once".into(), &JsValue::TRUE);
            let _ = add.call3(&signal, &"abort".into(), &on_abort, &opts);
        }
    })
}

/// Sleeps `ms` milliseconds unless `signal` aborts first.
pub async fn sleep_ms(ms: u64, signal: &JsValue) -> Result<(), Failure> {
    check_abort(signal)?;
    let set_timeout = global_fn("setTimeout")
        .ok_or_else(|| HubError::invalid_input("this runtime has no setTimeout"))?;
    let signal = signal.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let _ = set_timeout.call2(&JsValue::UNDEFINED, &resolve, &JsValue::from_f64(ms as f64));
        if !signal.is_undefined() && !signal.is_null() {
            let reject = reject.clone();
            let sig = signal.clone();
            let on_abort = Closure::once_into_js(move || {
                let reason =
                    Reflect::get(&sig, &JsValue::from_str("reason")).unwrap_or(JsValue::UNDEFINED);
                let _ = reject.call1(&JsValue::UNDEFINED, &reason);
            });
            if let Ok(add) = Reflect::get(&signal, &JsValue::from_str("addEventListener")) {
                if let Ok(add) = add.dyn_into::<Function>() {
                    let opts = js_sys::Object::new();
                    let _ = Reflect::set(&opts, &"once".into(), &JsValue::TRUE);
                    let _ = add.call3(&signal, &"abort".into(), &on_abort, &opts);
                }
            }
        }
    });
    match JsFuture::from(promise).await {
        Ok(_) => Ok(()),
        Err(e) if is_abort(&e) => Err(Failure::Aborted(e)),
        Err(e) => Err(Failure::Aborted(e)),
    }
}
