// The error family, from the real server and from scripted failures (mirrors ErrorsTest.kt).
import Foundation
import NovaBilling
import XCTest

final class ErrorsTests: XCTestCase {
    let customerBody =
        #"{"id": "cust_1", "externalId": "u", "email": "a@b.co", "createdAt": "2026-03-01T12:00:00.000Z", "updatedAt": "2026-03-01T12:00:00.000Z"}"#

    func testAConflictCarriesStatusCodeMessageAndRequestId() async throws {
        let customers = try TestServer.shared.client().customers()
        _ = try await customers.create(params: CustomerCreate(externalId: "e1", email: "e1@example.com"))
        let e = await expectError { try await customers.create(params: CustomerCreate(externalId: "e2", email: "E1@example.com")) }
        guard case .Conflict = e else { return XCTFail("expected conflict") }
        XCTAssertEqual(e?.status, 409)
        XCTAssertEqual(e?.code, "email_taken")
        XCTAssertEqual(e?.detail, "A customer with this email already exists")
        XCTAssertNotNil(e?.requestId)
        XCTAssertEqual(e?.fieldErrors, [])
        XCTAssertEqual(e?.className, "ConflictError")
        XCTAssertEqual(e?.isApiError, true)
    }

    func testAnUnknownKeyIsAuthentication() async throws {
        let client = try NovaBillingClient(token: "sk_test_" + String(repeating: "0", count: 64), baseUrl: TestServer.shared.url, allowSecretKey: true)
        let e = await expectError { try await client.customers().list() }
        guard case .Authentication = e else { return XCTFail("expected authentication") }
        XCTAssertEqual(e?.status, 401)
    }

    func testInvalidInputIsAValidationErrorAndNothingIsSent() async throws {
        let server = try Canned(.json(500, "{}"))
        defer { server.close() }
        let customers = try server.client().customers()
        let e = await expectError {
            try await customers.create(params: CustomerCreate(externalId: "", email: "bad", metadata: [String(repeating: "k", count: 41): 1]))
        }
        guard case .Validation = e else { return XCTFail("expected validation") }
        XCTAssertEqual(e?.fieldErrors.map(\.field), ["externalId", "email", "metadata"])
        XCTAssertEqual(e?.fieldErrors.map(\.code), ["required", "invalid_email", "invalid_key"])
        XCTAssertNil(e?.status)
        let amount = await expectError { try await server.client().invoices().create(params: InvoiceCreate(customerId: "cust_1", amount: "ten")) }
        XCTAssertEqual(amount?.fieldErrors.first?.field, "amount")
        // NaN is no JSON number: the core rejects it on the field it came in.
        let nan = await expectError { try await customers.mergeMetadata(id: "cust_1", set: ["n": .double(.nan)]) }
        XCTAssertEqual(nan?.fieldErrors.first?.field, "metadata")
        XCTAssertTrue(server.seen.isEmpty)
    }

    func testMetadataIsCodableJSON() throws {
        let m: Metadata = ["seats": 5, "tags": ["a", true, nil], "ratio": 1.5]
        let text = String(decoding: try JSONEncoder().encode(m), as: UTF8.self)
        XCTAssertEqual(try JSONDecoder().decode(Metadata.self, from: Data(text.utf8)), m)
        XCTAssertEqual(try JSONValue(json: "[1, null, 2.5]"), [1, nil, 2.5])
        XCTAssertEqual(m["seats"]?.int64Value, 5)
        XCTAssertThrowsError(try JSONValue(json: "{"))
    }

    func testRateLimitedByTheServer() async throws {
        let s = try TestServer.start(["--rate-limit", "3"])
        defer { s.stop() }
        let client = try NovaBillingClient(token: s.key, baseUrl: s.url, maxRetries: 0, allowSecretKey: true)
        let e = await expectError { for _ in 0 ..< 10 { _ = try await client.customers().list() } }
        guard case .RateLimit = e else { return XCTFail("expected rateLimit") }
        XCTAssertEqual(e?.status, 429)
        XCTAssertGreaterThan(e?.retryAfter ?? 0, 0)
    }

    func testConnectionRefused() async throws {
        // A port nothing listens on: the responder's, after it closed.
        let gone = try Canned(.json(200, "{}"))
        let url = gone.url
        gone.close()
        let client = try NovaBillingClient(token: "sk_test_x", baseUrl: url, maxRetries: 0, allowSecretKey: true)
        let e = await expectError { try await client.customers().get(id: "cust_1") }
        guard case .Connection = e else { return XCTFail("expected connection, got \(String(describing: e))") }
        XCTAssertEqual(e?.className, "ConnectionError")
    }

    func testATimeoutIsRetriedThenATimeoutError() async throws {
        let slow = try Canned(Reply(status: 200, delay: 2))
        defer { slow.close() }
        let client = try slow.client(maxRetries: 1)
        let start = Date()
        let e = await expectError { try await client.customers().get(id: "cust_1", options: RequestOptions(timeout: 0.2)) }
        guard case .Timeout = e else { return XCTFail("expected timeout") }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.5)
        XCTAssertEqual(slow.seen.count, 2, "a timeout is retried")
    }

    func testARetriedPostReusesItsIdempotencyKey() async throws {
        let s = try Canned(.json(503, #"{"statusCode": 503, "message": "busy"}"#, ["retry-after": "0"]), .json(201, customerBody))
        defer { s.close() }
        let client = try s.client(maxRetries: 2)
        _ = try await client.customers().create(
            params: CustomerCreate(externalId: "u", email: "a@b.co"),
            options: RequestOptions(idempotencyKey: "order-7", headers: ["x-trace": "t1"])
        )
        let seen = s.seen
        XCTAssertEqual(seen.map { $0.headers["idempotency-key"] }, ["order-7", "order-7"])
        XCTAssertEqual(seen.first?.headers["x-trace"], "t1")
        XCTAssertTrue(seen.first?.headers["user-agent"]?.hasPrefix("novabilling-uniffi/") ?? false)
    }

    func testA2xxThatIsNotTheAPIsBodyIsADecodeError() async throws {
        let s = try Canned(Reply(status: 200, body: "<html>hello</html>", headers: ["x-request-id": "req_d"]))
        defer { s.close() }
        let e = await expectError { try await s.client().customers().get(id: "cust_1") }
        guard case .Decode = e else { return XCTFail("expected decode") }
        XCTAssertEqual(e?.status, 200)
        XCTAssertEqual(e?.requestId, "req_d")
    }

    func testEveryClassOfTheFamilyIsACase() async throws {
        let cases: [(Int, String)] = [
            (400, "BadRequestError"), (401, "AuthenticationError"), (403, "PermissionDeniedError"), (404, "NotFoundError"),
            (409, "ConflictError"), (412, "PreconditionFailedError"), (413, "BadRequestError"), (422, "BadRequestError"),
            (429, "RateLimitError"), (500, "InternalServerError"), (418, "ApiError"),
        ]
        for (status, className) in cases {
            let s = try Canned(.json(status, #"{"statusCode": \#(status), "message": "m"}"#))
            defer { s.close() }
            let e = await expectError { try await s.client().customers().get(id: "cust_1") }
            XCTAssertEqual(e?.className, className, "HTTP \(status)")
            XCTAssertEqual(e?.status, Int32(status))
            XCTAssertEqual(e?.detail, "m")
        }
    }
}
