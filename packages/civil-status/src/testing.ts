// @motcua/civil-status/testing: the simulator.
