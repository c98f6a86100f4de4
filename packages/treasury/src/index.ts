// @motcua/treasury: the public surface. Re-exports only.
