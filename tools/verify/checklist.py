"""The verification scripts' checklist: `check` prints each result as it comes, and the
script reports `failures` (and exits non-zero) at the end."""

failures = []


def check(condition, message):
    """Records one check; returns whether it passed, so a caller can skip what depends on it."""
    print(("  ok    " if condition else "  FAIL  ") + message)
    if not condition:
        failures.append(message)
    return condition
