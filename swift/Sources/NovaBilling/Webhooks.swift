// Receiving webhooks (Standard Webhooks v1): core checks the signature and
// the timestamp and reads the event; this enum only hands it the raw body,
// the headers and the secrets.
import Foundation

/// Verify a delivery from your NovaBilling server, and sign one for tests.
///
/// ```swift
/// let event = try Webhooks.verify(body, headers: headers, secret: secret)
/// if event.type == "customer.updated" { ... event.customer, event.sequence, event.changedFields }
/// ```
///
/// Failures are `NovaBillingError.WebhookVerification`, whose `code` says why
/// (`no_matching_signature`, `timestamp_too_old`, ...): answer them with a 400.
public enum Webhooks {
    /// Five minutes: how far a delivery's timestamp may be from now, either way.
    public static let defaultTolerance: TimeInterval = 300

    /// Checks that `body` (the raw bytes as received) was signed with one of
    /// `secret` (several while rotating) recently, and reads its event.
    /// `headers`: the request's, in any casing.
    public static func verify(
        _ body: Data, headers: [String: String], secret: [String], tolerance: TimeInterval? = nil
    ) throws -> WebhookEvent {
        try webhooksVerify(body: body, headers: headers, secrets: secret, tolerance: tolerance)
    }

    /// `verify` with one secret.
    public static func verify(
        _ body: Data, headers: [String: String], secret: String, tolerance: TimeInterval? = nil
    ) throws -> WebhookEvent {
        try verify(body, headers: headers, secret: [secret], tolerance: tolerance)
    }

    /// `verify` with the headers of an `HTTPURLResponse`-style dictionary (`allHeaderFields`).
    public static func verify(
        _ body: Data, headers: [AnyHashable: Any], secret: String, tolerance: TimeInterval? = nil
    ) throws -> WebhookEvent {
        var flat: [String: String] = [:]
        for (k, v) in headers {
            if let name = k as? String { flat[name] = (v as? String) ?? "\(v)" }
        }
        return try verify(body, headers: flat, secret: [secret], tolerance: tolerance)
    }

    /// The `webhook-id`, `webhook-timestamp` and `webhook-signature` headers
    /// of a delivery of `body`: for testing a receiver.
    public static func sign(_ body: Data, secret: String, id: String? = nil, timestamp: Int64? = nil) throws -> [String: String] {
        try webhooksSign(body: body, secret: secret, id: id, timestamp: timestamp)
    }
}
