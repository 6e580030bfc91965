"""Evidence that the grader works, and how fast: the simulated submissions (scenarios), the catalogue report
that grades them all through nbgrader, and the benchmarks. Nothing here runs when an instructor grades.
"""
