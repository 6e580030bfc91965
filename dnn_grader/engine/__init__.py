"""The grader's side of the wall: it starts the sandbox, talks to it over pipes, bounds every wait and byte,
draws the hidden cases from the course's secret, runs the reference solutions and judges the results.
"""
