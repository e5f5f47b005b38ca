#!/usr/bin/env python3
"""Checks that `tamp import` rejects every model of a make_corpus.py corpus.

Usage: check_corpus.py --tamp PATH CORPUS

For each case of CORPUS/manifest.json it runs
`tamp import MODEL -o CORPUS/out/NAME.mlir` and requires exit code 1 (not 0,
not a signal), a stderr holding "error:" and the case's expected substring,
no sanitizer report, and no output file. Prints one line per case and ends
with `N passed, N failed`; exits 1 if any case failed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

SANITIZER_REPORT = re.compile(r"ERROR: \w*Sanitizer|runtime error:")
STDERR_LINES_SHOWN = 4


def check_case(tamp: Path, corpus: Path, case: dict[str, str],
               timeout: float) -> list[str]:
    """Runs one case; returns why it failed (empty when it passed)."""
    out_dir = corpus / "out"
    output = out_dir / f"{case['name']}.mlir"
    output.unlink(missing_ok=True)
    try:
        completed = subprocess.run(
            [str(tamp), "import", str(corpus / case["model"]), "-o",
             str(output)],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
            check=False)
    except subprocess.TimeoutExpired:
        return [f"timed out after {timeout:g} s"]
    stderr = completed.stderr.decode("utf-8", errors="replace")
    problems = []
    if completed.returncode < 0:
        problems.append(f"killed by signal {-completed.returncode}")
    elif completed.returncode != 1:
        problems.append(f"exit code {completed.returncode}, expected 1")
    sanitizer = SANITIZER_REPORT.search(stderr)
    if sanitizer:
        problems.append("sanitizer report: "
                        + stderr[sanitizer.start():].splitlines()[0])
    if "error:" not in stderr:
        problems.append("no 'error:' on stderr")
    if case["expect"] not in stderr:
        problems.append(f"stderr lacks {case['expect']!r}")
    if output.exists():
        problems.append(f"output file {output} was created")
    if problems:
        shown = [line for line in stderr.splitlines() if line.strip()]
        problems += [f"stderr: {line}" for line in shown[:STDERR_LINES_SHOWN]]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--tamp", type=Path, required=True,
                        help="the tamp driver to check")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds one import may take (default: "
                             "%(default)s)")
    parser.add_argument("corpus", type=Path,
                        help="folder written by make_corpus.py")
    args = parser.parse_args()
    manifest_path = args.corpus / "manifest.json"
    if not args.tamp.is_file():
        parser.error(f"tamp driver not found: {args.tamp}")
    if not manifest_path.is_file():
        parser.error(f"no manifest.json in {args.corpus}")
    cases = json.loads(manifest_path.read_text(encoding="utf-8"))["cases"]
    # The folder must exist, so that a rejected -o cannot pass for a
    # rejected model.
    (args.corpus / "out").mkdir(exist_ok=True)

    failed = 0
    for case in cases:
        problems = check_case(args.tamp, args.corpus, case, args.timeout)
        if problems:
            failed += 1
            print(f"FAIL: {case['name']} ({case['what']})")
            for problem in problems:
                print(f"    {problem}")
        else:
            print(f"PASS: {case['name']}")
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
