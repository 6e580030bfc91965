"""What instructors run besides nbgrader: the `dnn-grader` console script and the programs behind its
sub-commands (parallel autograding, the class report).
"""
