//! Writing to a repo: the operations of a commit, preupload, the LFS batch and transfers, and the
//! NDJSON commit itself.

pub mod base64;
pub mod flow;
pub mod lfs_batch;
pub mod lfs_transfer;
pub mod ndjson;
pub mod operations;
pub mod options;
pub mod preupload;
