//! Pages of customers: `GET /api/customers` (filtered, searched, sorted, ties
//! broken by id) and the unresolved customers.

use novabilling::model::{Customer, ListParams, Page, PageParams, ResponseMeta, SortBy, SortOrder};

use super::counts::{self, Filter};
use super::customers::{CustomerRow, SEARCH_SEP, customer_cols};
use crate::db::{Db, with_db};

/// Where a listing's rows come from; each needs its own query shape.
enum Source {
    /// The tenant's customers, through their own indexes.
    Customers,
    /// The matches of a search term, read once for the page and its total (a
    /// window count). On SQLite, through the trigram index, joined to their
    /// customers: the matches drive the query (CROSS JOIN fixes the order),
    /// otherwise SQLite walks every customer of the tenant and tests each
    /// against the index, 140 ms instead of a few at a million customers. On
    /// PostgreSQL, through pg_trgm's index on the customers themselves.
    Matches,
    /// The customers with no externalId, through their partial index. SQLite's
    /// planner would take the unique (tenant, externalId) index for
    /// `external_id IS NULL` instead and sort every match: 330 ms for the first
    /// page of a million unresolved customers, against well under 1 ms.
    Unresolved,
}

impl Source {
    fn tables(&self, postgres: bool) -> &'static str {
        match self {
            Source::Customers => "customers c",
            Source::Unresolved | Source::Matches if postgres => "customers c",
            Source::Unresolved => "customers c INDEXED BY customers_unresolved",
            Source::Matches => "customers_fts f CROSS JOIN customers c ON c.seq = f.rowid",
        }
    }
}

struct Listing<'a> {
    source: Source,
    /// Where the total comes from: the counts, unless a search narrows the
    /// listing beyond what they keep.
    counted: Option<Filter<'a>>,
    /// SQL conditions on `c` (and `f`), with `$n` parameters for `binds`.
    conds: String,
    binds: Vec<String>,
    order: String,
    page: u32,
    limit: u32,
}

impl Listing<'_> {
    fn new(tenant: &str, page: Option<u32>, limit: Option<u32>) -> Self {
        Listing {
            source: Source::Customers,
            counted: Some(Filter::default()),
            conds: "c.tenant_id = $1 AND c.deleted_at IS NULL".into(),
            binds: vec![tenant.to_owned()],
            order: "c.created_at DESC, c.id DESC".into(),
            page: page.unwrap_or(1),
            limit: limit.unwrap_or(20),
        }
    }

    /// Adds ` AND <cond>`, where `$?` in `cond` stands for `value`.
    fn and(&mut self, cond: &str, value: String) {
        self.binds.push(value);
        self.conds.push_str(" AND ");
        self.conds.push_str(&cond.replace("$?", &format!("${}", self.binds.len())));
    }
}

/// A validated `GET /api/customers`.
pub async fn list(db: &Db, tenant: &str, params: ListParams) -> Result<Page<Customer>, sqlx::Error> {
    let mut l = Listing::new(tenant, params.page, params.limit);
    if let Some(f) = &mut l.counted {
        f.country = params.country.as_deref();
        f.currency = params.currency.as_deref();
        f.status = params.status.as_ref().map(novabilling::model::CustomerStatus::as_str);
    }
    if let Some(term) = params.search.as_deref().filter(|s| !s.is_empty()) {
        let term = term.to_lowercase();
        l.counted = None;
        if term.contains(SEARCH_SEP) {
            l.conds.push_str(" AND 1 = 0");
        } else {
            if db.is_postgres() {
                l.source = Source::Matches;
            } else if term.chars().count() >= 3 {
                l.source = Source::Matches;
                l.and("f.customers_fts MATCH $?", format!("\"{}\"", term.replace('"', "\"\"")));
            }
            l.and("c.search_lc LIKE $? ESCAPE '\\'", format!("%{}%", escape_like(&term)));
        }
    }
    if let Some(country) = &params.country {
        l.and("c.country = $?", country.clone());
    }
    if let Some(currency) = &params.currency {
        l.and("c.currency = $?", currency.clone());
    }
    if let Some(status) = &params.status {
        l.and("c.status = $?", status.as_str().to_owned());
    }
    let dir = match params.sort_order {
        Some(SortOrder::Asc) => "ASC",
        _ => "DESC",
    };
    let (col, nulls) = match params.sort_by {
        Some(SortBy::UpdatedAt) => ("c.updated_at", ""),
        Some(SortBy::Name) => ("c.name", " NULLS LAST"),
        Some(SortBy::Email) => ("c.email", " NULLS LAST"),
        _ => ("c.created_at", ""),
    };
    l.order = format!("{col} {dir}{nulls}, c.id {dir}");
    run(db, l).await
}

/// Customers with no externalId, newest first.
pub async fn unresolved(db: &Db, tenant: &str, params: PageParams) -> Result<Page<Customer>, sqlx::Error> {
    let mut l = Listing::new(tenant, params.page, params.limit);
    l.source = Source::Unresolved;
    l.conds.push_str(" AND c.external_id IS NULL");
    l.counted = Some(Filter { unresolved: true, ..Filter::default() });
    run(db, l).await
}

async fn run(db: &Db, l: Listing<'_>) -> Result<Page<Customer>, sqlx::Error> {
    let tables = l.source.tables(db.is_postgres());
    let count_sql = format!("SELECT COUNT(*) FROM {tables} WHERE {}", l.conds);
    let (limit_param, offset_param) = (l.binds.len() + 1, l.binds.len() + 2);
    let offset = (i64::from(l.page) - 1) * i64::from(l.limit);
    let (total, rows) = match l.source {
        Source::Customers | Source::Unresolved => {
            // The offset is walked in the sort's index alone (it holds the id),
            // and only the page's rows are read: page 5,000 of a million
            // customers would otherwise read 100,000 rows to skip them.
            let data_sql = format!(
                "SELECT {} FROM (SELECT c.id AS mid FROM {tables} WHERE {} ORDER BY {} LIMIT ${limit_param} OFFSET ${offset_param}) m \
                 JOIN customers c ON c.id = m.mid ORDER BY {}",
                customer_cols!(),
                l.conds,
                l.order,
                l.order,
            );
            let total = match &l.counted {
                Some(f) => counts::total(db, &l.binds[0], f).await?,
                None => with_db!(db, read, |p| {
                    let count = sqlx::query_scalar::<_, i64>(&count_sql);
                    l.binds.iter().fold(count, |q, b| q.bind(b.as_str())).fetch_one(p).await?
                }),
            };
            with_db!(db, read, |p| {
                let rows = if total > offset {
                    let data = sqlx::query_as::<_, CustomerRow>(&data_sql);
                    let data = l.binds.iter().fold(data, |q, b| q.bind(b.as_str()));
                    data.bind(i64::from(l.limit)).bind(offset).fetch_all(p).await?
                } else {
                    Vec::new()
                };
                (total, rows)
            })
        }
        Source::Matches => {
            // One pass over the matches yields the page's ids and the total (a
            // window count), instead of a count and a page query that would
            // each read the index again: a third of the time at 1M customers
            // on SQLite, about half on PostgreSQL.
            let page_sql = format!(
                "SELECT {}, m.total AS page_total FROM (SELECT c.id AS mid, COUNT(*) OVER () AS total FROM {tables} \
                 WHERE {} ORDER BY {} LIMIT ${limit_param} OFFSET ${offset_param}) m \
                 JOIN customers c ON c.id = m.mid ORDER BY {}",
                customer_cols!(),
                l.conds,
                l.order,
                l.order
            );
            with_db!(db, read, |p| {
                let page = sqlx::query_as::<_, CustomerRow>(&page_sql);
                let page = l.binds.iter().fold(page, |q, b| q.bind(b.as_str()));
                let rows = page.bind(i64::from(l.limit)).bind(offset).fetch_all(p).await?;
                // No row, so no total on one: past the last page, or nothing matched.
                let total = if let Some(t) = rows.first().and_then(|r| r.page_total) {
                    t
                } else {
                    let count = sqlx::query_scalar::<_, i64>(&count_sql);
                    l.binds.iter().fold(count, |q, b| q.bind(b.as_str())).fetch_one(p).await?
                };
                (total, rows)
            })
        }
    };
    let total = u64::try_from(total).unwrap_or(0);
    Ok(Page {
        data: rows.into_iter().map(|r| r.into_customer().0).collect(),
        total,
        page: l.page,
        limit: l.limit,
        total_pages: u32::try_from(total.div_ceil(u64::from(l.limit))).unwrap_or(u32::MAX),
        next: None,
        response: ResponseMeta::default(),
    })
}

/// Escapes `\`, `%` and `_` for `LIKE ... ESCAPE '\'`.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for ch in s.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
