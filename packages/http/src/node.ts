// @motcua/http/node: what needs Node (the file store of the outbox).
export { FileOutboxStore } from './node/file-store.js';
