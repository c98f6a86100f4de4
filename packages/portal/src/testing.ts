// @motcua/portal/testing: the simulator.
