// Public API of @velora/sippy. Helpers: add your exports with a small edit; never rewrite the file.
export * from './errors/sippy.error';
export * from './codec/xml-rpc.types';
export * from './codec/xml-rpc-serializer';
export * from './codec/xml-rpc-decoder';
export * from './transport/xml-rpc-transport';
export * from './transport/digest-auth';
export * from './transport/digest-xml-rpc-transport';
export * from './time/sippy-time';
export * from './cdr/cdr.model';
export * from './cdr/cdr-normalization.error';
export * from './cdr/sippy-result';
export * from './cdr/cdr-direction';
export * from './cdr/cdr-normalizer';
