//! Pages of customers: `GET /api/customers` (filtered, searched, sorted, ties
//! broken by id) and the unresolved customers; by page number (an offset) or
//! after a customer (`startingAfter`: a keyset, read from the sort's index
//! wherever the page is).

use novabilling::model::{Customer, ListParams, Page, PageParams, ResponseMeta, SortBy, SortOrder};

use super::counts::{self, Filter};
use super::customers::{CustomerRow, SEARCH_SEP, customer_cols};
use crate::db::{Db, with_db};
use crate::error::{ApiError, ApiResult};

/// Where a listing's rows come from; each needs its own query shape.
enum Source {
    /// The tenant's customers, through their own indexes.
    Customers,
    /// The matches of a search term, read once for the page and its total (a
    /// window count). On SQLite, through the trigram index (asked for the term's
    /// rarer trigrams: `store::trigrams`), joined to their
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
    /// ` AND <cond>` of a keyset: the rows after `startingAfter`'s customer,
    /// with its `$n` parameters (numbered after `binds`) in `after_binds`. Not
    /// in `conds`, so totals still count the whole listing.
    after: String,
    after_binds: Vec<String>,
    binds: Vec<String>,
    order: String,
    page: u32,
    limit: u32,
}

impl Listing<'_> {
    /// A listing of page `page` (1 by default); one `keyset` (after a
    /// customer) without a page number is page 0: its number is unknown.
    fn new(tenant: &str, page: Option<u32>, limit: Option<u32>, keyset: bool) -> Self {
        Listing {
            source: Source::Customers,
            counted: Some(Filter::default()),
            conds: "c.tenant_id = $1 AND c.deleted_at IS NULL".into(),
            after: String::new(),
            after_binds: Vec::new(),
            binds: vec![tenant.to_owned()],
            order: "c.created_at DESC, c.id DESC".into(),
            page: page.unwrap_or(u32::from(!keyset)),
            limit: limit.unwrap_or(20),
        }
    }

    /// Adds ` AND <cond>`, where `$?` in `cond` stands for `value`.
    fn and(&mut self, cond: &str, value: String) {
        self.binds.push(value);
        self.conds.push_str(" AND ");
        self.conds.push_str(&cond.replace("$?", &format!("${}", self.binds.len())));
    }

    /// Starts the page after customer `id` in the order `col dir` (then id),
    /// whatever page number it has (only `meta` shows it). The customer may
    /// have been deleted since it was listed: its row still places it.
    async fn after(&mut self, db: &Db, id: &str, col: &str, desc: bool) -> ApiResult<()> {
        let sql = format!("SELECT CAST({col} AS TEXT) FROM customers c WHERE c.tenant_id = $1 AND c.id = $2");
        let found: Option<Option<String>> =
            with_db!(db, read, |p| sqlx::query_scalar(&sql).bind(&self.binds[0]).bind(id).fetch_optional(p).await)?;
        // A customer that is not there is a 404, as wherever a request names one.
        let Some(value) = found else {
            return Err(ApiError::not_found(format!(
                "startingAfter: no customer with id {id:?}; pass the id of a customer of the page before"
            )));
        };
        let (lt, n) = (if desc { "<" } else { ">" }, self.binds.len());
        // Timestamps are numbers: compared as numbers on both databases.
        let v = if col.ends_with("_at") { format!("CAST(${} AS BIGINT)", n + 1) } else { format!("${}", n + 1) };
        let i = format!("${}", n + 2);
        // NULLS LAST: every customer with the column unset comes after those with it set.
        self.after = if let Some(value) = value {
            self.after_binds.extend([value, id.to_owned()]);
            let nulls = if col.ends_with("_at") { String::new() } else { format!(" OR {col} IS NULL") };
            format!(" AND (({col}, c.id) {lt} ({v}, {i}){nulls})")
        } else {
            self.after_binds.push(id.to_owned());
            format!(" AND {col} IS NULL AND c.id {lt} ${}", n + 1)
        };
        Ok(())
    }
}

/// A validated `GET /api/customers`, from `params.page` or after customer `starting_after`.
pub async fn list(db: &Db, tenant: &str, params: ListParams, starting_after: Option<&str>) -> ApiResult<Page<Customer>> {
    let mut l = Listing::new(tenant, params.page, params.limit, starting_after.is_some());
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
            } else if let (Db::Sqlite { read, trigrams, .. }, true) = (db, term.chars().count() >= 3) {
                l.source = Source::Matches;
                l.and("f.customers_fts MATCH $?", trigrams.match_expr(read, &term).await?);
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
    if let Some(id) = starting_after {
        l.after(db, id, col, dir == "DESC").await?;
    }
    Ok(run(db, l).await?)
}

/// Customers with no externalId, newest first, from `params.page` or after customer `starting_after`.
pub async fn unresolved(db: &Db, tenant: &str, params: PageParams, starting_after: Option<&str>) -> ApiResult<Page<Customer>> {
    let mut l = Listing::new(tenant, params.page, params.limit, starting_after.is_some());
    l.source = Source::Unresolved;
    l.conds.push_str(" AND c.external_id IS NULL");
    l.counted = Some(Filter { unresolved: true, ..Filter::default() });
    if let Some(id) = starting_after {
        l.after(db, id, "c.created_at", true).await?;
    }
    Ok(run(db, l).await?)
}

async fn run(db: &Db, l: Listing<'_>) -> Result<Page<Customer>, sqlx::Error> {
    let tables = l.source.tables(db.is_postgres());
    let count_sql = format!("SELECT COUNT(*) FROM {tables} WHERE {}", l.conds);
    // The keyset's parameters follow the listing's; the count takes only the listing's.
    let binds: Vec<&str> = l.binds.iter().chain(&l.after_binds).map(String::as_str).collect();
    let (limit_param, offset_param) = (binds.len() + 1, binds.len() + 2);
    let keyset = !l.after.is_empty();
    let offset = if keyset { 0 } else { (i64::from(l.page) - 1) * i64::from(l.limit) };
    // One row past the page says whether another follows (`nextStartingAfter`).
    let fetch = i64::from(l.limit) + 1;
    let (conds, after, order) = (&l.conds, &l.after, &l.order);
    let (total, mut rows) = match l.source {
        Source::Customers | Source::Unresolved => {
            // The offset is walked in the sort's index alone (it holds the id),
            // and only the page's rows are read: page 5,000 of a million
            // customers would otherwise read 100,000 rows to skip them.
            let data_sql = format!(
                "SELECT {} FROM (SELECT c.id AS mid FROM {tables} WHERE {conds}{after} ORDER BY {order} \
                 LIMIT ${limit_param} OFFSET ${offset_param}) m JOIN customers c ON c.id = m.mid ORDER BY {order}",
                customer_cols!(),
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
                    let data = binds.iter().fold(data, |q, b| q.bind(*b));
                    data.bind(fetch).bind(offset).fetch_all(p).await?
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
            // On PostgreSQL the matches are fenced off (OFFSET 0) from the
            // order: asked for the page alone, the planner may walk the sort's
            // index through every customer of the tenant, testing each, when
            // it misjudges how many match (428 ms instead of 10 for some
            // surnames at a million customers). Every match is read for the
            // total anyway, so pg_trgm's index is always the way in.
            let matches = if db.is_postgres() {
                format!(
                    "(SELECT c.id, c.created_at, c.updated_at, c.name, c.email FROM {tables} WHERE {conds}{after} \
                     OFFSET 0) c"
                )
            } else {
                format!("{tables} WHERE {conds}{after}")
            };
            let page_sql = format!(
                "SELECT {}, m.total AS page_total FROM (SELECT c.id AS mid, COUNT(*) OVER () AS total FROM {matches} \
                 ORDER BY {order} LIMIT ${limit_param} OFFSET ${offset_param}) m \
                 JOIN customers c ON c.id = m.mid ORDER BY {order}",
                customer_cols!(),
            );
            with_db!(db, read, |p| {
                let page = sqlx::query_as::<_, CustomerRow>(&page_sql);
                let page = binds.iter().fold(page, |q, b| q.bind(*b));
                let rows = page.bind(fetch).bind(offset).fetch_all(p).await?;
                // A keyset's window counts only the matches after it; and with
                // no row there is no total on one (past the last page, or
                // nothing matched).
                let total = match rows.first().and_then(|r| r.page_total) {
                    Some(t) if !keyset => t,
                    _ => {
                        let count = sqlx::query_scalar::<_, i64>(&count_sql);
                        l.binds.iter().fold(count, |q, b| q.bind(b.as_str())).fetch_one(p).await?
                    }
                };
                (total, rows)
            })
        }
    };
    let more = rows.len() > l.limit as usize;
    rows.truncate(l.limit as usize);
    let data: Vec<Customer> = rows.into_iter().map(|r| r.into_customer().0).collect();
    let total = u64::try_from(total).unwrap_or(0);
    Ok(Page {
        next_starting_after: if more { data.last().map(|c| c.id.clone()) } else { None },
        data,
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

#[cfg(test)]
mod tests {
    use novabilling::model::ListParams;

    use crate::db::Db;

    /// A search whose term has a trigram in every row asks the index for its
    /// rarer trigrams only (`store::trigrams`): it must still find exactly
    /// the customers that hold the term, and count them all.
    #[tokio::test]
    async fn a_search_past_a_trigram_common_to_all_finds_exactly_the_term() {
        let dir = std::env::temp_dir().join(format!("nb-trigrams-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::connect(dir.join("t.db").to_str().unwrap()).await.unwrap();
        let Db::Sqlite { write, read, trigrams, .. } = &db else { unreachable!("an SQLite URL") };
        sqlx::query("INSERT INTO tenants (id, name, created_at) VALUES ('ten_t', 't', 0)").execute(write).await.unwrap();
        // 12,000 customers "name{i} sur{i % 500}": "sur" and "ur" are in all of them.
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 11999) \
             INSERT INTO customers (id, tenant_id, status, metadata, search_lc, version, created_at, updated_at) \
             SELECT printf('cust_%05d', i), 'ten_t', 'active', '{}', printf('name%d sur%d', i, i % 500), 1, i, i FROM n",
        )
        .execute(write)
        .await
        .unwrap();
        // "ur123" and "sur", but not "sur123": only the LIKE after the index tells.
        sqlx::query(
            "INSERT INTO customers (id, tenant_id, status, metadata, search_lc, version, created_at, updated_at) \
             VALUES ('cust_decoy', 'ten_t', 'active', '{}', 'decoy sur9 ur123', 1, 5000, 5000)",
        )
        .execute(write)
        .await
        .unwrap();
        let expr = trigrams.match_expr(read, "sur123").await.unwrap();
        assert_eq!(expr, "\"ur123\"", "sur is left out");
        let expected: Vec<String> =
            sqlx::query_scalar("SELECT id FROM customers WHERE search_lc LIKE '%sur123%' ORDER BY created_at DESC, id DESC")
                .fetch_all(read)
                .await
                .unwrap();
        assert_eq!(expected.len(), 24, "one customer in 500 is sur123");
        let params = |page| ListParams { search: Some("SUR123".into()), limit: Some(20), page: Some(page), ..ListParams::default() };
        let mut found = Vec::new();
        for page in 1..=2 {
            let p = super::list(&db, "ten_t", params(page), None).await.unwrap();
            assert_eq!(p.total, 24);
            found.extend(p.data.into_iter().map(|c| c.id));
        }
        assert_eq!(found, expected);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
