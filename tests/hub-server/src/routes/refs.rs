//! Branches, tags and history (docs/hub-protocol.md §3.5, §5.5, §5.6). Ref names arrive as one
//! percent-encoded URL segment; messages are the Hub's where it is known
//! ("Reference refs/heads/X already exists", "Invalid reference for a branch", "Invalid rev id").

use std::collections::HashSet;

use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{check_write, readable};
use super::{json, parse_json, parse_json_or_default, with_param, Ctx};
use crate::discussion::{escape_html, render_html};
use crate::errors::{ApiError, ApiResult};
use crate::state::{Commit, Repo, RepoRef};

/// Default page size of the commit listing.
const COMMITS_PAGE: usize = 50;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct BranchBody {
    starting_point: Option<String>,
    #[serde(default)]
    empty_branch: bool,
    #[serde(default)]
    overwrite: bool,
}

#[derive(Deserialize)]
struct TagBody {
    tag: String,
    #[allow(dead_code)]
    message: Option<String>,
}

/// Git's ref name rules (`git check-ref-format`), which the Hub applies to branches and tags.
pub fn valid_ref_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name != "@"
        && !name.starts_with(['-', '/'])
        && !name.ends_with(['/', '.'])
        && !name.ends_with(".lock")
        && !name.contains("..")
        && !name.contains("//")
        && !name.contains("@{")
        && !name.split('/').any(|c| c.starts_with('.'))
        && name
            .chars()
            .all(|c| !c.is_control() && !" ~^:?*[\\".contains(c))
}

fn conflict(reference: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        format!("Reference {reference} already exists"),
    )
}

fn ref_json(prefix: &str, name: &str, target: &str) -> Value {
    json!({"name": name, "ref": format!("{prefix}{name}"), "targetCommit": target})
}

/// `POST /api/{type}s/{repo}/branch/{branch}` with `{startingPoint?, emptyBranch?, overwrite?}`.
pub fn create_branch(ctx: &Ctx, r: &RepoRef, name: &str, body: Bytes) -> ApiResult<Response> {
    let b: BranchBody = parse_json_or_default(&body)?;
    let mut state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    check_write(&state, &r.namespace, &ctx.caller)?;
    if name.starts_with("refs/") || !valid_ref_name(name) {
        return Err(ApiError::bad_request("Invalid reference for a branch"));
    }
    if repo.branches.contains_key(name) && !b.overwrite {
        return Err(conflict(&format!("refs/heads/{name}")));
    }
    let target = if b.empty_branch {
        if b.starting_point.is_some() {
            return Err(ApiError::bad_request(
                "emptyBranch and startingPoint cannot be combined",
            ));
        }
        None
    } else {
        let start = b.starting_point.as_deref().unwrap_or("main");
        Some(
            repo.resolve(start)
                .ok_or_else(|| ApiError::revision_not_found(start))?
                .id
                .clone(),
        )
    };
    let author = ctx.caller.user().unwrap_or_default().to_string();
    let target = match target {
        Some(t) => t,
        None => {
            // A branch with no history: one parentless commit with an empty tree.
            let c = state.new_commit(None, "Initial commit", "", &author, Default::default());
            let id = c.id.clone();
            let repo = state.repos.get_mut(&r.key()).expect("checked above");
            repo.commits.insert(id.clone(), c);
            id
        }
    };
    let repo = state.repos.get_mut(&r.key()).expect("checked above");
    repo.branches.insert(name.to_string(), target.clone());
    ctx.app.persist(&state)?;
    json(ref_json("refs/heads/", name, &target))
}

/// `DELETE /api/{type}s/{repo}/branch/{branch}`. Deleting `main` is refused with 403.
pub fn delete_branch(ctx: &Ctx, r: &RepoRef, name: &str) -> ApiResult<Response> {
    let mut state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    check_write(&state, &r.namespace, &ctx.caller)?;
    if name == "main" {
        return Err(ApiError::forbidden("Cannot delete refs/heads/main"));
    }
    if !repo.branches.contains_key(name) {
        return Err(ApiError::revision_not_found(name));
    }
    let repo = state.repos.get_mut(&r.key()).expect("checked above");
    repo.branches.remove(name);
    ctx.app.persist(&state)?;
    json(json!({}))
}

/// `POST /api/{type}s/{repo}/tag/{revision}` with `{tag, message?}`.
pub fn create_tag(ctx: &Ctx, r: &RepoRef, revision: &str, body: Bytes) -> ApiResult<Response> {
    let b: TagBody = parse_json(&body)?;
    let mut state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    check_write(&state, &r.namespace, &ctx.caller)?;
    if b.tag.starts_with("refs/") || !valid_ref_name(&b.tag) {
        return Err(ApiError::bad_request(format!(
            "Invalid reference for a tag: {:?}",
            b.tag
        )));
    }
    if repo.tags.contains_key(&b.tag) {
        return Err(conflict(&format!("refs/tags/{}", b.tag)));
    }
    let target = repo
        .resolve(revision)
        .ok_or_else(|| ApiError::revision_not_found(revision))?
        .id
        .clone();
    let repo = state.repos.get_mut(&r.key()).expect("checked above");
    repo.tags.insert(b.tag.clone(), target.clone());
    ctx.app.persist(&state)?;
    json(ref_json("refs/tags/", &b.tag, &target))
}

/// `DELETE /api/{type}s/{repo}/tag/{tag}`.
pub fn delete_tag(ctx: &Ctx, r: &RepoRef, tag: &str) -> ApiResult<Response> {
    let mut state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    check_write(&state, &r.namespace, &ctx.caller)?;
    if !repo.tags.contains_key(tag) {
        return Err(ApiError::revision_not_found(tag));
    }
    let repo = state.repos.get_mut(&r.key()).expect("checked above");
    repo.tags.remove(tag);
    ctx.app.persist(&state)?;
    json(json!({}))
}

/// Every commit reachable from `head` (both parents of merges), newest first.
pub fn history<'a>(repo: &'a Repo, head: &'a Commit) -> Vec<&'a Commit> {
    let mut seen = HashSet::new();
    let mut stack = vec![head];
    let mut out = Vec::new();
    while let Some(c) = stack.pop() {
        if !seen.insert(c.id.as_str()) {
            continue;
        }
        out.push(c);
        for p in [&c.parent, &c.merge_parent].into_iter().flatten() {
            if let Some(pc) = repo.commits.get(p) {
                stack.push(pc);
            }
        }
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.seq));
    out
}

/// `GET /api/{type}s/{repo}/commits/{rev}`: `limit`, page `p`, `expand[]=formatted`;
/// `X-Total-Count` and a `Link` to the next page.
pub fn commits(ctx: &Ctx, r: &RepoRef, rev: &str) -> ApiResult<Response> {
    // `limit` picks the page size up to `--page-size` (1000 by default); 50 without it.
    let page = match ctx.query_usize("limit")?.filter(|n| *n > 0) {
        Some(l) => l.min(ctx.app.list_page_size(1000)),
        None => ctx.app.list_page_size(COMMITS_PAGE),
    };
    let p = ctx.query_usize("p")?.unwrap_or(0);
    let formatted = ctx.query_all("expand").iter().any(|e| e == "formatted");
    let origin = ctx.origin();

    let state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    let head = repo
        .resolve(rev)
        .ok_or_else(|| ApiError::revision_not_found(rev))?;
    let all = history(repo, head);
    let total = all.len();
    let start = p.saturating_mul(page).min(total);
    let end = (start + page).min(total);
    let items: Vec<Value> = all[start..end]
        .iter()
        .map(|c| {
            let avatar = state
                .users
                .get(&c.author)
                .map(|u| format!("{origin}/avatars/{}.svg", u.id))
                .unwrap_or_else(|| format!("{origin}/avatars/default.svg"));
            let mut v = json!({
                "id": c.id,
                "title": c.title,
                "message": c.message,
                "authors": [{"user": c.author, "avatar": avatar}],
                "date": c.date,
            });
            if formatted {
                v["formatted"] = json!({
                    "title": escape_html(&c.title),
                    "message": render_html(&c.message),
                });
            }
            v
        })
        .collect();
    let mut res = axum::Json(items).into_response();
    let h = res.headers_mut();
    h.insert("x-total-count", HeaderValue::from(total));
    if end < total {
        let link = format!(
            "<{origin}{}?{}>; rel=\"next\"",
            ctx.path,
            with_param(ctx.query.as_deref(), "p", &(p + 1).to_string())
        );
        if let Ok(v) = HeaderValue::from_str(&link) {
            h.insert("link", v);
        }
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_names_follow_git() {
        for ok in ["main", "dev", "feature/x", "v1.0", "a-b_c"] {
            assert!(valid_ref_name(ok), "{ok}");
        }
        for bad in [
            "", "-x", "/x", "x/", "x.", "x.lock", "a..b", "a//b", "a@{b", "@", ".x", "a/.b", "a b",
            "a~b", "a^b", "a:b", "a?b", "a*b", "a[b", "a\\b",
        ] {
            assert!(!valid_ref_name(bad), "{bad}");
        }
    }
}
