//! hub-server: a local stand-in for the Hugging Face Hub HTTP API, strict enough that the
//! official clients and hubwasm can be tested against it offline. Independent of hubwasm on
//! purpose: two readings of the protocol catch each other's mistakes.

mod app;
mod cli;
mod clock;
mod cors;
mod errors;
mod git;
mod gitattributes;
mod ids;
mod paths;
mod routes;
mod state;
mod storage;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use serde_json::{json, Map, Value};

use crate::app::AppState;
use crate::cli::{Args, USAGE};
use crate::state::State;
use crate::storage::{load_state, BlobStore};

/// The user every server starts with.
const DEFAULT_USER: &str = "test-user";

fn main() {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("hub-server: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    if args.help {
        print!("{USAGE}");
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if let Err(e) = rt.block_on(run(args)) {
        eprintln!("hub-server: {e}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> std::io::Result<()> {
    if let Some(dir) = &args.data {
        std::fs::create_dir_all(dir)?;
    }
    let mut state = match &args.data {
        Some(dir) => load_state(dir)?.unwrap_or_default(),
        None => State::default(),
    };
    let token = state.seed_token(DEFAULT_USER);
    let mut extra = Map::new();
    for user in &args.users {
        extra.insert(user.clone(), Value::String(state.seed_token(user)));
    }
    for (i, t) in args.tokens.iter().enumerate() {
        state.add_token(
            &t.user,
            &t.token,
            t.role,
            &format!("{}-token-{}", t.user, i + 1),
        );
    }
    for org in &args.orgs {
        state.add_org(&org.name, &org.members);
    }
    if let Some(dir) = &args.data {
        storage::save_state(dir, &state)?;
    }

    let blobs = BlobStore::new(args.data.as_deref())?;
    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port))).await?;
    let addr = listener.local_addr()?;
    let app = Arc::new(AppState::new(
        state,
        blobs,
        args.data.clone(),
        args.page_size,
        args.verbose,
    ));
    let router = Router::new()
        .fallback(routes::dispatch)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            app::around,
        ))
        .with_state(app);

    // The first stdout line is the contract with scripts and tests: print it before serving.
    let mut line = json!({"url": format!("http://{addr}"), "token": token, "user": DEFAULT_USER});
    if !extra.is_empty() {
        line["tokens"] = Value::Object(extra);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    drop(out);

    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
