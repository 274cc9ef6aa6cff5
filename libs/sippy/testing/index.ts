// @velora/sippy/testing — test doubles and factories. Never imported by production code.
export * from './fake-xml-rpc-transport';
export * from './cdr.factory';
