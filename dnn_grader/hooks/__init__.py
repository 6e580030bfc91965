"""What nbgrader loads when it autogrades (named in nbgrader_config.py): the preprocessor that replaces
kernel execution, the intake of unreadable or renamed notebooks, the sanitizing step, the late policy.
"""
