// The native module (novabilling.node, built by napi-rs), typed by the
// declarations napi generates from the Rust binding (native.d.ts). Loaded with
// the first client, so `require('novabilling')` stays cheap.

import type * as Native from '../native';

export type NativeClient = Native.NativeClient;
export type CancelToken = Native.CancelToken;

let native: typeof Native | undefined;

export function load(): typeof Native {
  if (native === undefined) native = require('../novabilling.node') as typeof Native;
  return native;
}
