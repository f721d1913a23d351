"""The importer on the corpus of real briefings (wenming/briefings/tests/corpus):
fields right / total per briefing and overall, and what was wrong."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")

import django  # noqa: E402

django.setup()

from wenming.briefings.importer import parse_file  # noqa: E402
from wenming.briefings.tests.corpus_score import fixtures, score  # noqa: E402


def main():
    right = total = 0
    for path, expected in fixtures():
        result = parse_file(path)
        r, t, wrong = score(result.structure, expected)
        right, total = right + r, total + t
        print(f"{path.name:28} {r:3}/{t:<3} warnings {len(result.warnings)}")
        for line in wrong:
            print(f"    {line}")
    print(f"real-corpus score: {right}/{total} = {right / total:.1%}")


if __name__ == "__main__":
    main()
