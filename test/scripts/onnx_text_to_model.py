#!/usr/bin/env python3
"""Turn a model in ONNX's textual syntax into a binary ModelProto.

Usage: onnx_text_to_model.py INPUT OUTPUT

INPUT may be a lit test: lines starting with '//' or '#' (RUN and CHECK
lines) are dropped before parsing. The model is written as parsed, without
running the ONNX checker, so that tests can build deliberately broken models.
"""

import sys

import onnx
import onnx.parser


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        text = "\n".join(
            line for line in f.read().splitlines()
            if not line.lstrip().startswith(("//", "#")))
    model = onnx.parser.parse_model(text)
    onnx.save(model, sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
