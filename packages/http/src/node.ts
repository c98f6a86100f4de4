// @motcua/http/node: what needs Node (the file store of the outbox, mutual TLS).
export { FileOutboxStore } from './node/file-store.js';
export { type MtlsOptions, mtlsFetch } from './node/mtls.js';
