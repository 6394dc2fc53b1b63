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
    /// How long the server asked to wait (a 429 or 503 that sent Retry-After).
    var retryAfter: TimeInterval? { info().retryAfter }
    /// True for the API errors (the server answered with an error status); core decides.
    var isApiError: Bool { info().isApi }
    /// The class this one derives from in the family: `ApiError` or `NovaBillingError`.
    var parentClassName: String { info().parentClassName }
    /// The scope the key lacks, on a 403 `insufficient_scope` (`customers:write`, ...).
    var requiredScope: String? { info().requiredScope }
}

// MARK: - Money

/// A decimal string of the core as `Decimal`; text that is not one throws
/// (as Kotlin's `BigDecimal` does), never reads as 0.
func exactDecimal(_ text: String, field: String) throws -> Decimal {
    // Decimal(string:) reads a prefix ("1.5x" is 1.5), so the whole text is checked first.
    let number = #"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"#
    guard text.range(of: number, options: .regularExpression) != nil,
          let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    else {
        throw NovaBillingError.Decode(detail: "\(field) is not a decimal number: \(text)", status: nil, code: nil,
                                      fieldErrors: [], requestId: nil, retryAfter: nil, requiredScope: nil)
    }
    return d
}

public extension Customer {
    /// `totalSpent` as an exact decimal.
    var totalSpentDecimal: Decimal { get throws { try exactDecimal(totalSpent, field: "totalSpent") } }
}

public extension Invoice {
    /// `amount` as an exact decimal.
    var amountDecimal: Decimal { get throws { try exactDecimal(amount, field: "amount") } }
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
    static func set(_ value: Metadata) -> MetadataPatch { .set(value: value) }
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
    /// The page after `page`, on its listing's route and filters (core's cursor), or nil after the last.
    func nextPage(after page: CustomerPage, options: RequestOptions? = nil) async throws -> CustomerPage? {
        guard let cursor = page.nextCursor else { return nil }
        return try await self.page(cursor: cursor, options: options)
    }
}
