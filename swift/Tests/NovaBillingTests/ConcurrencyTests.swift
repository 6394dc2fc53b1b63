// Swift concurrency: many calls at once on one client, and cancellation (mirrors ConcurrencyTest.kt).
import Foundation
import NovaBilling
import XCTest

final class ConcurrencyTests: XCTestCase {
    func test100ConcurrentCreatesThenEveryOneIsListed() async throws {
        let customers = try TestServer.shared.client().customers()
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 1 ... 100 {
                group.addTask {
                    try await customers.create(params: CustomerCreate(externalId: "c\(i)", email: "c\(i)@example.com")).id
                }
            }
            var ids: Set<String> = []
            for try await id in group { ids.insert(id) }
            return ids
        }
        XCTAssertEqual(ids.count, 100)
        let page = try await customers.list(params: ListParams(limit: 100))
        XCTAssertEqual(page.total, 100)
        XCTAssertEqual(Set(page.data.map(\.id)), ids)
    }

    func testConcurrentMergeMetadataLosesNoKey() async throws {
        let customers = try TestServer.shared.client().customers()
        let c = try await customers.create(params: CustomerCreate(externalId: "m", email: "m@example.com"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 1 ... 10 {
                group.addTask { _ = try await customers.mergeMetadata(id: c.id, set: ["k\(i)": .int(Int64(i))]) }
            }
            try await group.waitForAll()
        }
        let after = try await customers.get(id: c.id)
        XCTAssertEqual(Set(after.metadata.keys), Set((1 ... 10).map { "k\($0)" }))
    }

    func testACancelledCallReturnsAtOnce() async throws {
        let slow = try Canned(Reply(status: 200, delay: 3))
        defer { slow.close() }
        let client = try slow.client()
        let start = Date()
        let task = Task { try await client.customers().get(id: "cust_1") }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        _ = try? await task.value
        XCTAssertLessThan(Date().timeIntervalSince(start), 2, "cancellation does not wait for the response")
    }
}
