//! Just enough URL handling for the client: origins (to decide where a token may go) and
//! resolving a redirect's `Location`.

use crate::cat;
use alloc::string::{String, ToString};

/// The origin (`scheme://host[:port]`, lower-cased, default port dropped) of an absolute
/// http(s) URL, or `None` when the URL is not absolute http(s).
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = crate::text::split_once(url, "://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Credentials in the authority would make the "same origin" test misleading.
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let authority = authority.to_ascii_lowercase();
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority
        .strip_suffix(default_port)
        .unwrap_or(&authority)
        .to_string();
    Some(cat!(scheme, "://", authority))
}

/// Whether two absolute URLs share an origin.
pub fn same_origin(a: &str, b: &str) -> bool {
    match (origin(a), origin(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Resolves a `Location` header against the URL that was requested: a URL with a scheme stays
/// as it is, whatever the scheme (`file:`, `javascript:` or `data:` included, so the driver sees
/// it and refuses it rather than fetching it as a path on the Hub), `//host` takes the request's
/// scheme, `/path` keeps the origin, anything else is taken relative to the request's folder.
pub fn resolve_location(base: &str, location: &str) -> Option<String> {
    if has_scheme(location) {
        return Some(location.to_string());
    }
    let base_origin = origin(base)?;
    if let Some(rest) = location.strip_prefix("//") {
        let scheme = crate::text::split_once(base, "://")?.0;
        return Some(cat!(scheme, "://", rest));
    }
    if location.starts_with('/') {
        return Some(cat!(base_origin, location));
    }
    let base_path_end = base.find(['?', '#']).unwrap_or(base.len());
    let base_no_query = &base[..base_path_end];
    let dir_end = base_no_query
        .rfind('/')
        .map_or(base_no_query.len(), |i| i + 1);
    Some(cat!(&base_no_query[..dir_end], location))
}

/// Whether `url` begins with a scheme and `:` (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`,
/// RFC 3986 §3.1): an absolute URL. A relative path with a colon in its first segment is
/// written `./a:b`, as browsers read it.
fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url.as_bytes()[..colon];
    scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_normalise_case_and_default_ports() {
        assert_eq!(
            origin("https://HuggingFace.co/api/x").as_deref(),
            Some("https://huggingface.co")
        );
        assert_eq!(
            origin("https://huggingface.co:443/").as_deref(),
            Some("https://huggingface.co")
        );
        assert_eq!(
            origin("http://127.0.0.1:8080?x").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin("ftp://x/y"), None);
        assert_eq!(origin("/relative"), None);
        assert_eq!(origin("https://user:pw@evil.com/"), None);
    }

    #[test]
    fn same_origin_requires_scheme_host_and_port() {
        assert!(same_origin(
            "http://127.0.0.1:1/a",
            "http://127.0.0.1:1/b?c"
        ));
        assert!(!same_origin("http://127.0.0.1:1/a", "http://127.0.0.1:2/a"));
        assert!(!same_origin("http://hf.co/a", "https://hf.co/a"));
        assert!(!same_origin(
            "https://huggingface.co/a",
            "https://huggingface.co.evil.com/a"
        ));
    }

    #[test]
    fn locations_resolve_like_a_browser() {
        let base = "https://hf.co/old/repo/resolve/main/a.txt?x=1";
        assert_eq!(
            resolve_location(base, "/new/repo/resolve/main/a.txt").as_deref(),
            Some("https://hf.co/new/repo/resolve/main/a.txt")
        );
        assert_eq!(
            resolve_location(base, "https://cdn.example/x?sig=1").as_deref(),
            Some("https://cdn.example/x?sig=1")
        );
        assert_eq!(
            resolve_location(base, "b.txt").as_deref(),
            Some("https://hf.co/old/repo/resolve/main/b.txt")
        );
        assert_eq!(
            resolve_location(base, "//cdn.example/y").as_deref(),
            Some("https://cdn.example/y")
        );
        assert_eq!(
            resolve_location(base, "./c:d.txt").as_deref(),
            Some("https://hf.co/old/repo/resolve/main/./c:d.txt")
        );
    }

    #[test]
    fn a_location_with_any_scheme_stays_absolute_for_the_driver_to_refuse() {
        let base = "https://hf.co/u/m/resolve/main/a.txt";
        for location in [
            "file:/etc/passwd",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/plain;base64,aGk=",
            "ftp://x",
            "blob:https://hf.co/0b6f",
            "ws://hf.co/socket",
            "about:blank",
            "mailto:a@b.c",
            "web+app:x",
            "a.b-c+d:e",
            // http(s) URLs whose origin the core does not vouch for still stay whole, so the
            // token rule (`same_origin`) sees them as foreign and the driver decides.
            "https://user:pw@evil.example/x",
            "https:evil.example",
            "https://",
        ] {
            assert_eq!(
                resolve_location(base, location).as_deref(),
                Some(location),
                "{location}"
            );
            assert!(!same_origin(base, location), "{location}");
        }
    }

    #[test]
    fn a_location_without_a_scheme_stays_on_the_request_s_host() {
        let base = "https://hf.co/u/m/resolve/main/a.txt";
        for (location, resolved) in [
            // A colon after a '/' or in a name that cannot be a scheme is part of a path.
            ("x/file:y", "https://hf.co/u/m/resolve/main/x/file:y"),
            ("1ab:c", "https://hf.co/u/m/resolve/main/1ab:c"),
            ("a_b:c", "https://hf.co/u/m/resolve/main/a_b:c"),
            (":x", "https://hf.co/u/m/resolve/main/:x"),
            (
                " javascript:x",
                "https://hf.co/u/m/resolve/main/ javascript:x",
            ),
            ("/file:/etc/passwd", "https://hf.co/file:/etc/passwd"),
        ] {
            assert_eq!(
                resolve_location(base, location).as_deref(),
                Some(resolved),
                "{location}"
            );
            assert!(same_origin(base, resolved), "{location}");
        }
    }
}
