// The BillingOS flows as idiomatic Swift (mirrors SeedsTest.kt).
import Foundation
import NovaBilling
import XCTest

final class SeedsTests: XCTestCase {
    let users = ["alice@example.com": "user_alice", "bob@example.com": "user_bob"]

    func testBillingOSFlows() async throws {
        let customers = try TestServer.shared.client().customers()
        let customer = try await customers.create(params: CustomerCreate(
            externalId: "user_123", email: "jane@example.com", name: "Jane Smith",
            metadata: ["company": "Acme Inc"], externalOrganizationId: "org_acme"
        ))
        let found = try await customers.getByExternalId(externalId: "user_123")
        XCTAssertEqual(found.id, customer.id)
        XCTAssertEqual(found.externalOrganizationId, "org_acme")
        let updated = try await customers.update(
            id: customer.id, params: CustomerUpdate(name: .set("Jane Doe"), metadata: .set(["company": "Acme Inc"]))
        )
        XCTAssertEqual(updated.name, "Jane Doe")

        let result = try await customers.importStripeJson(json: """
        [{"id": "cus_alice", "object": "customer", "email": "alice@example.com", "name": "Alice", "currency": "usd"},
         {"id": "cus_bob", "email": "bob@example.com", "address": {"country": "us", "city": "NYC"}},
         {"id": "cus_carol", "email": "carol@example.com"}]
        """)
        XCTAssertEqual(result.created, 3)

        // Binding shifts later pages, so read the list first.
        let unresolved = try await customers.listUnresolvedAll(params: PageParams(limit: 2)).collect()
        XCTAssertEqual(Set(unresolved.compactMap(\.stripeCustomerId)), ["cus_alice", "cus_bob", "cus_carol"])
        for c in unresolved {
            guard let email = c.email, let userId = users[email] else { continue }
            _ = try await customers.bind(id: c.id, externalId: userId)
        }
        let left = try await customers.listUnresolved()
        XCTAssertEqual(left.data.map(\.email), ["carol@example.com"])
        let bob = try await customers.getByExternalId(externalId: "user_bob")
        XCTAssertEqual(bob.country, "US")
        let e = await expectError { try await customers.bind(id: left.data[0].id, externalId: "user_alice") }
        guard case .Conflict = e else { return XCTFail("expected conflict") }
        XCTAssertEqual(e?.code, "external_id_taken")

        _ = try await customers.delete(id: customer.id)
        let gone = await expectError { try await customers.getByExternalId(externalId: "user_123") }
        guard case .NotFound = gone else { return XCTFail("expected notFound") }
    }
}
