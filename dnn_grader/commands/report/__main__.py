"""python -m dnn_grader.commands.report ASSIGNMENT [...]: the class report (= dnn-grader report)."""

import sys

from dnn_grader.commands.report import main

sys.argv[0] = "python -m dnn_grader.commands.report"  # argparse's usage line would say "__main__.py"
sys.exit(main())
