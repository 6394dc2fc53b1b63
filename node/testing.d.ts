// `novabilling/testing`: the in-process test server, from @novabilling/testing.
export * from '@novabilling/testing';
