#!/usr/bin/env bash
# Builds NovaBillingFFI.xcframework: the Rust core (bindings/uniffi) as a
# static library for every Apple platform the package supports, with the
# generated C header and module map, zipped with the checksum a SwiftPM
# binaryTarget needs. Runs on macOS with Xcode and rustup; it cannot run on
# this project's Linux machines (no Apple SDKs), which check the Swift
# sources with tree-sitter instead (scripts/swift-check.sh).
#
#   swift/build-xcframework.sh            # -> target/apple/NovaBillingFFI.xcframework(.zip)
#
# Layout produced:
#   NovaBillingFFI.xcframework/
#     Info.plist
#     ios-arm64/                          libnovabilling_uniffi.a, Headers/
#     ios-arm64_x86_64-simulator/         libnovabilling_uniffi.a (lipo of both), Headers/
#     macos-arm64_x86_64/                 libnovabilling_uniffi.a (lipo of both), Headers/
#   Headers/ = NovaBillingFFI.h + module.modulemap (from Sources/NovaBillingFFI/include)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)" != Darwin ] || ! command -v xcodebuild >/dev/null; then
  echo "build-xcframework.sh needs macOS with Xcode (xcodebuild, lipo) and rustup" >&2
  exit 2
fi

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"
for t in "${targets[@]}"; do
  # The shipped profile (Cargo.toml [profile.dist]): fat LTO, stripped, panics
  # unwind. A static library here only: Linux builds need none.
  cargo rustc --profile dist -p novabilling-uniffi --lib --target "$t" --crate-type staticlib
done

out=target/apple
lib=libnovabilling_uniffi.a
rm -rf "$out" && mkdir -p "$out"/{headers,ios-sim,macos}
cp swift/Sources/NovaBillingFFI/include/NovaBillingFFI.h swift/Sources/NovaBillingFFI/include/module.modulemap "$out/headers/"
lipo -create target/aarch64-apple-ios-sim/dist/$lib target/x86_64-apple-ios/dist/$lib -output "$out/ios-sim/$lib"
lipo -create target/aarch64-apple-darwin/dist/$lib target/x86_64-apple-darwin/dist/$lib -output "$out/macos/$lib"
xcodebuild -create-xcframework \
  -library target/aarch64-apple-ios/dist/$lib -headers "$out/headers" \
  -library "$out/ios-sim/$lib" -headers "$out/headers" \
  -library "$out/macos/$lib" -headers "$out/headers" \
  -output "$out/NovaBillingFFI.xcframework"
(cd "$out" && zip -qry NovaBillingFFI.xcframework.zip NovaBillingFFI.xcframework)
echo "checksum for Package.swift's binaryTarget: $(swift package compute-checksum "$out/NovaBillingFFI.xcframework.zip")"
