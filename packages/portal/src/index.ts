// @motcua/portal: the public surface. Re-exports only.
