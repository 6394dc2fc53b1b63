// Customer metadata as Swift holds JSON: `[String: JSONValue]`, Codable, built
// from literals. It crosses to the core as JSON text (bindings/uniffi/src/json.rs).
import Foundation

/// Any JSON value. Customer metadata is `[String: JSONValue]` (the typealias
/// `Metadata`); Swift literals build it: `["seats": 5, "tags": ["a", true], "none": nil]`.
/// Codable, so it encodes and decodes with `JSONEncoder`/`JSONDecoder` like your
/// own models. Integers are exact `Int64`; other numbers are the nearest `Double`,
/// as in the core.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .int(i): try c.encode(i)
        case let .double(d): try c.encode(d)
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

public extension JSONValue {
    /// Parses JSON text.
    init(json: String) throws { self = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) }

    /// Compact JSON text; throws for a non-finite `Double`, which JSON cannot hold.
    func jsonString() throws -> String { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }

    /// The member `key`, when this is an object that has it.
    subscript(key: String) -> JSONValue? {
        if case let .object(o) = self { return o[key] }
        return nil
    }

    var isNull: Bool { self == .null }

    var boolValue: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    var int64Value: Int64? {
        if case let .int(i) = self { return i }
        return nil
    }

    /// Any JSON number as a Double.
    var doubleValue: Double? {
        switch self {
        case let .int(i): return Double(i)
        case let .double(d): return d
        default: return nil
        }
    }

    var arrayValue: [JSONValue]? {
        if case let .array(a) = self { return a }
        return nil
    }

    var objectValue: [String: JSONValue]? {
        if case let .object(o) = self { return o }
        return nil
    }
}

// The conversions uniffi's generated code calls (uniffi.toml, custom type Metadata).
extension JSONValue {
    static func metadata(json text: String) throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8))
    }

    /// The text the core parses. What JSON cannot hold (a `Double.nan`) goes as
    /// text the core rejects, so it comes back as a Validation error on the field.
    static func text(of object: [String: JSONValue]) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(object), as: UTF8.self)
        } catch {
            return "not JSON: \(error)"
        }
    }
}
