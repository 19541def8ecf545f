//! What the Hub says about repos: one repo's info (`modelInfo`, `datasetInfo`, `spaceInfo`,
//! `repoInfo`), searches over all of them (`listModels`, `listDatasets`, `listSpaces`) and likes.
//! Info and listing items are read alike ([`entry`]): the fields every page shows, as
//! `@huggingface/hub` names them, plus the `additionalFields` the caller asked the Hub to expand.

pub mod entry;
pub mod likes;
pub mod repo_info;
pub mod search;
