"""Evidence that the grader works, and how fast, all built on simulated students: the simulated submissions
(scenarios), the demo class (`make demo`, `make clean`), the catalogue that grades every scenario through nbgrader,
and the benchmarks. Nothing here runs when an instructor grades a class.
"""
