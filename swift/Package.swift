// swift-tools-version:5.9
// The Swift package of the NovaBilling SDK: uniffi's generated bindings
// (Sources/NovaBilling/NovaBilling.swift, Sources/NovaBillingFFI, regenerated
// and checked by ../scripts/swift-check.sh) over the Rust core, which is linked
// as the native library libnovabilling_uniffi built with cargo. See README.md.
import Foundation
import PackageDescription

let packageDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

// cargo's output directory for this platform; NOVABILLING_LIB_DIR overrides it.
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
let libDir = ProcessInfo.processInfo.environment["NOVABILLING_LIB_DIR"]
    ?? packageDir.appendingPathComponent("../target/\(triple)/release").standardizedFileURL.path

let package = Package(
    name: "NovaBilling",
    platforms: [.macOS(.v12), .iOS(.v15)],
    products: [
        .library(name: "NovaBilling", targets: ["NovaBilling"]),
    ],
    targets: [
        // The C declarations of the native library (generated header and module map).
        .target(name: "NovaBillingFFI", path: "Sources/NovaBillingFFI"),
        .target(
            name: "NovaBilling",
            dependencies: ["NovaBillingFFI"],
            path: "Sources/NovaBilling",
            linkerSettings: [
                .linkedLibrary("novabilling_uniffi"),
                .unsafeFlags(["-L", libDir, "-Xlinker", "-rpath", "-Xlinker", libDir]),
            ]
        ),
        .testTarget(
            name: "NovaBillingTests",
            dependencies: ["NovaBilling"],
            path: "Tests/NovaBillingTests"
        ),
    ]
)
