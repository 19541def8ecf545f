//! A repo's refs: branches, tags, and the commits they point to; its history.

pub mod branches;
pub mod commits;
pub mod list;
pub mod resolve;
pub mod tags;

use alloc::string::String;

use crate::error::HubError;
use crate::ids::revision::validate_revision;

/// A branch or tag name to create or delete: a git ref name, given short (`v1`, not
/// `refs/tags/v1`; the Hub refuses a full ref there).
pub(crate) fn short_ref_name(name: &str, what: &str) -> Result<String, HubError> {
    validate_revision(name)?;
    if name.starts_with("refs/") {
        return Err(HubError::invalid_input(crate::cat!(
            "a ",
            what,
            " is named without \"refs/…\": ",
            crate::text::quoted(name)
        )));
    }
    Ok(String::from(name))
}
