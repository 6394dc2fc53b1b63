// The native module (built by napi-rs), typed by the declarations napi
// generates from the Rust binding (native.d.ts). Loaded with the first
// client, so `require('novabilling')` stays cheap.
//
// Where it comes from, as napi-rs packages do it: a module built in this
// checkout (novabilling.node, scripts/node-env.sh), else the platform package
// npm installed from optionalDependencies.

import type * as Native from '../native';

export type NativeClient = Native.NativeClient;
export type CancelToken = Native.CancelToken;

/** The platform package of each platform we build for, by `${platform}-${arch}`. */
const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': 'novabilling-linux-x64-gnu',
};

let native: typeof Native | undefined;

export function load(): typeof Native {
  if (native === undefined) native = find();
  return native;
}

function find(): typeof Native {
  try {
    return require('../novabilling.node') as typeof Native;
  } catch (e) {
    if (!isMissing(e, '../novabilling.node')) throw e;
  }
  const platform = `${process.platform}-${process.arch}`;
  const pkg = PLATFORM_PACKAGES[platform];
  if (pkg === undefined) {
    throw new Error(
      `novabilling has no native module for ${platform}; it ships for ${Object.keys(PLATFORM_PACKAGES).join(', ')}`,
    );
  }
  try {
    return require(pkg) as typeof Native;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const fix = isMissing(e, pkg)
      ? `the package ${pkg} is not installed: npm installs it from novabilling's optionalDependencies, ` +
        `so reinstall without --omit=optional / --no-optional (or add ${pkg} to your dependencies)`
      : `${pkg} is installed but did not load (it needs glibc 2.17 or newer; musl-based systems such as Alpine are not supported yet)`;
    throw new Error(`novabilling could not load its native module for ${platform}: ${fix}. Cause: ${why}`);
  }
}

function isMissing(e: unknown, request: string): boolean {
  const err = e as NodeJS.ErrnoException;
  return err?.code === 'MODULE_NOT_FOUND' && typeof err.message === 'string' && err.message.includes(request);
}
