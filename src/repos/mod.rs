//! Managing repositories: create, delete, whether one exists, whether it is private.

use crate::call::Registry;

pub mod create;
pub mod delete;
pub mod exists;
pub mod private;

/// Every call of this area.
pub fn register(r: &mut impl Registry) {
    r.add::<create::CreateRepo>();
    r.add::<delete::DeleteRepo>();
    r.add::<exists::RepoExists>();
    r.add::<private::RepoIsPrivate>();
}
