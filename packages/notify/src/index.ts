// @motcua/notify: the public surface. Re-exports only.
