// Webhook verification through the Swift API: the shared vectors
// (tests/vectors/webhooks.json) and the signing helper (mirrors WebhooksTest.kt).
import Foundation
import NovaBilling
import XCTest

final class WebhooksTests: XCTestCase {
    private func vectors() throws -> JSONValue {
        let text = try String(contentsOf: repoRoot.appendingPathComponent("tests/vectors/webhooks.json"), encoding: .utf8)
        return try JSONValue(json: text)
    }

    private func headers(_ c: JSONValue) -> [String: String] {
        (c["headers"]?.objectValue ?? [:]).compactMapValues { $0.stringValue }
    }

    private func strings(_ v: JSONValue?) -> [String] {
        (v?.arrayValue ?? []).compactMap { $0.stringValue }
    }

    func testSignaturesMatchTheVectors() throws {
        for c in try vectors()["sign"]?.arrayValue ?? [] {
            let h = try Webhooks.sign(
                Data(c["body"]!.stringValue!.utf8), secret: c["secret"]!.stringValue!,
                id: c["id"]?.stringValue, timestamp: c["timestamp"]?.int64Value
            )
            XCTAssertEqual(h["webhook-signature"], c["signature"]?.stringValue, c["name"]?.stringValue ?? "")
        }
    }

    func testVerificationMatchesTheVectors() throws {
        for c in try vectors()["verify"]?.arrayValue ?? [] {
            let name = c["name"]?.stringValue ?? ""
            let body = Data(c["body"]!.stringValue!.utf8)
            let tolerance = TimeInterval(c["tolerance"]!.int64Value!)
            if let want = c["error"] {
                do {
                    _ = try Webhooks.verify(body, headers: headers(c), secret: strings(c["secrets"]), tolerance: tolerance)
                    XCTFail("\(name): expected an error")
                } catch let e as NovaBillingError {
                    guard case .WebhookVerification = e else { return XCTFail("\(name): \(e)") }
                    XCTAssertEqual(e.code, want["code"]?.stringValue, name)
                    XCTAssertTrue(e.detail.contains(want["contains"]!.stringValue!), "\(name): \(e.detail)")
                }
                continue
            }
            let event = try Webhooks.verify(body, headers: headers(c), secret: strings(c["secrets"]), tolerance: tolerance)
            let want = c["expect"]!
            XCTAssertEqual(event.id, want["id"]?.stringValue, name)
            XCTAssertEqual(event.type, want["type"]?.stringValue, name)
            XCTAssertEqual(event.sequence, want["sequence"]?.int64Value, name)
            XCTAssertEqual(event.changedFields, want["changed_fields"]?.arrayValue.map { strings(.array($0)) }, name)
            XCTAssertEqual(event.customer?.id, want["customer_id"]?.stringValue, name)
            XCTAssertEqual(event.imported?.created, want["imported"]?["created"]?.int64Value, name)
            XCTAssertEqual(event.data.keys.sorted(), strings(want["data_keys"]), name)
        }
    }

    func testSignMakesHeadersThatVerifyNow() throws {
        let secret = try vectors()["sign"]!.arrayValue![1]["secret"]!.stringValue!
        let body = Data(#"{"id":"evt_9","type":"customer.deleted","timestamp":"2026-12-04T08:00:00.000Z","data":{"sequence":4}}"#.utf8)
        let event = try Webhooks.verify(body, headers: try Webhooks.sign(body, secret: secret), secret: secret)
        XCTAssertEqual(event.type, "customer.deleted")
        XCTAssertEqual(event.sequence, 4)
        XCTAssertNil(event.customer)
    }
}
