// Every method of the client against the real server (mirrors CustomersTest.kt).
import Foundation
import NovaBilling
import XCTest

final class CustomersTests: XCTestCase {
    var client: NovaBillingClient!
    var customers: Customers!

    override func setUpWithError() throws {
        client = try TestServer.shared.client()
        customers = client.customers()
    }

    private func make(_ n: Int, country: String? = nil, currency: String? = nil) async throws -> Customer {
        try await customers.create(params: CustomerCreate(
            externalId: "usr_\(n)", email: "user\(n)@example.com", name: "User \(n)", country: country, currency: currency
        ))
    }

    func testCreateReturnsTheStoredCustomerNormalized() async throws {
        let c = try await customers.create(params: CustomerCreate(
            externalId: "usr_98765", email: "sarah@kampaltech.ug", name: "Nakato Sarah", country: "ug", currency: "ugx",
            metadata: ["userId": "usr_98765", "seats": 5, "tags": ["a", true, .null]], externalOrganizationId: "org_1"
        ))
        XCTAssertTrue(c.id.hasPrefix("cust_"))
        XCTAssertEqual(c.externalId, "usr_98765")
        XCTAssertEqual(c.externalOrganizationId, "org_1")
        XCTAssertEqual(c.country, "UG")
        XCTAssertEqual(c.currency, "UGX")
        XCTAssertEqual(c.status, "active")
        XCTAssertEqual(try c.totalSpentDecimal, 0)
        XCTAssertEqual(c.activeSubscriptions, 0)
        XCTAssertEqual(c.metadata, ["userId": "usr_98765", "seats": 5, "tags": ["a", true, .null]])
        XCTAssertNil(c.stripeCustomerId)
        XCTAssertNotNil(c.requestId)
        XCTAssertNotNil(c.etag)
        let again = try await customers.get(id: c.id)
        XCTAssertEqual(try c.toJson(), try again.toJson())
    }

    func testGetAndGetByExternalId() async throws {
        let c = try await make(1)
        let byId = try await customers.get(id: c.id)
        XCTAssertEqual(byId.id, c.id)
        let byExternal = try await customers.getByExternalId(externalId: "usr_1")
        XCTAssertEqual(byExternal.id, c.id)
        let e = await expectError { try await self.customers.getByExternalId(externalId: "usr_nobody") }
        guard case .NotFound = e else { return XCTFail("expected notFound, got \(String(describing: e))") }
        XCTAssertEqual(e?.status, 404)
        XCTAssertEqual(e?.code, "not_found")
        XCTAssertNotNil(e?.requestId)
    }

    func testUpdateKeepsAbsentFieldsClearsAndSets() async throws {
        let c = try await customers.create(params: CustomerCreate(
            externalId: "u", email: "u@example.com", name: "Jane", country: "US", currency: "USD",
            metadata: ["a": 1], externalOrganizationId: "org"
        ))
        let u = try await customers.update(id: c.id, params: CustomerUpdate(name: .set("Jane Doe"), country: .clear))
        XCTAssertEqual(u.name, "Jane Doe")
        XCTAssertNil(u.country)
        XCTAssertEqual(u.currency, "USD", "absent: untouched")
        XCTAssertEqual(u.externalOrganizationId, "org")
        XCTAssertEqual(u.metadata, ["a": 1])

        let v = try await customers.update(id: c.id, params: CustomerUpdate(
            email: .set("jane@example.com"), currency: .keep, metadata: .set(["b": "x"]), status: .set("inactive"),
            externalOrganizationId: .clear
        ))
        XCTAssertEqual(v.metadata, ["b": "x"], "metadata is replaced whole")
        XCTAssertEqual(v.status, "inactive")
        XCTAssertNil(v.externalOrganizationId)
        XCTAssertEqual(v.currency, "USD")
        XCTAssertEqual(v.email, "jane@example.com")

        let w = try await customers.update(id: c.id, params: CustomerUpdate(metadata: .clear))
        XCTAssertEqual(w.metadata, [:])
    }

    func testUpdateWithAStaleETagIsPreconditionFailed() async throws {
        let c = try await make(2)
        _ = try await customers.update(id: c.id, params: CustomerUpdate(name: .set("x")), options: RequestOptions(ifMatch: c.etag))
        let e = await expectError {
            try await self.customers.update(id: c.id, params: CustomerUpdate(name: .set("y")), options: RequestOptions(ifMatch: c.etag))
        }
        guard case .PreconditionFailed = e else { return XCTFail("expected preconditionFailed") }
        XCTAssertEqual(e?.status, 412)
        XCTAssertEqual(e?.className, "PreconditionFailedError")
    }

    func testListFiltersSortsAndPages() async throws {
        for i in 1 ... 5 { _ = try await make(i, country: i % 2 == 0 ? "UG" : "US") }
        let params = ListParams(limit: 2, sortBy: "name", sortOrder: "asc")
        let page = try await customers.list(params: params)
        XCTAssertEqual(page.total, 5)
        XCTAssertEqual(page.totalPages, 3)
        XCTAssertEqual(page.data.map(\.name), ["User 1", "User 2"])
        XCTAssertTrue(page.hasMore && page.nextCursor != nil)
        let second = try await customers.nextPage(after: page)
        XCTAssertEqual(second?.data.map(\.name), ["User 3", "User 4"])
        let last = try await customers.list(params: ListParams(page: 3, limit: 2, sortBy: "name", sortOrder: "asc"))
        XCTAssertNil(last.nextCursor)

        let ug = try await customers.list(params: ListParams(country: "ug"))
        XCTAssertEqual(Set(ug.data.compactMap(\.externalId)), ["usr_2", "usr_4"])
        let all = try await customers.listAll(params: ListParams(limit: 2, sortBy: "email", sortOrder: "desc")).collect()
        XCTAssertEqual(all.compactMap(\.externalId), ["usr_5", "usr_4", "usr_3", "usr_2", "usr_1"])
    }

    func testDeleteCancelsSubscriptionsAndVoidsUnpaidInvoices() async throws {
        let c = try await make(3, currency: "USD")
        let subs = client.subscriptions()
        let invoices = client.invoices()
        let sub = try await subs.create(params: SubscriptionCreate(customerId: c.id, planId: "pro"))
        let trial = try await subs.create(params: SubscriptionCreate(customerId: c.id, planId: "team", status: "trialing"))
        XCTAssertEqual(sub.status, "active")
        let paid = try await invoices.create(params: InvoiceCreate(customerId: c.id, amount: Decimal(string: "1500.50")!))
        XCTAssertEqual(paid.currency, "USD")
        let paidNow = try await invoices.pay(id: paid.id)
        XCTAssertEqual(try paidNow.amountDecimal, Decimal(string: "1500.5"))
        let open = try await invoices.create(params: InvoiceCreate(customerId: c.id, amount: "20"))
        let voided = try await invoices.void(id: (try await invoices.create(params: InvoiceCreate(customerId: c.id, amount: "5"))).id)
        XCTAssertEqual(voided.status, "void")
        let conflict = await expectError { try await invoices.pay(id: voided.id) }
        guard case .Conflict = conflict else { return XCTFail("expected conflict") }

        let now = try await customers.get(id: c.id)
        XCTAssertEqual(try now.totalSpentDecimal, Decimal(string: "1500.5"))
        XCTAssertEqual(now.activeSubscriptions, 2)
        let listed = try await customers.subscriptions(id: c.id)
        XCTAssertEqual(Set(listed.map(\.id)), [sub.id, trial.id])
        let listedInvoices = try await customers.invoices(id: c.id)
        XCTAssertEqual(listedInvoices.count, 3)
        let canceled = try await subs.cancel(id: sub.id)
        XCTAssertEqual(canceled.status, "canceled")
        XCTAssertNotNil(canceled.canceledAt)

        let d = try await customers.delete(id: c.id)
        XCTAssertEqual(d.id, c.id)
        XCTAssertTrue(d.deleted)
        let gone = await expectError { try await self.customers.get(id: c.id) }
        guard case .NotFound = gone else { return XCTFail("expected notFound") }
        let trialAfter = try await subs.get(id: trial.id)
        XCTAssertEqual(trialAfter.status, "canceled")
        let openAfter = try await invoices.get(id: open.id)
        XCTAssertEqual(openAfter.status, "void")
    }

    func testImportListUnresolvedBind() async throws {
        let r = try await customers.importStripe(customers: [
            StripeCustomer(id: "cus_a", email: "a@example.com", name: "A", currency: "usd", metadata: ["k": "v"]),
            StripeCustomer(id: "cus_b", email: "b@example.com", address: StripeAddress(country: "us")),
        ])
        XCTAssertEqual(r.created, 2)
        let again = try await customers.importStripeJson(json: #"[{"id": "cus_a", "object": "customer"}, {"id": "cus_c"}]"#)
        XCTAssertEqual(again.created, 1)
        XCTAssertEqual(again.skipped, 1)
        let all = try await customers.listUnresolvedAll(params: PageParams(limit: 1)).collect()
        XCTAssertEqual(Set(all.compactMap(\.stripeCustomerId)), ["cus_a", "cus_b", "cus_c"])
        let b = all.first { $0.stripeCustomerId == "cus_b" }!
        XCTAssertEqual(b.country, "US")
        let bound = try await customers.bind(id: b.id, externalId: "user_b")
        XCTAssertEqual(bound.externalId, "user_b")
        let left = try await customers.listUnresolved()
        XCTAssertEqual(left.total, 2)
        let e = await expectError { try await self.customers.bind(id: b.id, externalId: "user_other") }
        XCTAssertEqual(e?.code, "already_bound")
    }

    func testMergeMetadata() async throws {
        let c = try await customers.create(params: CustomerCreate(externalId: "m", email: "m@example.com", metadata: ["keep": 1, "drop": 2]))
        let m = try await customers.mergeMetadata(id: c.id, set: ["add": "x", "nested": ["a": [1.5]]], unset: ["drop"])
        XCTAssertEqual(m.metadata, ["keep": 1, "add": "x", "nested": ["a": [1.5]]])
    }

    func testClientSettingsAndPerCallOptions() async throws {
        let s = TestServer.shared
        let c = try NovaBillingClient(apiKey: s.key, baseUrl: s.url + "/api/", timeout: 5, maxRetries: 0, allowSecretKey: true)
        XCTAssertEqual(c.baseUrl(), s.url)
        XCTAssertEqual(c.timeout(), 5)
        XCTAssertEqual(c.maxRetries(), 0)
        let opts = RequestOptions(timeout: 10, idempotencyKey: "create-once-\(UUID().uuidString)", headers: ["x-trace": "t1"])
        let a = try await customers.create(params: CustomerCreate(externalId: "idem", email: "idem@example.com"), options: opts)
        let b = try await customers.create(params: CustomerCreate(externalId: "idem", email: "idem@example.com"), options: opts)
        XCTAssertEqual(a.id, b.id)
    }

    func testAMissingKeyIsAValidationErrorAtConstruction() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["NOVABILLING_API_KEY"] != nil, "NOVABILLING_API_KEY is set, so a key is never missing")
        XCTAssertThrowsError(try NovaBillingClient(baseUrl: TestServer.shared.url)) { error in
            guard let e = error as? NovaBillingError, case .Validation = e else { return XCTFail("expected validation") }
            XCTAssertEqual(e.fieldErrors.map(\.field), ["token"])
            XCTAssertEqual(e.code, "required")
        }
    }
}
