"""dnn-grader: the course's instructor commands, one console script with a sub-command each.

    dnn-grader autograde ASSIGNMENT [...]   grade a class in parallel (= python -m dnn_grader.commands.parallel)
    dnn-grader report ASSIGNMENT [...]      the class report: where the class went wrong (dnn_grader.commands.report)
    dnn-grader regrade ASSIGNMENT [...]     what the current grader would change; --apply writes it (dnn_grader.commands.regrade)
    dnn-grader catalogue [...]              check the grader on every catalogued case (= python -m dnn_grader.evidence.catalogue)
    dnn-grader benchmark WHAT [...]         speed: training, autograde (one submission) or class (throughput)

Run `dnn-grader COMMAND --help` for a command's options. Everything else is plain nbgrader.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys

COMMANDS = {  # sub-command -> module whose main(argv) runs it
    "autograde": "dnn_grader.commands.parallel",
    "report": "dnn_grader.commands.report",
    "regrade": "dnn_grader.commands.regrade",
    "catalogue": "dnn_grader.evidence.catalogue",
}
BENCHMARKS = {
    "training": "dnn_grader.evidence.benchmark_training",
    "autograde": "dnn_grader.evidence.benchmark_autograde",
    "class": "dnn_grader.evidence.benchmark_class",
}


@contextlib.contextmanager
def program_name(name: str):
    """The sub-command's own argparse parser names itself after sys.argv[0]: make its usage say `name`."""
    saved = sys.argv[0]
    sys.argv[0] = name
    try:
        yield
    finally:
        sys.argv[0] = saved


def run_module(module_name: str, name: str, argv: list[str]) -> int:
    module = importlib.import_module(module_name)
    with program_name(name):
        status = module.main(argv)
    return status if isinstance(status, int) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dnn-grader", description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=[*COMMANDS, "benchmark"])
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="the command's own arguments")
    if not (argv if argv is not None else sys.argv[1:]):  # no command: list them (argparse names only its arguments)
        parser.print_help(sys.stderr)
        return 2
    args = parser.parse_args(argv)
    if args.command != "benchmark":
        return run_module(COMMANDS[args.command], f"dnn-grader {args.command}", args.arguments)
    bench = argparse.ArgumentParser(prog="dnn-grader benchmark", description="Measure speed (several minutes each).")
    bench.add_argument("what", choices=BENCHMARKS, help="training: ms per training iteration; autograde: seconds per "
                       "submission, sandboxed against in-kernel; class: submissions per minute for a class")
    bench.add_argument("arguments", nargs=argparse.REMAINDER, help="the benchmark's own arguments (--help)")
    if not args.arguments:
        bench.print_help(sys.stderr)
        return 2
    chosen = bench.parse_args(args.arguments)
    return run_module(BENCHMARKS[chosen.what], f"dnn-grader benchmark {chosen.what}", chosen.arguments)


if __name__ == "__main__":
    sys.exit(main())
