//! Where bytes live: blobs addressed by sha256 (in memory, or under `DIR/blobs` with `--data`)
//! and the JSON state file, written atomically so a crash never leaves half a state.

use std::collections::HashMap;
use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use axum::body::Body;
use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use crate::state::State;

const STATE_FILE: &str = "state.json";

pub enum BlobStore {
    Memory(Mutex<HashMap<String, Bytes>>),
    Disk(PathBuf),
}

impl BlobStore {
    /// In-memory store, or a disk store under `dir/blobs` (created if needed).
    pub fn new(dir: Option<&Path>) -> io::Result<BlobStore> {
        match dir {
            None => Ok(BlobStore::Memory(Mutex::new(HashMap::new()))),
            Some(d) => {
                let blobs = d.join("blobs");
                std::fs::create_dir_all(&blobs)?;
                Ok(BlobStore::Disk(blobs))
            }
        }
    }

    /// Stores content under its sha256 (no-op when already present).
    pub async fn put(&self, sha256: &str, data: Bytes) -> io::Result<()> {
        match self {
            BlobStore::Memory(m) => {
                m.lock()
                    .expect("blob lock")
                    .entry(sha256.to_string())
                    .or_insert(data);
                Ok(())
            }
            BlobStore::Disk(dir) => {
                let path = dir.join(sha256);
                if tokio::fs::try_exists(&path).await? {
                    return Ok(());
                }
                let tmp = dir.join(format!(".tmp-{sha256}-{}", crate::ids::random_hex(6)));
                tokio::fs::write(&tmp, &data).await?;
                tokio::fs::rename(&tmp, &path).await
            }
        }
    }

    /// Synchronous put, for seeding before the runtime serves requests.
    pub fn put_blocking(&self, sha256: &str, data: &[u8]) -> io::Result<()> {
        match self {
            BlobStore::Memory(m) => {
                m.lock()
                    .expect("blob lock")
                    .entry(sha256.to_string())
                    .or_insert_with(|| Bytes::copy_from_slice(data));
                Ok(())
            }
            BlobStore::Disk(dir) => {
                let path = dir.join(sha256);
                if path.exists() {
                    return Ok(());
                }
                let tmp = dir.join(format!(".tmp-{sha256}-{}", crate::ids::random_hex(6)));
                std::fs::write(&tmp, data)?;
                std::fs::rename(&tmp, &path)
            }
        }
    }

    /// The whole blob (small files such as `.gitattributes`).
    pub async fn read(&self, sha256: &str) -> io::Result<Bytes> {
        match self {
            BlobStore::Memory(m) => m
                .lock()
                .expect("blob lock")
                .get(sha256)
                .cloned()
                .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "blob missing")),
            BlobStore::Disk(dir) => tokio::fs::read(dir.join(sha256)).await.map(Bytes::from),
        }
    }

    /// A body with bytes `start..start+len` of a blob, streamed from disk for the disk store.
    pub async fn body(&self, sha256: &str, start: u64, len: u64) -> io::Result<Body> {
        match self {
            BlobStore::Memory(m) => {
                let data = m
                    .lock()
                    .expect("blob lock")
                    .get(sha256)
                    .cloned()
                    .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "blob missing"))?;
                let (s, l) = (start as usize, len as usize);
                Ok(Body::from(data.slice(s..s + l)))
            }
            BlobStore::Disk(dir) => {
                let mut f = tokio::fs::File::open(dir.join(sha256)).await?;
                f.seek(SeekFrom::Start(start)).await?;
                let stream = tokio_util::io::ReaderStream::with_capacity(f.take(len), 64 * 1024);
                Ok(Body::from_stream(stream))
            }
        }
    }
}

/// Reads `DIR/state.json` if it exists.
pub fn load_state(dir: &Path) -> io::Result<Option<State>> {
    let path = dir.join(STATE_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{path:?}: {e}"))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes `DIR/state.json` via a temp file and rename.
pub fn save_state(dir: &Path, state: &State) -> io::Result<()> {
    let json = serde_json::to_vec(state).map_err(io::Error::other)?;
    let tmp = dir.join(format!("{STATE_FILE}.tmp"));
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, dir.join(STATE_FILE))
}
