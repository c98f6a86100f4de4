// @motcua/notify/testing: the simulator.
