"""A PDF beside each report (``twocreate run --pdf``), printed by headless Chromium from the HTML as
it is (the print stylesheet: A4, the title block and conclusion first, the appendix on a page of its
own). Where Chromium is not installed the run says so in one line and writes no PDF."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_chromium() -> str | None:
    """The headless browser to print with: ``$TWOCREATE_CHROMIUM``, else the first of
    :data:`CANDIDATES` on the PATH (None: none installed)."""
    given = os.environ.get("TWOCREATE_CHROMIUM")
    if given:
        return given if Path(given).is_file() or shutil.which(given) else None
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


def print_pdf(html_file: Path, pdf_file: Path, chromium: str, timeout: int = 180) -> None:
    """Print ``html_file`` to ``pdf_file`` (written atomically: a failed print leaves no partial PDF)."""
    pdf_file = Path(pdf_file)
    fd, tmp = tempfile.mkstemp(prefix=f".{pdf_file.name}.", suffix=".tmp", dir=pdf_file.parent)
    os.close(fd)
    profile = tempfile.mkdtemp(prefix="twocreate-chromium-")
    try:
        r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                            f"--user-data-dir={profile}", "--run-all-compositor-stages-before-draw",
                            f"--print-to-pdf={tmp}", Path(html_file).resolve().as_uri()],
                           capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0 or not os.path.getsize(tmp):
            raise RuntimeError(f"{chromium} could not print {html_file}: {r.stderr.strip()[-300:]}")
        os.replace(tmp, pdf_file)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
        shutil.rmtree(profile, ignore_errors=True)


def write_pdfs(html_files: list[Path], log=print) -> list[Path]:
    """A PDF beside each of ``html_files`` that is missing or older than its HTML; returns the PDFs
    written. Without Chromium: one line saying so, nothing written."""
    chromium = find_chromium()
    if chromium is None:
        log("twocreate: --pdf: no PDF written: headless Chromium is not installed (install chromium, "
            "or set TWOCREATE_CHROMIUM to its path)")
        return []
    done = []
    for h in html_files:
        pdf = Path(h).with_suffix(".pdf")
        if pdf.exists() and pdf.stat().st_mtime >= Path(h).stat().st_mtime:
            continue
        print_pdf(Path(h), pdf, chromium)
        done.append(pdf)
    log(f"twocreate: --pdf: {len(done)} PDF(s) written ({len(html_files) - len(done)} up to date)")
    return done
