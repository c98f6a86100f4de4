// @motcua/civil-status/node: what needs Node (the file store of the newborn workflow).
export { FileWorkflowStore } from './node/file-workflow-store.js';
