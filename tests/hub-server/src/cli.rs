//! Command-line flags. Hand-rolled so the test server stays a small dependency tree.

use std::path::PathBuf;

use crate::state::Role;

/// Usage text printed for `--help` and on a flag error.
pub const USAGE: &str = "\
hub-server: a local stand-in for the Hugging Face Hub HTTP API (127.0.0.1 only)

USAGE: hub-server [FLAGS]

  --port N                 port to listen on (0 = pick a free one, the default)
  --storage-port N         port of the storage (LFS/CDN) listener (default: a free one)
  --data DIR               keep state and blobs under DIR and reload them on restart
  --user NAME              extra user with a random write token (repeatable)
  --token NAME:TOKEN[:ROLE] explicit token, ROLE read|write (default write) (repeatable)
  --org ORG:m1,m2          organization and its members (repeatable)
  --page-size N            tree/list page size (default 1000; 50 with expand=true)
  --multipart-threshold B  LFS objects of at least B bytes upload in parts (default 10485760)
  --chunk-size B           multipart part size in bytes (default 5242880)
  --url-ttl SECONDS        lifetime of signed storage URLs (default 3600)
  --faults                 enable fault injection rules (/__admin/faults)
  --verbose                log every request to stderr
  --help                   print this text

The first stdout line is JSON:
  {\"url\":…,\"token\":…,\"user\":\"test-user\"[,\"tokens\":{…}],\"storageUrl\":…}
";

/// An explicit `--token` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenArg {
    pub user: String,
    pub token: String,
    pub role: Role,
}

/// An `--org` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgArg {
    pub name: String,
    pub members: Vec<String>,
}

/// Parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    pub port: u16,
    pub storage_port: u16,
    pub data: Option<PathBuf>,
    pub users: Vec<String>,
    pub tokens: Vec<TokenArg>,
    pub orgs: Vec<OrgArg>,
    /// `None` when not given, so the expand page size can tell "default" from "chosen".
    pub page_size: Option<usize>,
    pub multipart_threshold: u64,
    pub chunk_size: u64,
    pub url_ttl: u64,
    pub faults: bool,
    pub verbose: bool,
    pub help: bool,
}

impl Default for Args {
    fn default() -> Args {
        Args {
            port: 0,
            storage_port: 0,
            data: None,
            users: Vec::new(),
            tokens: Vec::new(),
            orgs: Vec::new(),
            page_size: None,
            multipart_threshold: 10 * 1024 * 1024,
            chunk_size: 5 * 1024 * 1024,
            url_ttl: 3600,
            faults: false,
            verbose: false,
            help: false,
        }
    }
}

/// A positive integer flag value.
fn positive(name: &str, v: &str) -> Result<u64, String> {
    v.parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("invalid {name} {v:?}: a positive integer is needed"))
}

impl Args {
    /// Parses flags (without the program name). Accepts `--flag value` and `--flag=value`.
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Args, String> {
        let mut out = Args::default();
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| -> Result<String, String> {
                match inline.clone() {
                    Some(v) => Ok(v),
                    None => it.next().ok_or_else(|| format!("{name} needs a value")),
                }
            };
            match flag.as_str() {
                "--port" => {
                    let v = value("--port")?;
                    out.port = v.parse().map_err(|_| format!("invalid --port {v:?}"))?;
                }
                "--storage-port" => {
                    let v = value("--storage-port")?;
                    out.storage_port = v
                        .parse()
                        .map_err(|_| format!("invalid --storage-port {v:?}"))?;
                }
                "--multipart-threshold" => {
                    out.multipart_threshold =
                        positive("--multipart-threshold", &value("--multipart-threshold")?)?
                }
                "--chunk-size" => {
                    out.chunk_size = positive("--chunk-size", &value("--chunk-size")?)?
                }
                "--url-ttl" => out.url_ttl = positive("--url-ttl", &value("--url-ttl")?)?,
                "--faults" => out.faults = true,
                "--data" => out.data = Some(PathBuf::from(value("--data")?)),
                "--user" => {
                    let v = value("--user")?;
                    check_name(&v)?;
                    out.users.push(v);
                }
                "--token" => out.tokens.push(parse_token(&value("--token")?)?),
                "--org" => out.orgs.push(parse_org(&value("--org")?)?),
                "--page-size" => {
                    let v = value("--page-size")?;
                    let n: usize = v
                        .parse()
                        .map_err(|_| format!("invalid --page-size {v:?}"))?;
                    if n == 0 {
                        return Err("--page-size must be at least 1".into());
                    }
                    out.page_size = Some(n);
                }
                "--verbose" | "-v" => out.verbose = true,
                "--help" | "-h" => out.help = true,
                other => return Err(format!("unknown flag {other:?}")),
            }
        }
        Ok(out)
    }
}

fn parse_token(v: &str) -> Result<TokenArg, String> {
    let mut parts = v.splitn(3, ':');
    let user = parts.next().unwrap_or_default().to_string();
    let token = parts.next().unwrap_or_default().to_string();
    let role = match parts.next() {
        None | Some("write") => Role::Write,
        Some("read") => Role::Read,
        Some(r) => return Err(format!("invalid token role {r:?} (read|write)")),
    };
    check_name(&user)?;
    if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("invalid token in --token {v:?}"));
    }
    Ok(TokenArg { user, token, role })
}

fn parse_org(v: &str) -> Result<OrgArg, String> {
    let (name, members) = v.split_once(':').unwrap_or((v, ""));
    check_name(name)?;
    let members: Vec<String> = members
        .split(',')
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect();
    for m in &members {
        check_name(m)?;
    }
    Ok(OrgArg {
        name: name.to_string(),
        members,
    })
}

fn check_name(name: &str) -> Result<(), String> {
    if crate::paths::valid_repo_part(name) {
        Ok(())
    } else {
        Err(format!("invalid user or org name {name:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &[&str]) -> Result<Args, String> {
        Args::parse(v.iter().map(|s| s.to_string()))
    }

    #[test]
    fn no_arguments_means_pick_a_port_in_memory() {
        assert_eq!(parse(&[]).unwrap(), Args::default());
    }

    #[test]
    fn every_flag_is_understood() {
        let a = parse(&[
            "--port=8080",
            "--data",
            "/tmp/x",
            "--user",
            "bob",
            "--token",
            "carol:hf_abc:read",
            "--org",
            "acme:bob,carol",
            "--page-size",
            "2",
            "--verbose",
            "--storage-port=8081",
            "--multipart-threshold",
            "100",
            "--chunk-size=40",
            "--url-ttl",
            "5",
            "--faults",
        ])
        .unwrap();
        assert_eq!(a.storage_port, 8081);
        assert_eq!(
            (a.multipart_threshold, a.chunk_size, a.url_ttl),
            (100, 40, 5)
        );
        assert!(a.faults);
        assert_eq!(a.port, 8080);
        assert_eq!(a.data, Some(PathBuf::from("/tmp/x")));
        assert_eq!(a.users, vec!["bob"]);
        assert_eq!(a.tokens[0].role, Role::Read);
        assert_eq!(a.orgs[0].members, vec!["bob", "carol"]);
        assert_eq!(a.page_size, Some(2));
        assert!(a.verbose);
    }

    #[test]
    fn bad_flags_are_rejected() {
        assert!(parse(&["--nope"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--token", "bob:hf_x:admin"]).is_err());
        assert!(parse(&["--page-size", "0"]).is_err());
        assert!(parse(&["--chunk-size", "0"]).is_err());
        assert!(parse(&["--multipart-threshold", "-1"]).is_err());
        assert!(parse(&["--user", "bad name"]).is_err());
    }
}
