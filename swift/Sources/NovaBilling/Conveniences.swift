// Idiomatic Swift over the generated bindings (NovaBilling.swift): conversions
// only. Behaviour (validation, retries, paging, errors) is the core's.
import Foundation

// MARK: - Errors

public extension NovaBillingError {
    /// The class name of the family: `NotFoundError`, `ValidationError`, ...
    var className: String { info().className }
    /// The server's message (API errors) or the description of what went wrong.
    var detail: String { info().detail }
    /// The HTTP status (API and decode errors), else nil.
    var status: Int32? { info().status }
    /// A stable, machine-readable code such as `email_taken` (API and validation errors).
    var code: String? { info().code }
    /// Field errors of a validation failure, client or server side.
    var fieldErrors: [FieldError] { info().fieldErrors }
    /// The X-Request-Id of the failed response, when there was one.
    var requestId: String? { info().requestId }
    /// How long the server asked to wait (rateLimit only).
    var retryAfter: TimeInterval? { info().retryAfter }

    /// True for the API errors (the server answered with an error status).
    var isApiError: Bool {
        switch self {
        case .badRequest, .authentication, .permissionDenied, .notFound, .conflict,
             .preconditionFailed, .rateLimit, .internalServer, .api:
            return true
        case .validation, .connection, .timeout, .decode:
            return false
        }
    }
}

// MARK: - Money

public extension Customer {
    /// `totalSpent` as an exact decimal.
    var totalSpentDecimal: Decimal { Decimal(string: totalSpent, locale: Locale(identifier: "en_US_POSIX")) ?? 0 }
}

public extension Invoice {
    /// `amount` as an exact decimal.
    var amountDecimal: Decimal { Decimal(string: amount, locale: Locale(identifier: "en_US_POSIX")) ?? 0 }
}

public extension InvoiceCreate {
    /// An invoice body with the amount as a decimal (sent exactly).
    init(customerId: String, amount: Decimal, currency: String? = nil, status: String? = nil) {
        self.init(customerId: customerId, amount: amount.description, currency: currency, status: status)
    }
}

// MARK: - Updates

public extension StringPatch {
    /// `.set("x")`: send this value.
    static func set(_ value: String) -> StringPatch { .set(value: value) }
}

public extension MetadataPatch {
    /// `.set(["plan": "pro"])`: replace the metadata with this object.
    static func set(_ value: [String: JsonValue]) -> MetadataPatch { .set(value: value) }
}

// MARK: - JSON (metadata): literals build values

extension JsonValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value: value) }
    public init(integerLiteral value: Int64) { self = .number(value: String(value)) }
    public init(floatLiteral value: Double) { self = .number(value: String(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value: value) }
    public init(arrayLiteral elements: JsonValue...) { self = .array(values: elements) }
    public init(dictionaryLiteral elements: (String, JsonValue)...) {
        self = .object(fields: Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

public extension JsonValue {
    /// Parses JSON text (the core's parser).
    init(json: String) throws { self = try jsonValueFromString(json: json) }

    /// Compact JSON text.
    func jsonString() throws -> String { try jsonValueToString(value: self) }

    /// The string, when this is a JSON string.
    var stringValue: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    /// The number as an exact decimal, when this is a JSON number.
    var decimalValue: Decimal? {
        if case let .number(value) = self { return Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")) }
        return nil
    }
}

// MARK: - Pagination

/// `for try await customer in customers.listAll(params: ...)`: every customer,
/// fetching pages as it goes (the core decides when to stop).
extension CustomerPager: AsyncSequence {
    public typealias Element = Customer

    public struct AsyncIterator: AsyncIteratorProtocol {
        let pager: CustomerPager
        public mutating func next() async throws -> Customer? { try await pager.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(pager: self) }
}

public extension CustomerPager {
    /// Every remaining customer, collected.
    func collect() async throws -> [Customer] {
        var out: [Customer] = []
        for try await c in self { out.append(c) }
        return out
    }
}

public extension Customers {
    /// The page after `page` of the same query, or nil after the last.
    func nextPage(after page: CustomerPage, params: ListParams = ListParams(), options: RequestOptions? = nil) async throws -> CustomerPage? {
        guard let next = page.nextPage else { return nil }
        let p = ListParams(page: next, limit: params.limit, search: params.search, country: params.country,
                           currency: params.currency, status: params.status, sortBy: params.sortBy, sortOrder: params.sortOrder)
        return try await list(params: p, options: options)
    }
}
