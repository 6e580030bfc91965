"""Evidence that the grader works, and how fast: the simulated submissions (scenarios), the demo class they make
(`make demo`, `make clean`), the catalogue that grades every scenario through nbgrader, and the benchmarks (training,
autograde, class). Nothing here runs when an instructor grades a class.
"""
