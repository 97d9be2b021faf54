"""## What it does
Reports a file (or a notebook cell) nested too deeply for Python's parser or for tfshift's
analysis: thousands of nested brackets, an expression chained beyond the interpreter's
recursion limit, usually generated code. The file is left byte-identical.

## Why is this bad?
Python itself cannot compile such a file (`RecursionError` / "too many nested parentheses"),
so it would not run either; tfshift cannot analyse what it cannot walk. Reporting it as a
finding, rather than as an internal error, makes the exit code say so and names the file.

## Example
```python
x = ((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))  # x 10,000
```
Generate flatter code (a loop, a list) or split the expression.

## Fix safety
No fix.

## Versions affected
Every version: reported whatever `--from` and `--to` are.
"""

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFX003", "file nested too deeply to analyse (left untouched)", breaks_at=None,
            fix="none")
