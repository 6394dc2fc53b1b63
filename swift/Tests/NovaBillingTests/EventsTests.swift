// Events read back from the server: the same WebhookEvent a verified
// delivery gives, newest first, filtered, and checked before any request.
// (Parsed here by tree-sitter-swift; run on macOS with `swift test`.)
import XCTest
@testable import NovaBilling

final class EventsTests: XCTestCase {
    func testEventsReadBackWhatDeliveriesSend() async throws {
        let client = try TestServer.shared.client()
        let c = try await client.customers().create(params: CustomerCreate(externalId: "ev1", email: "ev1@example.com"))
        _ = try await client.customers().update(id: c.id, params: CustomerUpdate(name: .set("Renamed")))
        let page = try await client.events().list(params: EventListParams(customerId: c.id))
        XCTAssertEqual(page.data.map { $0.type }, ["customer.updated", "customer.created"])
        XCTAssertEqual(page.total, 2)
        XCTAssertFalse(page.hasMore)
        let updated = page.data[0]
        XCTAssertEqual(updated.customer?.name, "Renamed")
        XCTAssertEqual(updated.changedFields, ["name"])
        let again = try await client.events().get(id: updated.id)
        XCTAssertEqual(again, updated)
    }

    func testEventsAreCheckedBeforeAnyRequest() async throws {
        let client = try TestServer.shared.client()
        do {
            _ = try await client.events().list(params: EventListParams(limit: 0, type: "Customer Created"))
            XCTFail("a bad query was sent")
        } catch let e as NovaBillingError {
            XCTAssertEqual(e.fieldErrors.map(\.field).sorted(), ["limit", "type"])
        }
    }
}
