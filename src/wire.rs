//! The TypeScript types of everything that crosses the wasm boundary, generated from the Rust
//! types into `js/src/wire.ts` by a test, so the `.wasm` carries nothing for them and the two
//! sides cannot drift: `cargo test` fails when the checked-in file differs from a fresh
//! generation (`UPDATE_WIRE=1 cargo test --lib wire` rewrites it).

use std::collections::BTreeSet;
use std::string::String;
use std::vec::Vec;

use ts_rs::{Config, TypeVisitor, TS};

use crate::call::{Call, Registry};
use crate::options::FromOpts;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/js/src/wire.ts");

/// The declarations collected so far, each once: options in the order the calls are
/// registered, answer types by name (ts-rs visits dependencies in an order that changes from
/// one build to the next; TypeScript does not mind where a type alias is declared).
struct Collect {
    cfg: Config,
    seen: BTreeSet<String>,
    decls: Vec<String>,
    types: std::collections::BTreeMap<String, String>,
    calls: Vec<String>,
}

impl Collect {
    fn options<O: FromOpts>(&mut self) {
        let mut found = Vec::new();
        O::visit(&mut found);
        for (name, ts) in found {
            if self.seen.insert(String::from(name)) {
                self.decls.push(format!("export type {name} = {ts};"));
            }
        }
    }

    fn output<T: TS + 'static + ?Sized>(&mut self) {
        self.visit::<T>();
    }
}

impl TypeVisitor for Collect {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Derived types have a file of their own in ts-rs; primitives and containers do not.
        let name = T::ident(&self.cfg);
        if T::output_path().is_some() && !self.types.contains_key(&name) {
            let docs = T::docs().unwrap_or_default();
            let decl = pretty(&T::decl(&self.cfg));
            self.types.insert(name, format!("{docs}export {decl}"));
        }
        T::visit_generics(self);
        T::visit_dependencies(self);
    }
}

impl Registry for Collect {
    fn add<C: Call>(&mut self) {
        self.options::<C::Options>();
        self.output::<C::Output>();
        let options = <C::Options as FromOpts>::NAME;
        let output = C::Output::name(&self.cfg);
        self.calls.push(format!(
            "\t{}: {{ options: {options}; output: {output} }};",
            C::NAME
        ));
    }
}

/// ts-rs writes an object type on a few long lines (`{ /** doc */ a: T, b: U, }`): one field
/// per line, each after its doc, reads better.
fn pretty(decl: &str) -> String {
    let (Some(open), Some(close)) = (decl.find("= {"), decl.rfind('}')) else {
        return String::from(decl);
    };
    let (head, body) = (&decl[..open + 3], &decl[open + 3..close]);
    let mut out = String::from(head);
    let (mut depth, mut field, mut doc) = (0i32, String::new(), String::new());
    let mut in_doc = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if in_doc {
            doc.push(c);
            if doc.ends_with("*/") {
                in_doc = false;
            }
            continue;
        }
        if c == '/' && chars.peek() == Some(&'*') && depth == 0 {
            in_doc = true;
            doc.push(c);
            continue;
        }
        match c {
            '{' | '<' | '(' | '[' => depth += 1,
            '}' | '>' | ')' | ']' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            let text: Vec<&str> = doc
                .lines()
                .map(|l| {
                    l.trim()
                        .trim_end_matches("*/")
                        .trim_start_matches("/**")
                        .trim_start_matches('*')
                        .trim()
                })
                .filter(|l| !l.is_empty())
                .collect();
            if !text.is_empty() {
                out.push_str(&format!("\n\t/** {} */", text.join(" ")));
            }
            out.push_str(&format!("\n\t{};", field.trim()));
            field.clear();
            doc.clear();
        } else {
            field.push(c);
        }
    }
    out.push_str("\n}");
    out.push_str(&decl[close + 1..]);
    out
}

/// The names of the calls a module registers.
fn module_calls(register: fn(&mut Names)) -> Vec<&'static str> {
    let mut n = Names(Vec::new());
    register(&mut n);
    n.0
}

struct Names(Vec<&'static str>);

impl Registry for Names {
    fn add<C: Call>(&mut self) {
        self.0.push(C::NAME);
    }
}

/// The whole file.
fn generate() -> String {
    let mut c = Collect {
        cfg: Config::new().with_large_int("number"),
        seen: BTreeSet::new(),
        decls: Vec::new(),
        types: Default::default(),
        calls: Vec::new(),
    };
    crate::register_calls(&mut c);
    // What crosses outside `call(name, …)`: the commit export and the cache's naming helpers.
    c.options::<crate::commit::options::CommitOptions>();
    c.output::<crate::commit::ndjson::CommitResult>();
    c.output::<crate::files::target::FileTarget>();
    let mut out = String::from(
        "// Generated from the Rust types by `cargo test --lib wire` (src/wire.rs): do not edit.\n\
         // `UPDATE_WIRE=1 cargo test --lib wire` rewrites it after a change on the Rust side.\n\n",
    );
    for d in c.decls.iter().chain(c.types.values()) {
        out.push_str(d);
        out.push_str("\n\n");
    }
    for (module, names) in [
        ("Files", module_calls(crate::modules::files)),
        ("Api", module_calls(crate::modules::api)),
        ("Refs", module_calls(crate::modules::refs)),
        ("Repos", module_calls(crate::modules::repos)),
        ("Manage", module_calls(crate::modules::manage)),
        ("OAuth", module_calls(crate::modules::oauth)),
        ("Info", module_calls(crate::modules::info)),
    ] {
        out.push_str(&format!(
            "/** The calls the `{}` module carries. */\nexport type {module}Call = {};\n\n",
            module.to_lowercase(),
            names
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    out.push_str("/** Every named call: its options and what its result holds. */\n");
    out.push_str("export interface Calls {\n");
    for line in &c.calls {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("}\n");
    out
}

#[test]
fn wire_types_are_generated_from_the_rust_types() {
    let fresh = generate();
    if std::env::var_os("UPDATE_WIRE").is_some() {
        std::fs::write(PATH, &fresh).unwrap();
        return;
    }
    let current = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        current == fresh,
        "js/src/wire.ts is not what the Rust types generate: run `UPDATE_WIRE=1 cargo test --lib wire` and commit it"
    );
}

#[test]
fn every_call_has_one_name() {
    let mut c = Collect {
        cfg: Config::new(),
        seen: BTreeSet::new(),
        decls: Vec::new(),
        types: Default::default(),
        calls: Vec::new(),
    };
    crate::register_calls(&mut c);
    let names: BTreeSet<&str> = c
        .calls
        .iter()
        .map(|l| l.trim_start().split(':').next().unwrap())
        .collect();
    assert_eq!(names.len(), c.calls.len());
}
