// The shared vectors of tests/vectors through the Swift API (mirrors VectorsTest.kt).
import Foundation
import NovaBilling
import XCTest

final class VectorsTests: XCTestCase {
    private func str(_ o: JSONValue, _ key: String) -> String? { o[key]?.stringValue }

    private func patch(_ o: JSONValue, _ key: String) -> StringPatch? {
        guard let v = o[key] else { return nil }
        if v.isNull { return .clear }
        return .set(v.stringValue ?? "")
    }

    /// Runs one operation of the vectors with its wire-form input.
    private func call(_ client: NovaBillingClient, _ op: String, _ input: JSONValue) async throws {
        let c = client.customers()
        switch op {
        case "customer_create":
            _ = try await c.create(params: CustomerCreate(
                externalId: str(input, "externalId")!, email: str(input, "email")!, name: str(input, "name"),
                country: str(input, "country"), currency: str(input, "currency"), metadata: input["metadata"]?.objectValue,
                externalOrganizationId: str(input, "externalOrganizationId")
            ))
        case "customer_update":
            var metadata: MetadataPatch?
            if let m = input["metadata"] { metadata = m.isNull ? .clear : .set(m.objectValue ?? [:]) }
            _ = try await c.update(id: "cust_1", params: CustomerUpdate(
                email: patch(input, "email"), name: patch(input, "name"), country: patch(input, "country"),
                currency: patch(input, "currency"), metadata: metadata, status: patch(input, "status"),
                externalOrganizationId: patch(input, "externalOrganizationId")
            ))
        case "list_params":
            _ = try await c.list(params: ListParams(
                page: input["page"]?.uint32Value, limit: input["limit"]?.uint32Value, search: str(input, "search"),
                country: str(input, "country"), currency: str(input, "currency"), status: str(input, "status"),
                sortBy: str(input, "sortBy"), sortOrder: str(input, "sortOrder")
            ))
        case "page_params":
            _ = try await c.listUnresolved(params: PageParams(page: input["page"]?.uint32Value, limit: input["limit"]?.uint32Value))
        case "bind":
            _ = try await c.bind(id: "cust_1", externalId: str(input, "externalId")!)
        case "customer_id":
            _ = try await c.get(id: input.stringValue!)
        case "stripe_import":
            _ = try await c.importStripeJson(json: try input.jsonString())
        case "invoice_create":
            _ = try await client.invoices().create(params: InvoiceCreate(
                customerId: str(input, "customerId")!, amount: input["amount"]?.numberText ?? "",
                currency: str(input, "currency"), status: str(input, "status")
            ))
        case "subscription_create":
            _ = try await client.subscriptions().create(params: SubscriptionCreate(
                customerId: str(input, "customerId")!, planId: str(input, "planId")!, status: str(input, "status")
            ))
        default:
            XCTFail("unknown op \(op)")
        }
    }

    func testValidationVectors() async throws {
        let server = try Canned(.json(500, "{}"))
        defer { server.close() }
        let client = try server.client()
        for v in try loadVectors("validation.json") where v["error"] != nil {
            let name = str(v, "name")!
            let e = await expectError { try await self.call(client, self.str(v, "op")!, v["input"]!) }
            guard case .Validation = e else {
                XCTFail("\(name): expected validation, got \(String(describing: e))")
                continue
            }
            let want = v["error"]!.arrayValue.map { "\(str($0, "field")!):\(str($0, "code")!)" }
            XCTAssertEqual(e?.fieldErrors.map { "\($0.field):\($0.code ?? "")" }, want, name)
        }
        XCTAssertTrue(server.seen.isEmpty, "nothing is sent for invalid input")
    }

    private func json(_ s: String) throws -> JSONValue { try JSONValue(json: s) }

    func testDecodingVectors() async throws {
        for v in try loadVectors("decoding.json") {
            let name = str(v, "name")!
            let server = try Canned(.json(200, try v["body"]!.jsonString(), ["x-request-id": "req_vec"]))
            defer { server.close() }
            let client = try server.client()
            let c = client.customers()
            let pathId = str(v, "pathId") ?? "cust_1"
            let got: JSONValue
            switch str(v, "type")! {
            case "customer":
                let r = try await c.get(id: pathId)
                XCTAssertEqual(r.requestId, "req_vec", name)
                got = try json(r.toJson())
            case "customer_page":
                let p = try await c.list()
                got = .object([
                    "data": .array(try p.data.map { try json($0.toJson()) }),
                    "meta": ["total": .int(Int64(p.total)), "page": .int(Int64(p.page)),
                             "limit": .int(Int64(p.limit)), "totalPages": .int(Int64(p.totalPages))],
                ])
            case "subscription_list":
                got = ["data": .array(try await c.subscriptions(id: pathId).map { try json($0.toJson()) })]
            case "invoice_list":
                got = ["data": .array(try await c.invoices(id: pathId).map { try json($0.toJson()) })]
            case "subscription":
                got = try json(try await client.subscriptions().get(id: pathId).toJson())
            case "invoice":
                got = try json(try await client.invoices().get(id: pathId).toJson())
            case "deleted":
                let d = try await c.delete(id: pathId)
                got = ["id": .string(d.id), "deleted": .bool(d.deleted)]
            case "import_result":
                let r = try await c.importStripe(customers: [])
                got = ["created": .int(Int64(r.created)), "skipped": .int(Int64(r.skipped))]
            default:
                XCTFail("unknown type in \(name)")
                continue
            }
            XCTAssertTrue(sameJson(v["expected"]!, got), "\(name): got \(try got.jsonString())")
        }
    }

    func testErrorVectors() async throws {
        for v in try loadVectors("errors.json") {
            let name = str(v, "name")!
            let headers = (v["headers"]?.objectValue ?? [:]).compactMapValues { $0.stringValue }
            let status = Int(v["status"]!.int64Value!)
            let server = try Canned(Reply(status: status, body: str(v, "body")!, headers: headers))
            defer { server.close() }
            let client = try server.client()
            let e = await expectError { try await client.customers().get(id: "cust_1") }
            let want = v["expected"]!
            XCTAssertEqual(e?.className, str(want, "kind"), name)
            XCTAssertEqual(e?.status, want["status"]?.int64Value.map { Int32($0) }, name)
            XCTAssertEqual(e?.code, str(want, "code"), name)
            XCTAssertEqual(e?.detail, str(want, "message"), name)
            XCTAssertEqual(e?.requestId, str(want, "requestId"), name)
            let errors: [JSONValue] = (e?.fieldErrors ?? []).map { f in
                var o: [String: JSONValue] = ["field": .string(f.field), "message": .string(f.message)]
                if let code = f.code { o["code"] = .string(code) }
                return .object(o)
            }
            XCTAssertTrue(sameJson(want["errors"]!, .array(errors)), name)
            let retryMs = e?.retryAfter.map { Int(($0 * 1000).rounded()) }
            XCTAssertEqual(retryMs, want["retryAfterMs"]?.int64Value.map { Int($0) }, name)
            XCTAssertEqual(server.seen.count, 1, name)
        }
    }
}
