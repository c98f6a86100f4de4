// @motcua/civil-status: the public surface. Re-exports only.
