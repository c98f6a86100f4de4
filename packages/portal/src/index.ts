// @motcua/portal: the public surface. Re-exports only.
export {
  createPortalClient,
  createPortalSync,
  httpPortalTransport,
  PORTAL_TOPIC,
  type PortalClient,
  type PortalClientOptions,
  PortalError,
  type PortalTransport,
  type ReceiptDeadline,
} from './client.js';
export {
  AttachmentSchema,
  type DossierPage,
  DossierPageSchema,
  type OnlineDossier,
  OnlineDossierSchema,
  type PortalView,
  PortalViewSchema,
  type StatusUpdate,
  StatusUpdateSchema,
} from './schemas.js';
