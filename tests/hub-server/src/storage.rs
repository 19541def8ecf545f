//! Where bytes live. Every content object (regular files and LFS objects alike) is one file
//! `blobs/<sha256>`, stored once however many repos or paths use it. Uploads stream into `tmp/`
//! while their sha256 is computed and are renamed into place only when they check out, so no
//! whole file is ever held in memory and a half-written object is never visible. Multipart parts
//! wait in `parts/<oid>/<n>.<etag>`. Without `--data` the same layout lives in a scratch folder
//! under the system temp dir, removed at shutdown (and swept on a later start if the process
//! was killed). The JSON state file is written atomically so a crash never leaves half a state.

use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};

use axum::body::Body;
use bytes::Bytes;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use crate::state::State;

const STATE_FILE: &str = "state.json";
const SCRATCH_PREFIX: &str = "hub-server-scratch-";
/// Write buffer for incoming bodies: large enough that the blocking-pool hops of `tokio::fs`
/// stay rare.
const WRITE_BUFFER: usize = 1 << 20;
/// Read size when streaming files out.
const READ_CHUNK: usize = 256 * 1024;

fn tmp_path(root: &Path) -> PathBuf {
    root.join("tmp")
        .join(format!("in-{}", crate::ids::random_hex(8)))
}

/// Writes `data` as the blob `sha256` under `root` (through a temp file, so a reader never sees
/// half of it); no-op when present.
fn put_file(root: &Path, sha256: &str, data: &[u8]) -> io::Result<()> {
    let path = root.join("blobs").join(sha256);
    if path.exists() {
        return Ok(());
    }
    let tmp = tmp_path(root);
    std::fs::write(&tmp, data)?;
    std::fs::rename(&tmp, &path)
}

pub struct BlobStore {
    root: PathBuf,
    scratch: bool,
}

/// A body received into a temp file, with its sha256 and length; removed on drop unless adopted.
pub struct Incoming {
    tmp: PathBuf,
    pub sha256: String,
    pub len: u64,
}

impl Drop for Incoming {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Why receiving a body failed.
#[derive(Debug)]
pub enum ReceiveError {
    /// More bytes arrived than allowed.
    TooLong(u64),
    /// The client stopped sending or the connection broke.
    Body(String),
    Io(io::Error),
}

impl From<io::Error> for ReceiveError {
    fn from(e: io::Error) -> ReceiveError {
        ReceiveError::Io(e)
    }
}

impl BlobStore {
    /// A store under `dir` (created if needed), kept across restarts.
    pub fn open(dir: &Path) -> io::Result<BlobStore> {
        BlobStore::at(dir.to_path_buf(), false)
    }

    /// A store in a fresh scratch folder of the system temp dir, for servers without `--data`.
    pub fn scratch() -> io::Result<BlobStore> {
        sweep_dead_scratch();
        let dir = std::env::temp_dir().join(format!(
            "{SCRATCH_PREFIX}{}-{}",
            std::process::id(),
            crate::ids::random_hex(6)
        ));
        BlobStore::at(dir, true)
    }

    fn at(root: PathBuf, scratch: bool) -> io::Result<BlobStore> {
        // Uploads that were in flight when the server last stopped are incomplete: drop them.
        let _ = std::fs::remove_dir_all(root.join("tmp"));
        for sub in ["blobs", "tmp", "parts"] {
            std::fs::create_dir_all(root.join(sub))?;
        }
        Ok(BlobStore { root, scratch })
    }

    /// Removes the scratch folder (no-op for a `--data` store). Called at shutdown.
    pub fn cleanup(&self) {
        if self.scratch {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }

    fn blob_path(&self, sha256: &str) -> PathBuf {
        self.root.join("blobs").join(sha256)
    }

    fn tmp_path(&self) -> PathBuf {
        tmp_path(&self.root)
    }

    fn parts_dir(&self, oid: &str) -> PathBuf {
        self.root.join("parts").join(oid)
    }

    /// Stores small content (a commit's inline file) under its sha256; no-op when present.
    pub fn put_blocking(&self, sha256: &str, data: &[u8]) -> io::Result<()> {
        put_file(&self.root, sha256, data)
    }

    /// Stores a commit's inline files in one blocking task: a `tokio::fs` call per file is a
    /// thread-pool hop each, and three per file made a 1,000-file commit take over 100 ms.
    pub async fn put_many(&self, items: Vec<(String, Bytes)>) -> io::Result<()> {
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || {
            items
                .iter()
                .try_for_each(|(sha, data)| put_file(&root, sha, data))
        })
        .await
        .map_err(io::Error::other)?
    }

    /// The whole blob (small files such as `.gitattributes`).
    pub fn read_blocking(&self, sha256: &str) -> io::Result<Vec<u8>> {
        std::fs::read(self.blob_path(sha256))
    }

    /// Size of a stored object, `None` when it is not stored.
    pub async fn size(&self, sha256: &str) -> io::Result<Option<u64>> {
        match tokio::fs::metadata(self.blob_path(sha256)).await {
            Ok(m) => Ok(Some(m.len())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A body with bytes `start..start+len` of a blob, streamed from disk.
    pub async fn body(&self, sha256: &str, start: u64, len: u64) -> io::Result<Body> {
        let mut f = tokio::fs::File::open(self.blob_path(sha256)).await?;
        f.seek(SeekFrom::Start(start)).await?;
        let stream = tokio_util::io::ReaderStream::with_capacity(f.take(len), READ_CHUNK);
        Ok(Body::from_stream(stream))
    }

    /// Streams a request body into a temp file, hashing as it goes; refuses more than `max`
    /// bytes without reading them.
    pub async fn receive(&self, body: Body, max: u64) -> Result<Incoming, ReceiveError> {
        let mut out = HashingWriter::create(self.tmp_path()).await?;
        let mut stream = body.into_data_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| ReceiveError::Body(e.to_string()))?;
            if out.len + chunk.len() as u64 > max {
                return Err(ReceiveError::TooLong(max));
            }
            out.write(&chunk).await?;
        }
        Ok(out.finish().await?)
    }

    /// Moves a checked upload into the store under its sha256 (an identical object may
    /// already be there: renaming over it is atomic and harmless).
    pub async fn adopt(&self, incoming: Incoming) -> io::Result<()> {
        tokio::fs::rename(&incoming.tmp, self.blob_path(&incoming.sha256)).await
    }

    /// Keeps part `n` of a multipart upload; returns its ETag (the part's sha256).
    pub async fn put_part(&self, oid: &str, n: u32, incoming: Incoming) -> io::Result<String> {
        let dir = self.parts_dir(oid);
        tokio::fs::create_dir_all(&dir).await?;
        let etag = incoming.sha256.clone();
        tokio::fs::rename(&incoming.tmp, dir.join(format!("{n}.{etag}"))).await?;
        // A re-uploaded part replaces the earlier one.
        if let Ok(mut entries) = tokio::fs::read_dir(&dir).await {
            while let Ok(Some(e)) = entries.next_entry().await {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with(&format!("{n}.")) && name != format!("{n}.{etag}") {
                    let _ = tokio::fs::remove_file(e.path()).await;
                }
            }
        }
        Ok(etag)
    }

    /// ETags of the stored parts of an upload, by part number.
    pub async fn part_etags(
        &self,
        oid: &str,
    ) -> io::Result<std::collections::BTreeMap<u32, String>> {
        let mut out = std::collections::BTreeMap::new();
        let mut entries = match tokio::fs::read_dir(self.parts_dir(oid)).await {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
        };
        while let Some(e) = entries.next_entry().await? {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some((n, etag)) = name.split_once('.') {
                if let Ok(n) = n.parse() {
                    out.insert(n, etag.to_string());
                }
            }
        }
        Ok(out)
    }

    /// Concatenates parts `1..=count` (with the given ETags) into a temp file, hashing as it
    /// goes.
    pub async fn assemble(&self, oid: &str, etags: &[String]) -> io::Result<Incoming> {
        let mut out = HashingWriter::create(self.tmp_path()).await?;
        let mut buf = vec![0u8; READ_CHUNK];
        for (i, etag) in etags.iter().enumerate() {
            let path = self.parts_dir(oid).join(format!("{}.{etag}", i + 1));
            let mut part = tokio::fs::File::open(path).await?;
            loop {
                let n = part.read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                out.write(&buf[..n]).await?;
            }
        }
        out.finish().await
    }

    /// Forgets the parts of an upload once it was assembled.
    pub async fn drop_parts(&self, oid: &str) {
        let _ = tokio::fs::remove_dir_all(self.parts_dir(oid)).await;
    }
}

/// A temp file being written while its sha256 and length are computed: what an upload and an
/// assembled multipart object both become before they are checked and adopted.
struct HashingWriter {
    tmp: PathBuf,
    out: tokio::io::BufWriter<tokio::fs::File>,
    hash: Sha256,
    len: u64,
}

impl HashingWriter {
    async fn create(tmp: PathBuf) -> io::Result<Self> {
        let file = tokio::fs::File::create(&tmp).await?;
        Ok(HashingWriter {
            tmp,
            out: tokio::io::BufWriter::with_capacity(WRITE_BUFFER, file),
            hash: Sha256::new(),
            len: 0,
        })
    }

    async fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.hash.update(bytes);
        self.out.write_all(bytes).await?;
        self.len += bytes.len() as u64;
        Ok(())
    }

    async fn finish(mut self) -> io::Result<Incoming> {
        self.out.flush().await?;
        Ok(Incoming {
            tmp: self.tmp,
            sha256: hex::encode(self.hash.finalize()),
            len: self.len,
        })
    }
}

/// Removes scratch folders left by servers that were killed (their pid is gone).
fn sweep_dead_scratch() {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(SCRATCH_PREFIX) else {
            continue;
        };
        let pid = rest.split('-').next().unwrap_or("");
        if !pid.is_empty() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(e.path());
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
