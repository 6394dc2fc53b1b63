// Keys in an app: the backend mints an ephemeral key, the app's client uses
// it for its own customer only, and a secret key is refused without
// allowSecretKey. (Parsed here by tree-sitter-swift; run on macOS with `swift test`.)
import XCTest
@testable import NovaBilling

final class KeysTests: XCTestCase {
    func testAnAppRefusesASecretKey() throws {
        let key = try TestServer.shared.newKey()
        XCTAssertThrowsError(try NovaBillingClient(token: key, baseUrl: TestServer.shared.url)) { error in
            XCTAssertEqual((error as? NovaBillingError)?.code, "secret_key_in_app")
        }
        XCTAssertNoThrow(try NovaBillingClient(token: key, baseUrl: TestServer.shared.url, allowSecretKey: true))
    }

    func testAnEphemeralKeyReadsAndRenamesItsCustomerOnly() async throws {
        let backend = try TestServer.shared.client()
        let c = try await backend.customers().create(params: CustomerCreate(externalId: "usr_app", email: "app@example.com"))
        let eph = try await backend.keys().createEphemeralForExternalId(externalId: "usr_app", ttl: 600)
        XCTAssertEqual(eph.customerId, c.id)
        let app = try NovaBillingClient(token: eph.secret!, baseUrl: TestServer.shared.url, maxRetries: 0)
        let got = try await app.customers().get(id: c.id)
        XCTAssertEqual(got.email, "app@example.com")
        do {
            _ = try await app.customers().delete(id: c.id)
            XCTFail("an ephemeral key deleted its customer")
        } catch let e as NovaBillingError {
            XCTAssertEqual(e.requiredScope, "customers:delete")
        }
        _ = try await backend.keys().revokeEphemeral(id: eph.id)
    }
}
