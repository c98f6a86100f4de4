// @motcua/treasury/testing: the simulator.
