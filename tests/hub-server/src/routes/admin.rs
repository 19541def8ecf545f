//! `/__admin/requests`: lets tests assert exactly which requests a client made.

use axum::http::Method;
use axum::response::{IntoResponse, Response};

use crate::app::App;
use crate::errors::{ApiError, ApiResult};

pub fn requests(app: &App, method: &Method) -> ApiResult<Response> {
    let mut log = app.requests.lock().unwrap_or_else(|p| p.into_inner());
    match *method {
        Method::GET | Method::HEAD => Ok(axum::Json(&*log).into_response()),
        Method::DELETE => {
            log.clear();
            Ok(axum::Json(serde_json::json!({"cleared": true})).into_response())
        }
        _ => Err(ApiError::method_not_allowed()),
    }
}
