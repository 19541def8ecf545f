//! Discussions and pull requests (docs/hub-protocol.md §6): listing in pages of 50, details with
//! events, creating (PRs start as drafts), commenting, renaming, closing/reopening and merging.
//! Pull requests opened by `create_pr=1` commits live here too, with the same numbers as their
//! `refs/pr/N`.

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{check_write, check_write_role, readable};
use super::{json, parse_json, parse_json_or_default, Ctx};
use crate::discussion::{Discussion, Event};
use crate::errors::{ApiError, ApiResult};
use crate::merge::{plan, Plan};
use crate::state::{RepoRef, State};

/// Discussions per listing page (the client pages with `p=0,1,…` while `start+len < count`).
const PAGE: usize = 50;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    pull_request: bool,
}

#[derive(Deserialize)]
struct CommentBody {
    comment: String,
}

#[derive(Deserialize)]
struct StatusBody {
    status: String,
    comment: Option<String>,
}

#[derive(Deserialize)]
struct TitleBody {
    title: String,
}

#[derive(Deserialize, Default)]
struct MergeBody {
    comment: Option<String>,
}

fn not_found(num: &str) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, format!("Discussion {num} not found"))
}

fn parse_num(num: &str) -> ApiResult<u64> {
    num.parse().map_err(|_| not_found(num))
}

/// `GET …/discussions?p=&type=&status=&author=`.
pub fn list(ctx: &Ctx, r: &RepoRef) -> ApiResult<Response> {
    let p = ctx.query_usize("p")?.unwrap_or(0);
    let kind = ctx.query_param("type").unwrap_or_else(|| "all".into());
    let status = ctx.query_param("status").unwrap_or_else(|| "all".into());
    let author = ctx.query_param("author");
    if !["all", "discussion", "pull_request"].contains(&kind.as_str()) {
        return Err(ApiError::bad_request(format!("Invalid type: {kind:?}")));
    }
    if !["all", "open", "closed"].contains(&status.as_str()) {
        return Err(ApiError::bad_request(format!("Invalid status: {status:?}")));
    }
    let page = ctx.app.list_page_size(PAGE).min(PAGE);
    let state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    let matching: Vec<&Discussion> = repo
        .discussions
        .values()
        .rev()
        .filter(|d| match kind.as_str() {
            "discussion" => !d.is_pr,
            "pull_request" => d.is_pr,
            _ => true,
        })
        // `open` covers drafts, `closed` covers merged pull requests.
        .filter(|d| match status.as_str() {
            "open" => d.status == "open" || d.status == "draft",
            "closed" => d.status == "closed" || d.status == "merged",
            _ => true,
        })
        .filter(|d| author.as_ref().is_none_or(|a| d.author == *a))
        .collect();
    let start = p.saturating_mul(page).min(matching.len());
    let end = (start + page).min(matching.len());
    let closed = repo
        .discussions
        .values()
        .filter(|d| d.status == "closed" || d.status == "merged")
        .count();
    json(json!({
        "discussions": matching[start..end].iter().map(|d| d.summary(r)).collect::<Vec<_>>(),
        "count": matching.len(),
        "start": start,
        "numClosedDiscussions": closed,
    }))
}

/// `GET …/discussions/{num}`.
pub fn details(ctx: &Ctx, r: &RepoRef, num: &str) -> ApiResult<Response> {
    let n = parse_num(num)?;
    let state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    let d = repo.discussions.get(&n).ok_or_else(|| not_found(num))?;
    json(d.details(r, repo.prs.get(&n).map(String::as_str)))
}

/// `POST …/discussions` `{title, description, pullRequest}`.
pub fn create(ctx: &Ctx, r: &RepoRef, body: Bytes) -> ApiResult<Response> {
    let b: CreateBody = parse_json(&body)?;
    if b.title.trim().is_empty() {
        return Err(ApiError::bad_request("A title is required"));
    }
    check_write_role(&ctx.caller)?;
    let mut state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    let author = ctx.caller.user().unwrap_or_default().to_string();
    let num = repo.next_discussion_num();
    let head = repo.branches.get("main").cloned();
    let base = b.pull_request.then(|| "main".to_string());
    let mut d = Discussion::new(num, b.title.trim(), b.pull_request, &author, base);
    if b.pull_request {
        d.status = "draft".to_string();
    }
    d.events.push(Event::comment(&author, &b.description));
    let repo = state.repos.get_mut(&r.key()).expect("checked above");
    if b.pull_request {
        if let Some(h) = head {
            repo.prs.insert(num, h);
        }
    }
    let mut out = d.summary(r);
    out["url"] = json!(format!("{}/discussions/{num}", ctx.repo_url(r)));
    repo.discussions.insert(num, d);
    ctx.app.persist(&state)?;
    json(out)
}

/// `POST …/discussions/{num}/{comment|status|title|merge}`.
pub fn act(ctx: &Ctx, r: &RepoRef, num: &str, action: &str, body: Bytes) -> ApiResult<Response> {
    let n = parse_num(num)?;
    check_write_role(&ctx.caller)?;
    let author = ctx.caller.user().unwrap_or_default().to_string();
    let mut state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    let d = repo.discussions.get(&n).ok_or_else(|| not_found(num))?;
    // Status and title belong to the author and the repo's owners.
    let owner = state.is_member(&author, &r.namespace);
    let may_edit = owner || d.author == author;
    let out = match action {
        "comment" => {
            let b: CommentBody = parse_json(&body)?;
            if b.comment.trim().is_empty() {
                return Err(ApiError::bad_request("A comment cannot be empty"));
            }
            let e = Event::comment(&author, &b.comment);
            let out = json!({"newMessage": e.to_json()});
            discussion_mut(&mut state, r, n).events.push(e);
            out
        }
        "status" => {
            let b: StatusBody = parse_json(&body)?;
            if b.status != "open" && b.status != "closed" {
                return Err(ApiError::bad_request(format!(
                    "Invalid status {:?}: open or closed",
                    b.status
                )));
            }
            if !may_edit {
                return Err(ApiError::forbidden(
                    "Only the author or the repo owners can change the status",
                ));
            }
            if d.status == "merged" {
                return Err(ApiError::bad_request(
                    "A merged pull request cannot change status",
                ));
            }
            let d = discussion_mut(&mut state, r, n);
            if let Some(c) = b.comment.filter(|c| !c.trim().is_empty()) {
                d.events.push(Event::comment(&author, &c));
            }
            let e = Event::status(&author, &b.status);
            let out = json!({"newStatus": e.to_json()});
            d.status = b.status;
            d.events.push(e);
            out
        }
        "title" => {
            let b: TitleBody = parse_json(&body)?;
            if b.title.trim().is_empty() {
                return Err(ApiError::bad_request("A title is required"));
            }
            if !may_edit {
                return Err(ApiError::forbidden(
                    "Only the author or the repo owners can rename",
                ));
            }
            let d = discussion_mut(&mut state, r, n);
            let e = Event::title(&author, &d.title, b.title.trim());
            let out = json!({"newTitle": e.to_json()});
            d.title = b.title.trim().to_string();
            d.events.push(e);
            out
        }
        "merge" => {
            let b: MergeBody = parse_json_or_default(&body)?;
            check_write(&state, &r.namespace, &ctx.caller)?;
            merge(&mut state, r, n, &author, b.comment)?
        }
        _ => return Err(ApiError::not_found()),
    };
    ctx.app.persist(&state)?;
    json(out)
}

fn discussion_mut<'s>(state: &'s mut State, r: &RepoRef, n: u64) -> &'s mut Discussion {
    state
        .repos
        .get_mut(&r.key())
        .and_then(|repo| repo.discussions.get_mut(&n))
        .expect("checked by the caller under the same lock")
}

/// Applies an open PR to its base branch (fast-forward or merge commit) and marks it merged.
fn merge(
    state: &mut State,
    r: &RepoRef,
    n: u64,
    author: &str,
    comment: Option<String>,
) -> ApiResult<Value> {
    let repo = &state.repos[&r.key()];
    let d = &repo.discussions[&n];
    if !d.is_pr {
        return Err(ApiError::bad_request("Only pull requests can be merged"));
    }
    match d.status.as_str() {
        "open" => {}
        "draft" => {
            return Err(ApiError::bad_request(
                "This pull request is a draft: open it before merging",
            ))
        }
        other => {
            return Err(ApiError::bad_request(format!(
                "This pull request is {other}"
            )))
        }
    }
    let branch = d.base.clone().unwrap_or_else(|| "main".to_string());
    let title = d.title.clone();
    let (Some(branch_head), Some(pr_head)) = (
        repo.branches.get(&branch).and_then(|c| repo.commits.get(c)),
        repo.prs.get(&n).and_then(|c| repo.commits.get(c)),
    ) else {
        return Err(ApiError::revision_not_found(&branch));
    };
    let (branch_id, pr_id) = (branch_head.id.clone(), pr_head.id.clone());
    let new_head = match plan(repo, branch_head, pr_head) {
        Plan::UpToDate => branch_id,
        Plan::FastForward => pr_id,
        Plan::Conflict(paths) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!("Cannot merge: conflicting changes to {}", paths.join(", ")),
            ))
        }
        Plan::Merge(files) => {
            let message = format!("Merge refs/pr/{n} into {branch}");
            let mut c = state.new_commit(
                Some(branch_id),
                &format!("Merge pull request #{n}: {title}"),
                &message,
                author,
                files,
            );
            c.merge_parent = Some(pr_id);
            let id = c.id.clone();
            state
                .repos
                .get_mut(&r.key())
                .expect("checked above")
                .commits
                .insert(id.clone(), c);
            id
        }
    };
    let repo = state.repos.get_mut(&r.key()).expect("checked above");
    repo.branches.insert(branch, new_head.clone());
    let d = repo.discussions.get_mut(&n).expect("checked above");
    if let Some(c) = comment.filter(|c| !c.trim().is_empty()) {
        d.events.push(Event::comment(author, &c));
    }
    let e = Event::status(author, "merged");
    let out = json!({"newStatus": e.to_json(), "mergeCommitId": new_head});
    d.status = "merged".to_string();
    d.merge_commit = Some(new_head);
    d.events.push(e);
    Ok(out)
}
