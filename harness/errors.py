"""The harness's one error type: a single line saying what is wrong and where."""


class HarnessError(Exception):
    """Raised for anything the environment lacks; the CLI prints it as one line."""
