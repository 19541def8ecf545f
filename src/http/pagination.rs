//! GitHub-style pagination: the body is one page, `Link: <url>; rel="next"` points to the next.

use alloc::string::String;

use crate::http::HttpResponseHead;

/// The `rel="next"` target of the response's `Link` header(s).
pub fn next_link(head: &HttpResponseHead) -> Option<String> {
    head.headers.get_all("link").find_map(find_next)
}

/// Parses one `Link` header value: a comma-separated list of `<url>; param; param` entries.
pub fn find_next(link: &str) -> Option<String> {
    let mut rest = link;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>')?;
        let target = &after[..end];
        let params_and_more = &after[end + 1..];
        // Parameters run until the next entry, which starts at the next '<'.
        let params = params_and_more
            .find('<')
            .map_or(params_and_more, |i| &params_and_more[..i]);
        let is_next = params.split(';').any(|p| {
            let p = p.trim().trim_end_matches(',').trim();
            let Some(value) = p.strip_prefix("rel=") else {
                return false;
            };
            value
                .trim_matches('"')
                .split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(String::from(target));
        }
        rest = params_and_more;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Headers;

    #[test]
    fn finds_next_among_several_relations() {
        assert_eq!(
            find_next(r#"<https://hf.co/api/x?cursor=abc>; rel="next""#).as_deref(),
            Some("https://hf.co/api/x?cursor=abc")
        );
        assert_eq!(
            find_next(r#"<https://a/prev>; rel="prev", <https://a/next?x=1,2>; rel="next""#)
                .as_deref(),
            Some("https://a/next?x=1,2")
        );
        assert_eq!(
            find_next(r#"<https://a/x>; rel=next"#).as_deref(),
            Some("https://a/x")
        );
        assert_eq!(
            find_next(
                r#"<https://a/auth>; rel="xet-auth", <https://cas/r>; rel="xet-reconstruction-info""#
            ),
            None
        );
        assert_eq!(find_next(""), None);
        assert_eq!(find_next("<broken"), None);
    }

    #[test]
    fn reads_the_link_header_case_insensitively() {
        let head = HttpResponseHead {
            status: 200,
            url: "https://hf.co/api/x".into(),
            headers: [("LINK", r#"<https://hf.co/api/x?cursor=2>; rel="next""#)]
                .into_iter()
                .collect::<Headers>(),
        };
        assert_eq!(
            next_link(&head).as_deref(),
            Some("https://hf.co/api/x?cursor=2")
        );
    }
}
