//! hub-server: a local stand-in for the Hugging Face Hub HTTP API, strict enough that the
//! official clients and hubwasm can be tested against it offline. Independent of hubwasm on
//! purpose: two readings of the protocol catch each other's mistakes.

mod app;
mod card;
mod cdn;
mod cli;
mod clock;
mod cors;
mod discussion;
mod errors;
mod faults;
mod git;
mod gitattributes;
mod gitignore;
mod glob;
mod ids;
mod merge;
mod oauth;
mod paths;
mod ranges;
mod routes;
mod signing;
mod state;
mod stats;
mod storage;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use serde_json::{json, Map, Value};

use crate::app::{AppState, Config};
use crate::cli::{Args, USAGE};
use crate::faults::Origin;
use crate::signing::Signer;
use crate::state::State;
use crate::storage::{load_state, BlobStore};

/// The user every server starts with.
const DEFAULT_USER: &str = "test-user";
/// How long a stopping server waits for requests in flight.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

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
    if state.secret.is_empty() {
        state.secret = crate::ids::random_hex(32);
    }
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

    let blobs = match &args.data {
        Some(dir) => BlobStore::open(dir)?,
        None => BlobStore::scratch()?,
    };
    let hub = bind(args.port).await?;
    let storage = bind(args.storage_port).await?;
    let (hub_addr, storage_addr) = (hub.local_addr()?, storage.local_addr()?);
    let signer = Signer::new(
        &hex::decode(&state.secret).unwrap_or_default(),
        args.url_ttl,
    );
    let config = Config {
        page_size: args.page_size,
        multipart_threshold: args.multipart_threshold,
        chunk_size: args.chunk_size,
        verbose: args.verbose,
    };
    let app = Arc::new(AppState::new(
        state,
        blobs,
        args.data.clone(),
        config,
        format!("http://{storage_addr}"),
        signer,
        args.faults,
    ));
    let hub_router = Router::new()
        .fallback(routes::dispatch)
        .layer(axum::middleware::from_fn_with_state(
            (app.clone(), Origin::Hub),
            app::around,
        ))
        .with_state(app.clone());
    let storage_router = Router::new()
        .fallback(cdn::dispatch)
        .layer(axum::middleware::from_fn_with_state(
            (app.clone(), Origin::Storage),
            app::around,
        ))
        .with_state(app.clone());

    let signalled = shutdown_signal()?;
    // The first stdout line is the contract with scripts and tests: print it before serving.
    let mut line =
        json!({"url": format!("http://{hub_addr}"), "token": token, "user": DEFAULT_USER});
    if !extra.is_empty() {
        line["tokens"] = Value::Object(extra);
    }
    line["storageUrl"] = json!(format!("http://{storage_addr}"));
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    drop(out);

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let until_stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let hub_server = async {
        axum::serve(hub, hub_router)
            .with_graceful_shutdown(until_stopped(stopped.clone()))
            .await
    };
    let storage_server = async {
        axum::serve(storage, storage_router)
            .with_graceful_shutdown(until_stopped(stopped.clone()))
            .await
    };
    let result = tokio::select! {
        r = async { tokio::try_join!(hub_server, storage_server).map(|_| ()) } => r,
        // In-flight requests get a moment to finish; a client holding a stalled download does
        // not keep the server alive.
        _ = async {
            signalled.await;
            let _ = stop.send(true);
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => Ok(()),
    };
    app.blobs.cleanup();
    result
}

async fn bind(port: u16) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is called, not when
/// it is first polled: a script that stops the server right after reading the startup line
/// must not hit the default action (die by the signal, skipping the cleanup).
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {},
                _ = int.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
