"""How long LibreOffice takes to turn a rendered briefing DOCX into PDF.

Usage: python bench/bench_libreoffice.py

Renders the seed issue (or a built-in sample when the seed is not available) with
render_issue_docx, then times `soffice --headless --convert-to pdf` three times, each with
a throw-away LibreOffice profile, and prints the median in seconds. Installs nothing:
without soffice it says how to get it and exits 0.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wenming.briefings.render.docx import render_issue_docx  # noqa: E402

RUNS = 3
TIMEOUT_SECONDS = 300


def issue_data() -> tuple[dict, str]:
    """The seed issue when the shared seed is readable, else the test module's sample."""
    try:
        from wenming.briefings.tests import seed
    except ImportError:
        seed = None
    for name in ("seed_issue_data", "seed_issue"):
        build = getattr(seed, name, None)
        if build is None:
            continue
        try:
            return build(), f"seed.{name}()"
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # pytest.skip() raises a BaseException
            print(f"seed.{name}() unavailable: {exc}", file=sys.stderr)
    from wenming.briefings.tests.test_render_docx import sample_issue

    return sample_issue(), "test_render_docx.sample_issue()"


def convert_once(soffice: str, docx_path: Path, workdir: Path, run: int) -> float:
    outdir = workdir / f"out{run}"
    profile = (workdir / f"profile{run}").as_uri()
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(docx_path),
    ]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
    elapsed = time.perf_counter() - started
    pdf = outdir / (docx_path.stem + ".pdf")
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise SystemExit(f"soffice ran but wrote no PDF at {pdf}")
    return elapsed


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("soffice not found; install LibreOffice Writer to run this benchmark:")
        print("  apt-get install libreoffice-writer   (or libreoffice-writer-nogui)")
        return 0

    data, source = issue_data()
    content = render_issue_docx(data)
    with tempfile.TemporaryDirectory(prefix="bench-lo-") as tmp:
        workdir = Path(tmp)
        docx_path = workdir / "issue.docx"
        docx_path.write_bytes(content)
        print(f"data: {source}; docx: {len(content)} bytes; soffice: {soffice}")
        timings = []
        for run in range(1, RUNS + 1):
            seconds = convert_once(soffice, docx_path, workdir, run)
            timings.append(seconds)
            print(f"run {run}: {seconds:.2f} s")
    print(f"median of {RUNS} runs: {statistics.median(timings):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
