//! Merging a pull request into its base branch: a fast-forward when the branch has not moved
//! since the PR started, otherwise a path-by-path three-way merge into a merge commit; a path
//! both sides changed differently is a conflict.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::state::{Commit, FileEntry, Repo};

/// How a PR head merges into a branch head.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    /// The PR adds nothing the branch does not have.
    UpToDate,
    /// Move the branch to the PR head.
    FastForward,
    /// A merge commit with this tree.
    Merge(BTreeMap<String, FileEntry>),
    /// Paths changed on both sides.
    Conflict(Vec<String>),
}

fn ancestors<'a>(repo: &'a Repo, head: &'a Commit) -> HashSet<&'a str> {
    crate::routes::history(repo, head)
        .into_iter()
        .map(|c| c.id.as_str())
        .collect()
}

/// The newest common ancestor of two commits.
pub fn merge_base<'a>(repo: &'a Repo, a: &'a Commit, b: &'a Commit) -> Option<&'a Commit> {
    let of_a = ancestors(repo, a);
    crate::routes::history(repo, b)
        .into_iter()
        .find(|c| of_a.contains(c.id.as_str()))
}

pub fn plan(repo: &Repo, branch_head: &Commit, pr_head: &Commit) -> Plan {
    let Some(base) = merge_base(repo, branch_head, pr_head) else {
        return three_way(&BTreeMap::new(), &branch_head.files, &pr_head.files);
    };
    if base.id == pr_head.id {
        Plan::UpToDate
    } else if base.id == branch_head.id {
        Plan::FastForward
    } else {
        three_way(&base.files, &branch_head.files, &pr_head.files)
    }
}

fn three_way(
    base: &BTreeMap<String, FileEntry>,
    ours: &BTreeMap<String, FileEntry>,
    theirs: &BTreeMap<String, FileEntry>,
) -> Plan {
    let paths: BTreeSet<&String> = base
        .keys()
        .chain(ours.keys())
        .chain(theirs.keys())
        .collect();
    let mut out = BTreeMap::new();
    let mut conflicts = Vec::new();
    for p in paths {
        let (m, o, t) = (base.get(p), ours.get(p), theirs.get(p));
        let pick = if o == t || t == m {
            o
        } else if o == m {
            t
        } else {
            conflicts.push(p.clone());
            continue;
        };
        if let Some(e) = pick {
            out.insert(p.clone(), e.clone());
        }
    }
    if conflicts.is_empty() {
        Plan::Merge(out)
    } else {
        Plan::Conflict(conflicts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(v: &[(&str, &[u8])]) -> BTreeMap<String, FileEntry> {
        v.iter()
            .map(|(p, c)| (p.to_string(), FileEntry::regular(c)))
            .collect()
    }

    #[test]
    fn changes_from_both_sides_combine() {
        let base = files(&[("a", b"1"), ("b", b"1"), ("gone", b"x")]);
        let ours = files(&[("a", b"2"), ("b", b"1"), ("gone", b"x")]);
        let theirs = files(&[("a", b"1"), ("b", b"3"), ("new", b"n")]);
        assert_eq!(
            three_way(&base, &ours, &theirs),
            Plan::Merge(files(&[("a", b"2"), ("b", b"3"), ("new", b"n")]))
        );
    }

    #[test]
    fn different_changes_to_one_path_conflict() {
        let base = files(&[("a", b"1")]);
        let ours = files(&[("a", b"2")]);
        let theirs = files(&[("a", b"3")]);
        assert_eq!(
            three_way(&base, &ours, &theirs),
            Plan::Conflict(vec!["a".into()])
        );
        assert_eq!(
            three_way(&base, &ours, &files(&[])),
            Plan::Conflict(vec!["a".into()])
        );
    }
}
