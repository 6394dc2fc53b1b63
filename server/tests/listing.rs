//! Listing customers over HTTP: paging, filters, sorting and search, on
//! SQLite and (with NOVABILLING_TEST_DATABASE_URL) PostgreSQL.

mod common;

use std::fmt::Write as _;

use common::{TestServer, unique};
use serde_json::{Value, json};

#[tokio::test]
async fn list_paging_filters_and_sorting() {
    let s = TestServer::start().await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let c = s
            .customer(json!({
                "name": if i % 3 == 0 { Value::Null } else { json!(format!("Name {}", 7 - i)) },
                "country": if i % 2 == 0 { "US" } else { "UG" },
                "currency": if i < 4 { "USD" } else { "UGX" },
            }))
            .await;
        ids.push(c["id"].as_str().unwrap().to_owned());
    }
    // Default: createdAt desc, ties by id desc; meta.
    let r = s.get("/api/customers?limit=3").await;
    r.expect(200);
    let last = r.body["data"][2]["id"].clone();
    assert_eq!(r.body["meta"], json!({"total": 7, "page": 1, "limit": 3, "totalPages": 3, "nextStartingAfter": last}));
    let mut seen = Vec::new();
    for page in 1..=3 {
        let r = s.get(&format!("/api/customers?limit=3&page={page}")).await;
        for c in r.body["data"].as_array().unwrap() {
            seen.push(c["id"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(seen.len(), 7, "pages never overlap");
    let mut uniq = seen.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), 7);
    let mut expected = ids.clone();
    expected.reverse();
    // createdAt may tie at ms resolution: check order by (createdAt desc, id desc).
    let all = s.get("/api/customers?limit=100").await;
    let keys: Vec<(String, String)> = all.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["createdAt"].as_str().unwrap().to_owned(), c["id"].as_str().unwrap().to_owned()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(keys, sorted);
    assert_eq!(seen, keys.iter().map(|k| k.1.clone()).collect::<Vec<_>>());

    // Page past the end: empty data, same total.
    let r = s.get("/api/customers?limit=3&page=9").await;
    assert_eq!(r.body["data"], json!([]));
    assert_eq!(r.body["meta"]["total"], 7);

    // Filters.
    let r = s.get("/api/customers?country=us&limit=100").await;
    assert_eq!(r.body["meta"]["total"], 4);
    assert!(r.body["data"].as_array().unwrap().iter().all(|c| c["country"] == "US"));
    let r = s.get("/api/customers?currency=UGX&country=UG").await;
    assert_eq!(r.body["meta"]["total"], 1);
    s.patch(&format!("/api/customers/{}", ids[0]), json!({"status": "inactive"})).await.expect(200);
    let r = s.get("/api/customers?status=inactive").await;
    assert_eq!(r.body["meta"]["total"], 1);
    assert_eq!(r.body["data"][0]["id"], json!(ids[0]));
    assert_eq!(s.get("/api/customers?status=active").await.body["meta"]["total"], 6);

    // Name sort: NULLs last in both directions, ties by id.
    for order in ["asc", "desc"] {
        let r = s.get(&format!("/api/customers?sortBy=name&sortOrder={order}&limit=100")).await;
        let names: Vec<Value> = r.body["data"].as_array().unwrap().iter().map(|c| c["name"].clone()).collect();
        let non_null: Vec<&str> = names.iter().filter_map(|n| n.as_str()).collect();
        assert_eq!(non_null.len(), 4);
        assert!(names[4..].iter().all(Value::is_null), "{order}: {names:?}");
        let mut sorted = non_null.clone();
        sorted.sort_unstable();
        if order == "desc" {
            sorted.reverse();
        }
        assert_eq!(non_null, sorted);
        let null_ids: Vec<&str> = r.body["data"].as_array().unwrap()[4..].iter().map(|c| c["id"].as_str().unwrap()).collect();
        let mut sorted_ids = null_ids.clone();
        sorted_ids.sort_unstable();
        if order == "desc" {
            sorted_ids.reverse();
        }
        assert_eq!(null_ids, sorted_ids);
    }
    // Email and updatedAt sorts.
    let r = s.get("/api/customers?sortBy=email&sortOrder=asc&limit=100").await;
    let emails: Vec<&str> = r.body["data"].as_array().unwrap().iter().map(|c| c["email"].as_str().unwrap()).collect();
    let mut sorted = emails.clone();
    sorted.sort_unstable();
    assert_eq!(emails, sorted);
    let r = s.get("/api/customers?sortBy=updatedAt&limit=1").await;
    assert_eq!(r.body["data"][0]["id"], json!(ids[0]), "the last updated comes first");

    // Bad parameters.
    s.get("/api/customers?limit=0").await.expect_error(400, "validation_failed");
    s.get("/api/customers?limit=101").await.expect_error(400, "validation_failed");
    let r = s.get("/api/customers?sortBy=age").await;
    r.expect_error(400, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "sortBy");
    s.get("/api/customers?sortOrder=up").await.expect_error(400, "validation_failed");
    s.get("/api/customers?country=ZZ").await.expect_error(400, "validation_failed");
    s.get("/api/customers?status=gone").await.expect_error(400, "validation_failed");
    s.get("/api/customers?page=abc").await.expect_error(400, "bad_request");
    s.get("/api/customers?page=-1").await.expect_error(400, "bad_request");
    let r = s.get("/api/customers?bogus=1").await;
    r.expect_error(400, "unknown_field");
    assert!(r.body["message"].as_str().unwrap().contains("bogus"));
    s.get(&format!("/api/customers?search={}", "a".repeat(201))).await.expect_error(400, "validation_failed");
    s.stop().await;
}

#[tokio::test]
async fn search_is_case_insensitive_substring_with_literal_wildcards() {
    let s = TestServer::start().await;
    let tag = unique("s").replace('-', "");
    let unicode = s.customer(json!({"name": format!("Ünïcode 100% Ltd {tag}")})).await;
    let hundred_x = s.customer(json!({"name": format!("100X Ltd {tag}")})).await;
    let snake_case = s.customer(json!({"name": format!("snake_case {tag}")})).await;
    let snake_x_case = s.customer(json!({"name": format!("snakeXcase {tag}")})).await;
    let backslash = s.customer(json!({"name": format!("back\\slash {tag}")})).await;
    let mixed = s.post("/api/customers", json!({"externalId": format!("EXT-{tag}-Zz"), "email": format!("MiXeD.{tag}@Example.com")})).await;
    mixed.expect(201);

    let search = |q: &str| {
        let q = q.to_owned();
        let s = &s;
        async move {
            let url = format!("/api/customers?limit=100&search={}", urlencode(&q));
            let r = s.get(&url).await;
            r.expect(200);
            let mut ids: Vec<String> =
                r.body["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
            ids.sort();
            assert_eq!(r.body["meta"]["total"], json!(ids.len()));
            ids
        }
    };
    let sorted = |v: Vec<&Value>| {
        let mut v: Vec<String> = v.iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
        v.sort();
        v
    };
    assert_eq!(search(&format!("100% ltd {tag}")).await, sorted(vec![&unicode]));
    assert_eq!(search("100%").await, sorted(vec![&unicode]));
    assert_eq!(search("%").await, sorted(vec![&unicode]));
    assert_eq!(search(&format!("e_case {tag}")).await, sorted(vec![&snake_case]));
    assert_eq!(search("_").await, sorted(vec![&snake_case]));
    assert_eq!(search(&format!("snake{tag}")).await, Vec::<String>::new());
    assert_eq!(search("k\\s").await, sorted(vec![&backslash]));
    assert_eq!(search("ÜNÏCODE 100").await, sorted(vec![&unicode]));
    assert_eq!(search(&tag).await.len(), 6);
    assert_eq!(search(&format!("xed.{tag}@EXAMPLE")).await, sorted(vec![&mixed.body]));
    assert_eq!(search(&format!("ext-{tag}-zz")).await, sorted(vec![&mixed.body]));
    assert_eq!(search("zz").await.len(), 1, "two-letter search matches too");
    assert_eq!(search(&format!("X Ltd {tag}")).await, sorted(vec![&hundred_x]));
    let _ = snake_x_case;
    s.stop().await;
}

#[tokio::test]
async fn search_pages_carry_the_total_and_never_overlap() {
    let s = TestServer::start().await;
    let tag = unique("pg").replace('-', "");
    for i in 0..25 {
        s.customer(json!({"name": format!("Paged {tag} {i:02}")})).await;
    }
    s.customer(json!({"name": "Someone Else"})).await;
    let mut seen = Vec::new();
    for page in 1..=4 {
        let r = s.get(&format!("/api/customers?search={tag}&limit=10&page={page}&sortBy=name&sortOrder=asc")).await;
        r.expect(200);
        assert_eq!(r.body["meta"]["total"], 25, "page {page}");
        assert_eq!(r.body["meta"]["totalPages"], 3);
        let names: Vec<String> =
            r.body["data"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect();
        assert_eq!(names.len(), [10, 10, 5, 0][page - 1], "page {page}");
        seen.extend(names);
    }
    let expected: Vec<String> = (0..25).map(|i| format!("Paged {tag} {i:02}")).collect();
    assert_eq!(seen, expected, "in order, each once");
    let none = s.get("/api/customers?search=nothing-matches-this").await;
    assert_eq!(none.body["meta"]["total"], 0);
    s.stop().await;
}

/// Every id of a listing, walked by page numbers and again by `startingAfter`
/// from each page's `meta.nextStartingAfter`: the same customers in the same
/// order, and no `nextStartingAfter` on the last page.
async fn walk_both_ways(s: &TestServer, path: &str, limit: usize) -> Vec<String> {
    let ids = |r: &common::Resp| -> Vec<String> {
        r.body["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
    };
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut by_number = Vec::new();
    let mut page = 1;
    loop {
        let r = s.get(&format!("{path}{sep}limit={limit}&page={page}")).await;
        r.expect(200);
        let got = ids(&r);
        if got.is_empty() {
            break;
        }
        by_number.extend(got);
        page += 1;
    }
    let mut by_keyset = Vec::new();
    let mut url = format!("{path}{sep}limit={limit}");
    let mut page = 1;
    loop {
        let r = s.get(&url).await;
        r.expect(200);
        assert_eq!(r.body["meta"]["page"], page, "{url}: the page number it was given");
        by_keyset.extend(ids(&r));
        match r.body["meta"]["nextStartingAfter"].as_str() {
            Some(after) => {
                assert_eq!(ids(&r).len(), limit, "{url}: a page that is not the last is full");
                page += 1;
                url = format!("{path}{sep}limit={limit}&page={page}&startingAfter={after}");
            }
            None => break,
        }
    }
    assert_eq!(by_keyset, by_number, "{path}: by startingAfter as by page numbers");
    by_number
}

#[tokio::test]
async fn starting_after_pages_like_page_numbers_in_every_order() {
    let s = TestServer::start().await;
    let tag = unique("ks").replace('-', "");
    for i in 0..23 {
        // Names repeat and some are unset (NULLS LAST), emails are unique.
        let name = if i % 5 == 0 { Value::Null } else { json!(format!("{tag} {}", i % 4)) };
        s.customer(json!({"name": name, "country": if i % 2 == 0 { "DE" } else { "FR" }})).await;
    }
    let all = walk_both_ways(&s, "/api/customers", 5).await;
    assert_eq!(all.len(), 23);
    for sort in ["name", "email", "createdAt", "updatedAt"] {
        for order in ["asc", "desc"] {
            let listed = walk_both_ways(&s, &format!("/api/customers?sortBy={sort}&sortOrder={order}"), 4).await;
            assert_eq!(listed.len(), 23, "{sort} {order}");
        }
    }
    assert_eq!(walk_both_ways(&s, "/api/customers?country=DE", 3).await.len(), 12);
    assert_eq!(walk_both_ways(&s, &format!("/api/customers?search={tag}&sortBy=name"), 4).await.len(), 18);

    // A keyset's total is the whole listing's; without a page number, page 0.
    let r = s.get(&format!("/api/customers?limit=5&startingAfter={}", all[4])).await;
    r.expect(200);
    assert_eq!(r.body["meta"]["total"], 23);
    assert_eq!(r.body["meta"]["page"], 0);
    assert_eq!(r.body["data"][0]["id"], all[5].as_str());
    // A customer deleted since it was listed still places the next page.
    s.delete(&format!("/api/customers/{}", all[9])).await.expect(200);
    let r = s.get(&format!("/api/customers?limit=5&page=3&startingAfter={}", all[9])).await;
    assert_eq!(r.body["data"][0]["id"], all[10].as_str());
    assert_eq!(r.body["meta"]["total"], 22);
    // Bad cursors: typed 400s on the field, never a 5xx.
    s.get("/api/customers?startingAfter=cust_nobody").await.expect_error(404, "not_found");
    s.get("/api/customers?startingAfter=a%00b").await.expect_error(400, "validation_failed");
    let twice = format!("/api/customers?startingAfter={}&startingAfter={}", all[1], all[2]);
    s.get(&twice).await.expect_error(400, "validation_failed");
    s.get("/api/customers/unresolved?startingAfter=").await.expect_error(400, "validation_failed");
    s.stop().await;
}

#[tokio::test]
async fn unresolved_customers_page_by_starting_after_while_they_are_bound() {
    let s = TestServer::start().await;
    let tag = unique("un");
    let imported: Vec<Value> =
        (0..11).map(|i| json!({"id": format!("cus_{tag}_{i:02}"), "email": format!("{tag}-{i}@example.com")})).collect();
    s.post("/api/customers/import/stripe", json!(imported)).await.expect(200);
    let all = walk_both_ways(&s, "/api/customers/unresolved", 4).await;
    assert_eq!(all.len(), 11);
    // Binding as it goes takes customers out of the listing: page numbers
    // would skip some, the keyset does not.
    let (mut seen, mut url) = (Vec::new(), "/api/customers/unresolved?limit=4".to_owned());
    loop {
        let r = s.get(&url).await;
        let page: Vec<String> =
            r.body["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
        for id in &page {
            s.post(&format!("/api/customers/{id}/bind"), json!({"externalId": format!("user-{id}")})).await.expect(200);
        }
        seen.extend(page);
        match r.body["meta"]["nextStartingAfter"].as_str() {
            Some(after) => url = format!("/api/customers/unresolved?limit=4&startingAfter={after}"),
            None => break,
        }
    }
    assert_eq!(seen, all);
    s.stop().await;
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Totals come from counts kept by triggers, not from counting rows: they must
/// match the rows after every kind of write (create, patch that moves a
/// customer between filters, bind, import, delete), with writers in parallel
/// and the counts folded meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totals_match_the_rows_through_every_kind_of_write() {
    let s = std::sync::Arc::new(TestServer::start().await);
    let db = s.server.as_ref().unwrap().state.db.clone();
    let folding = tokio::spawn({
        let db = db.clone();
        async move {
            loop {
                novabilling_server::store::counts::fold(&db).await.expect("fold");
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        }
    });
    let creates = (0..24).map(|i| {
        let s = s.clone();
        tokio::spawn(async move {
            let (country, currency) = (["US", "DE", "FR"][i % 3], if i % 4 == 0 { "EUR" } else { "USD" });
            s.customer(json!({"country": country, "currency": currency})).await["id"].as_str().unwrap().to_owned()
        })
    });
    let mut ids = Vec::new();
    for c in creates {
        ids.push(c.await.unwrap());
    }
    let export: Vec<Value> = (0..6).map(|_| json!({"id": unique("cus"), "address": {"country": "DE"}})).collect();
    s.post("/api/customers/import/stripe", json!(export)).await.expect(200);
    for id in &ids[0..4] {
        s.patch(&format!("/api/customers/{id}"), json!({"country": "GB", "status": "inactive"})).await.expect(200);
    }
    s.patch(&format!("/api/customers/{}", ids[4]), json!({"name": "Renamed"})).await.expect(200);
    let imported = s.get("/api/customers/unresolved").await.body["data"].clone();
    s.post(&format!("/api/customers/{}/bind", imported[0]["id"].as_str().unwrap()), json!({"externalId": unique("bound")}))
        .await
        .expect(200);
    s.delete(&format!("/api/customers/{}", imported[1]["id"].as_str().unwrap())).await.expect(200);
    for id in &ids[6..10] {
        s.delete(&format!("/api/customers/{id}")).await.expect(200);
    }
    folding.abort();

    let check = |label: &'static str| {
        let s = s.clone();
        async move {
            for query in ["", "country=US", "country=DE", "country=GB", "currency=EUR", "status=inactive",
                "status=active&country=FR", "country=DE&currency=USD&status=active"]
            {
                let r = s.get(&format!("/api/customers?limit=100&{query}")).await;
                r.expect(200);
                let rows = r.body["data"].as_array().unwrap().len();
                assert_eq!(r.body["meta"]["total"], json!(rows), "{label}: ?{query}");
            }
            let r = s.get("/api/customers/unresolved?limit=100").await;
            let rows = r.body["data"].as_array().unwrap().len();
            assert_eq!(r.body["meta"]["total"], json!(rows), "{label}: unresolved");
            rows
        }
    };
    // The import's 6, less 1 bound and 1 deleted.
    assert_eq!(check("as written").await, 6 - 2);
    novabilling_server::store::counts::fold(&db).await.unwrap();
    check("folded").await;
    assert_eq!(s.get("/api/customers").await.body["meta"]["total"], json!(24 + 6 - 4 - 1));
    std::sync::Arc::into_inner(s).unwrap().stop().await;
}
