//! One Hub call as a shell drives it: options in, requests out, answers in, and at the end a
//! JSON result — or the response itself, for a download whose body the caller streams.
//!
//! Every call of the JavaScript API but `commit` has this one shape, so a shell needs a single
//! driver loop for all of them:
//!
//! 1. look the call up by [`Call::NAME`] (a [`Registry`] walk) and start it with its options:
//!    bad input fails here, before any request exists;
//! 2. send [`Started::request`]; read the body unless [`Flow::needs_body`] says not to (then
//!    cancel it, or keep it unread when the answer is [`Step::Body`]);
//! 3. feed the answer to [`Flow::on_response`] and do what the [`Step`] says, until `Done` or
//!    `Body`.
//!
//! Adding a call: its module in its area (options, request builder, answer type, parser, a
//! `Call` impl, tests) and one `r.add::<…>()` line in the area's `register`.

use alloc::boxed::Box;
use alloc::string::String;
use serde::Serialize;

use crate::error::HubError;
use crate::http::{HttpRequest, HttpResponseHead};
use crate::options::FromOpts;

/// What the shell does after an answer.
#[derive(Debug)]
pub enum Step {
    /// Send this request and feed its answer back.
    Send(HttpRequest),
    /// The call's result, as JSON text.
    Done(String),
    /// The result is this answer itself, its body unread (a download).
    Body,
}

/// The rest of a started call.
pub trait Flow {
    /// Whether [`Flow::on_response`] needs this answer's body. When not, the shell cancels it (a
    /// server that ignored `Range` would send a whole file) or hands it over unread.
    fn needs_body(&self, head: &HttpResponseHead) -> bool {
        let _ = head;
        true
    }

    /// Takes an answer; `body` is empty when [`Flow::needs_body`] said so.
    fn on_response(&mut self, head: &HttpResponseHead, body: &[u8]) -> Result<Step, HubError>;
}

/// A call's first request and what handles its answers.
pub struct Started {
    /// Handles the answers.
    pub flow: Box<dyn Flow>,
    /// The first request.
    pub request: HttpRequest,
}

/// The parser of a call whose answer carries nothing (a delete, a new branch, an access check):
/// any 2xx did it, anything else is the Hub's error with its meaning (`from_response`).
pub fn parse_success(head: &HttpResponseHead, body: &[u8]) -> Result<(), HubError> {
    if head.is_success() {
        Ok(())
    } else {
        Err(HubError::from_response(head, body))
    }
}

impl Started {
    /// A call of one request whose answer `parse` turns into the result.
    pub fn single<T: Serialize + 'static>(
        request: HttpRequest,
        parse: fn(&HttpResponseHead, &[u8]) -> Result<T, HubError>,
    ) -> Started {
        Started::with(request, parse)
    }

    /// A call of one request whose parser needs what the options said (the fields asked for).
    pub fn with<T, F>(request: HttpRequest, parse: F) -> Started
    where
        T: Serialize + 'static,
        F: Fn(&HttpResponseHead, &[u8]) -> Result<T, HubError> + 'static,
    {
        Started {
            flow: Box::new(Single(parse)),
            request,
        }
    }
}

struct Single<F>(F);

impl<T: Serialize, F: Fn(&HttpResponseHead, &[u8]) -> Result<T, HubError>> Flow for Single<F> {
    fn on_response(&mut self, head: &HttpResponseHead, body: &[u8]) -> Result<Step, HubError> {
        to_json(&(self.0)(head, body)?).map(Step::Done)
    }
}

/// A result as JSON text.
pub fn to_json<T: Serialize + ?Sized>(v: &T) -> Result<String, HubError> {
    crate::http::json::to_string(v)
        .map_err(|_| HubError::invalid_input("cannot convert the result to JSON"))
}

/// A Hub call that the JavaScript API makes by name.
pub trait Call {
    /// The name the shell is asked for (the JavaScript function's name where there is one).
    const NAME: &'static str;
    /// Its options.
    type Options: FromOpts;
    /// What its JSON result holds (or stands for, when the result is a response).
    #[cfg(not(test))]
    type Output;
    /// What its JSON result holds (or stands for, when the result is a response).
    #[cfg(test)]
    type Output: ts_rs::TS + 'static;
    /// Validates the options into the first request; no request exists before this is `Ok`.
    fn start(o: Self::Options) -> Result<Started, HubError>;
}

/// Something that takes every call in turn: the shell's lookup by name, the generator of the
/// TypeScript wire types.
pub trait Registry {
    /// Takes one call.
    fn add<C: Call>(&mut self);
}

/// Starts `C` from options read off `o`.
pub fn start<C: Call>(o: &crate::options::Opts) -> Result<Started, HubError> {
    C::start(C::Options::from_opts(o)?)
}

/// A call's starter, found by name.
pub type Starter = fn(&crate::options::Opts) -> Result<Started, HubError>;

/// Finds a call by name in a registry.
pub struct Find<'a> {
    name: &'a str,
    /// The call's starter and name, once found.
    found: Option<(Starter, &'static str)>,
}

impl<'a> Find<'a> {
    /// A lookup of `name`.
    pub fn new(name: &'a str) -> Self {
        Find { name, found: None }
    }

    /// The call's starter and its name (for messages), when it was found.
    pub fn found(&self) -> Option<(Starter, &'static str)> {
        self.found
    }
}

impl Registry for Find<'_> {
    fn add<C: Call>(&mut self) {
        if self.found.is_none() && self.name == C::NAME {
            self.found = Some((start::<C>, C::NAME));
        }
    }
}

/// Gives a type that only stands for a JavaScript value (a `Response`, a passed-through
/// answer) its TypeScript name in the generated wire types.
#[macro_export]
macro_rules! wire_alias {
    ($t:ty = $ts:literal) => {
        #[cfg(test)]
        impl ts_rs::TS for $t {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &ts_rs::Config) -> alloc::string::String {
                alloc::string::String::from($ts)
            }
            fn inline(cfg: &ts_rs::Config) -> alloc::string::String {
                <Self as ts_rs::TS>::name(cfg)
            }
        }
    };
}
