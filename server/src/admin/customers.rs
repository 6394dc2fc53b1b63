//! The customers list: search, filters, sorting and paging, all in the URL so a
//! view can be bookmarked and shared; or the unresolved queue of a Stripe import.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use novabilling::{Customer, Page};
use serde::Deserialize;

use super::render::{Chrome, Equivalent, notice, page, problem};
use super::session::Session;
use super::Admin;

/// The list's view, as the URL holds it. Every field is a string so a bad
/// value reaches the API, which says what is wrong with it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct View {
    pub q: String,
    pub country: String,
    pub currency: String,
    pub status: String,
    pub unresolved: String,
    pub sort: String,
    pub order: String,
    pub page: String,
    pub limit: String,
    pub notice: String,
}

impl View {
    fn unresolved(&self) -> bool {
        !self.unresolved.is_empty()
    }

    /// The API's query for this view.
    fn api_query(&self) -> Vec<(&'static str, &str)> {
        let mut q = vec![("page", self.page.as_str()), ("limit", self.limit.as_str())];
        if !self.unresolved() {
            q.extend([
                ("search", self.q.as_str()),
                ("country", self.country.as_str()),
                ("currency", self.currency.as_str()),
                ("status", self.status.as_str()),
                ("sortBy", self.sort.as_str()),
                ("sortOrder", self.order.as_str()),
            ]);
        }
        q.retain(|(_, v)| !v.trim().is_empty());
        q
    }

    /// This view's own URL query, at another page.
    fn at_page(&self, page: u32) -> String {
        let page = page.to_string();
        let pairs: Vec<(&str, &str)> = [
            ("q", self.q.as_str()),
            ("country", &self.country),
            ("currency", &self.currency),
            ("status", &self.status),
            ("unresolved", &self.unresolved),
            ("sort", &self.sort),
            ("order", &self.order),
            ("limit", &self.limit),
            ("page", &page),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// One row as the table shows it.
pub struct Row {
    pub id: String,
    pub name: String,
    pub email: String,
    pub external_id: Option<String>,
    pub country: String,
    pub currency: String,
    pub status: String,
    pub created: String,
}

impl From<Customer> for Row {
    fn from(c: Customer) -> Self {
        Row {
            name: c.name.unwrap_or_default(),
            email: c.email.unwrap_or_default(),
            external_id: c.external_id,
            country: c.country.unwrap_or_default(),
            currency: c.currency.unwrap_or_default(),
            status: c.status.as_str().to_owned(),
            created: c.created_at.format("%Y-%m-%d %H:%M").to_string(),
            id: c.id,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/customers.html")]
struct ListPage {
    c: Chrome,
    v: View,
    notice: String,
    error: String,
    rows: Vec<Row>,
    total: String,
    page: u32,
    pages: u32,
    prev: Option<String>,
    next: Option<String>,
    equiv: Equivalent,
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

pub async fn list(State(admin): State<Admin>, s: Session, Query(v): Query<View>) -> Response {
    let query = serde_urlencoded::to_string(v.api_query()).unwrap_or_default();
    let route = if v.unresolved() { "/api/customers/unresolved" } else { "/api/customers" };
    let path = if query.is_empty() { route.to_owned() } else { format!("{route}?{query}") };
    let cli = cli_args(&v);
    let cli: Vec<&str> = cli.iter().map(String::as_str).collect();
    let equiv = Equivalent::new(&s, Some(&cli), &Method::GET, &path, None, None).about("this list");
    let (rows, total, pg, pages, error, status) = match admin.api.get::<Page<Customer>>(&s.key, &path).await {
        Ok(a) => {
            let p = a.body;
            (p.data.into_iter().map(Row::from).collect(), p.total, p.page, p.total_pages, String::new(), StatusCode::OK)
        }
        // A bad filter is the user's to fix: the page stays, with the API's word on it.
        Err(r) if r.status == StatusCode::BAD_REQUEST => (Vec::new(), 0, 1, 0, r.text(), StatusCode::BAD_REQUEST),
        Err(r) => return problem(&s, "customers", &r),
    };
    let t = ListPage {
        c: Chrome::new(&s, if v.unresolved() { "unresolved" } else { "customers" }),
        notice: notice(Some(&v.notice)).unwrap_or("").into(),
        error,
        rows,
        total: format!("{} {}", thousands(total), if total == 1 { "customer" } else { "customers" }),
        page: pg,
        pages,
        prev: (pg > 1).then(|| v.at_page(pg - 1)),
        next: (pg < pages).then(|| v.at_page(pg + 1)),
        equiv,
        v,
    };
    page(status, &t)
}

/// `novabilling customers list ...` for the view.
fn cli_args(v: &View) -> Vec<String> {
    let mut args: Vec<String> = vec!["customers".into()];
    if v.unresolved() {
        args.push("unresolved".into());
        for (flag, value) in [("--page", &v.page), ("--limit", &v.limit)] {
            if !value.is_empty() {
                args.extend([flag.to_owned(), value.clone()]);
            }
        }
        return args;
    }
    args.push("list".into());
    for (flag, value) in [
        ("--search", &v.q),
        ("--country", &v.country),
        ("--currency", &v.currency),
        ("--status", &v.status),
        ("--sort-by", &v.sort),
        ("--order", &v.order),
        ("--limit", &v.limit),
        ("--page", &v.page),
    ] {
        if !value.trim().is_empty() {
            args.extend([flag.to_owned(), value.trim().to_owned()]);
        }
    }
    args
}
