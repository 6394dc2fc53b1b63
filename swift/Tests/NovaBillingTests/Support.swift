// Test fixtures: the project's server on a free loopback port (one per run, a
// fresh tenant per test) and a scripted responder (../canned.py) for the
// shapes and failures the real server does not produce. Mirrors the Kotlin tests.
import Foundation
import NovaBilling
import XCTest

let repoRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

#if os(macOS)
    #if arch(arm64)
        let triple = "aarch64-apple-darwin"
    #else
        let triple = "x86_64-apple-darwin"
    #endif
#else
    #if arch(arm64)
        let triple = "aarch64-unknown-linux-gnu"
    #else
        let triple = "x86_64-unknown-linux-gnu"
    #endif
#endif

func serverBin() -> String {
    if let bin = ProcessInfo.processInfo.environment["NOVABILLING_SERVER_BIN"] { return bin }
    for dir in ["target/\(triple)/debug", "target/\(triple)/release", "target/debug"] {
        let path = repoRoot.appendingPathComponent(dir).appendingPathComponent("novabilling-server").path
        if FileManager.default.fileExists(atPath: path) { return path }
    }
    fatalError("build the server first: cargo build -p novabilling-server")
}

struct SetupError: Error, CustomStringConvertible { let description: String }

/// Reads lines from `handle` until one starts with "listening on "; returns the URL.
func readListening(_ handle: FileHandle) throws -> String {
    var buffer = Data()
    while true {
        let chunk = handle.availableData
        if chunk.isEmpty { throw SetupError(description: "the process exited before it listened") }
        buffer.append(chunk)
        let text = String(decoding: buffer, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("listening on ") && text.contains("\(line)\n") {
            return String(line.dropFirst("listening on ".count)).trimmingCharacters(in: .whitespaces)
        }
    }
}

private var sharedServerProcess: Process?

final class TestServer {
    let url: String
    let key: String
    let db: String
    let process: Process

    init(url: String, key: String, db: String, process: Process) {
        self.url = url
        self.key = key
        self.db = db
        self.process = process
    }

    /// The server shared by every test of this run; stopped at exit.
    static let shared: TestServer = {
        let s = try! TestServer.start()
        sharedServerProcess = s.process
        atexit { sharedServerProcess?.terminate() }
        return s
    }()

    static func start(_ extra: [String] = []) throws -> TestServer {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("novabilling-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let db = "sqlite://\(tmp.path)/test.db"
        let keyFile = tmp.appendingPathComponent("dev-key")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: serverBin())
        p.arguments = ["serve", "--bind", "127.0.0.1:0", "--database", db, "--dev", "--dev-key-file", keyFile.path] + extra
        var env = ProcessInfo.processInfo.environment
        env["RUST_LOG"] = "warn"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let url = try readListening(out.fileHandleForReading)
        // Keep draining stdout so the server never blocks on a full pipe.
        out.fileHandleForReading.readabilityHandler = { h in _ = h.availableData }
        let key = try String(contentsOf: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return TestServer(url: url, key: key, db: db, process: p)
    }

    /// A key of a fresh tenant, so a test sees only its own customers.
    func newKey() throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: serverBin())
        p.arguments = ["keys", "create", "--tenant", "t\(UUID().uuidString.prefix(8))", "--test", "--database", db]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func client(maxRetries: Int64? = nil) throws -> NovaBillingClient {
        try NovaBillingClient(token: try newKey(), baseUrl: url, maxRetries: maxRetries, allowSecretKey: true)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// One canned answer.
struct Reply {
    var status: Int
    var body: String = "{}"
    var headers: [String: String] = [:]
    var delay: Double = 0

    static func json(_ status: Int, _ body: String, _ headers: [String: String] = [:]) -> Reply {
        Reply(status: status, body: body, headers: headers.merging(["content-type": "application/json"]) { a, _ in a })
    }
}

struct Seen {
    let method: String
    let path: String
    let headers: [String: String]
    let body: String
}

/// Answers each request with the next reply; the last one repeats.
final class Canned {
    let url: String
    private let process: Process
    private let seenFile: URL

    init(_ replies: Reply...) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("canned-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let repliesFile = dir.appendingPathComponent("replies.json")
        seenFile = dir.appendingPathComponent("seen.jsonl")
        let json = replies.map { r -> [String: Any] in
            ["status": r.status, "body": r.body, "headers": r.headers, "delay": r.delay]
        }
        try JSONSerialization.data(withJSONObject: json).write(to: repliesFile)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = repoRoot.appendingPathComponent("swift/Tests/canned.py").path
        process.arguments = ["python3", script, repliesFile.path, seenFile.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        url = try readListening(out.fileHandleForReading)
    }

    var seen: [Seen] {
        guard let text = try? String(contentsOf: seenFile, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Seen(method: obj["method"] as? String ?? "", path: obj["path"] as? String ?? "",
                        headers: obj["headers"] as? [String: String] ?? [:], body: obj["body"] as? String ?? "")
        }
    }

    func client(maxRetries: Int64 = 0) throws -> NovaBillingClient {
        try NovaBillingClient(token: "sk_test_x", baseUrl: url, maxRetries: maxRetries, allowSecretKey: true)
    }

    func close() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// The error a call threw, failing the test when it threw none or another type.
func expectError<T>(_ op: () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async -> NovaBillingError? {
    do {
        _ = try await op()
        XCTFail("no error was thrown", file: file, line: line)
    } catch let e as NovaBillingError {
        return e
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
    return nil
}

// MARK: - JSON of the vectors, read with JSONDecoder

func loadVectors(_ name: String) throws -> [JSONValue] {
    let text = try String(contentsOf: repoRoot.appendingPathComponent("tests/vectors/\(name)"), encoding: .utf8)
    return try JSONValue(json: text)["cases"]?.arrayValue ?? []
}

extension JSONValue {
    /// A number as the decimal text the SDK takes for money.
    var numberText: String? {
        switch self {
        case let .int(i): return String(i)
        case let .double(d): return String(d)
        default: return nil
        }
    }

    var uint32Value: UInt32? { int64Value.flatMap { UInt32(exactly: $0) } }
}

/// JSON values compared as values: numbers by their value, objects by keys.
func sameJson(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null):
        return true
    case let (.bool(x), .bool(y)):
        return x == y
    case let (.string(x), .string(y)):
        return x == y
    case let (.int(x), .int(y)):
        return x == y
    case let (.array(x), .array(y)):
        return x.count == y.count && zip(x, y).allSatisfy { sameJson($0, $1) }
    case let (.object(x), .object(y)):
        return Set(x.keys) == Set(y.keys) && x.allSatisfy { k, v in sameJson(v, y[k]!) }
    default:
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        return false
    }
}
