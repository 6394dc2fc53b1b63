//! Injected failures and delays: `fail_next` and `delay_next` rules, matched
//! by method and path pattern, each for a number of requests.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use novabilling_server::determinism::Determinism;
use novabilling_server::error::ApiError;

/// What a matching request gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// An error answer in the API's error shape, with `Retry-After` when given.
    Fail {
        status: u16,
        retry_after: Option<u32>,
    },
    /// A pause before the request goes on as usual.
    Delay(Duration),
}

/// A method and path that requests are matched against. A path segment `*`
/// or `{name}` matches any one segment, a last segment `**` any rest.
#[derive(Clone, Debug)]
struct Route {
    method: Option<Method>,
    segments: Vec<String>,
}

impl Route {
    fn parse(method: &str, pattern: &str) -> Result<Route, String> {
        let method = match method.trim() {
            "*" | "" => None,
            m => Some(
                Method::from_bytes(m.to_ascii_uppercase().as_bytes()).map_err(|_| {
                    format!("{m:?} is not an HTTP method; use GET, POST, PATCH, DELETE, ... or *")
                })?,
            ),
        };
        if !pattern.starts_with('/') {
            return Err(format!(
                "the path pattern {pattern:?} must start with / (e.g. /api/customers/{{id}})"
            ));
        }
        let segments: Vec<String> = pattern
            .split('?')
            .next()
            .unwrap_or("")
            .split('/')
            .skip(1)
            .map(str::to_owned)
            .collect();
        if segments.iter().rev().skip(1).any(|s| s == "**") {
            return Err(format!("in {pattern:?}, ** may only be the last segment"));
        }
        Ok(Route { method, segments })
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        if self.method.as_ref().is_some_and(|m| m != method) {
            return false;
        }
        let mut got = path.split('/').skip(1);
        for want in &self.segments {
            if want == "**" {
                return true;
            }
            match got.next() {
                Some(seg)
                    if want == "*"
                        || (want.starts_with('{') && want.ends_with('}'))
                        || want == seg => {}
                _ => return false,
            }
        }
        got.next().is_none()
    }
}

#[derive(Debug)]
struct Rule {
    route: Route,
    fault: Fault,
    remaining: u32,
}

/// The rules of one test server, and its determinism when it asked for it.
#[derive(Default)]
pub struct Faults {
    rules: Mutex<Vec<Rule>>,
    pub(crate) determinism: Option<Arc<Determinism>>,
}

impl Faults {
    pub(crate) fn new(determinism: Option<Arc<Determinism>>) -> Self {
        Faults {
            rules: Mutex::default(),
            determinism,
        }
    }

    /// Adds a rule for the next `times` matching requests.
    pub fn add(&self, method: &str, pattern: &str, fault: Fault, times: u32) -> Result<(), String> {
        if let Fault::Fail { status, .. } = fault {
            if !(400..=599).contains(&status) {
                return Err(format!(
                    "status {status} is not an error; fail_next takes 400 to 599"
                ));
            }
        }
        if times == 0 {
            return Err("times must be at least 1".into());
        }
        let route = Route::parse(method, pattern)?;
        self.lock().push(Rule {
            route,
            fault,
            remaining: times,
        });
        Ok(())
    }

    /// Forgets every rule.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Rule>> {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The first matching delay and failure, each used once.
    fn take(&self, method: &Method, path: &str) -> (Option<Duration>, Option<(u16, Option<u32>)>) {
        let mut rules = self.lock();
        let mut delay = None;
        let mut fail = None;
        for rule in rules.iter_mut().filter(|r| r.route.matches(method, path)) {
            match rule.fault {
                Fault::Delay(d) if delay.is_none() => delay = Some(d),
                Fault::Fail {
                    status,
                    retry_after,
                } if fail.is_none() => fail = Some((status, retry_after)),
                _ => continue,
            }
            rule.remaining -= 1;
        }
        rules.retain(|r| r.remaining > 0);
        (delay, fail)
    }
}

/// The middleware: sleeps, fails, or runs the request (in the server's
/// determinism when it has one).
pub(crate) async fn inject(
    State(faults): State<Arc<Faults>>,
    req: Request,
    next: Next,
) -> Response {
    let (delay, fail) = faults.take(req.method(), req.uri().path());
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    if let Some((status, retry_after)) = fail {
        return failure(&req, status, retry_after);
    }
    match &faults.determinism {
        Some(d) => d.clone().scope(next.run(req)).await,
        None => next.run(req).await,
    }
}

fn failure(req: &Request, status: u16, retry_after: Option<u32>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = format!(
        "Injected by the test server (fail_next) for {} {}: a real server answers this way too",
        req.method(),
        req.uri().path()
    );
    let mut resp = ApiError::new(status, code_of(status), message).into_response();
    if let Some(secs) = retry_after {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    resp
}

/// The code the API uses for a status (docs/API-REFERENCE.md's error codes).
fn code_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        422 => "validation_error",
        429 => "rate_limited",
        503 => "service_unavailable",
        500..=599 => "internal_error",
        _ => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(m: &str, p: &str) -> Route {
        Route::parse(m, p).unwrap()
    }

    #[test]
    fn patterns() {
        assert!(route("GET", "/api/customers/{id}").matches(&Method::GET, "/api/customers/cust_1"));
        assert!(!route("GET", "/api/customers/{id}").matches(&Method::GET, "/api/customers"));
        assert!(
            !route("GET", "/api/customers/{id}").matches(&Method::POST, "/api/customers/cust_1")
        );
        assert!(route("*", "/api/customers/*").matches(&Method::DELETE, "/api/customers/x"));
        assert!(route("post", "/api/**").matches(&Method::POST, "/api/customers/x/bind"));
        assert!(route("GET", "/api/customers").matches(&Method::GET, "/api/customers"));
        assert!(!route("GET", "/api/customers").matches(&Method::GET, "/api/customers/x"));
        assert!(Route::parse("GE T", "/x").is_err());
        assert!(Route::parse("GET", "v1/x").is_err());
        assert!(Route::parse("GET", "/api/**/x").is_err());
    }

    #[test]
    fn rules_are_used_up() {
        let f = Faults::default();
        f.add(
            "GET",
            "/a",
            Fault::Fail {
                status: 503,
                retry_after: Some(1),
            },
            2,
        )
        .unwrap();
        f.add("GET", "/a", Fault::Delay(Duration::from_millis(5)), 1)
            .unwrap();
        assert_eq!(
            f.take(&Method::GET, "/a"),
            (Some(Duration::from_millis(5)), Some((503, Some(1))))
        );
        assert_eq!(f.take(&Method::GET, "/a"), (None, Some((503, Some(1)))));
        assert_eq!(f.take(&Method::GET, "/a"), (None, None));
        assert!(
            f.add(
                "GET",
                "/a",
                Fault::Fail {
                    status: 200,
                    retry_after: None
                },
                1
            )
            .is_err()
        );
        assert!(
            f.add(
                "GET",
                "/a",
                Fault::Fail {
                    status: 500,
                    retry_after: None
                },
                0
            )
            .is_err()
        );
    }
}
