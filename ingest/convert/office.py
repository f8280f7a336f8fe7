"""Office documents (OOXML, ODF, legacy OLE) to PDF with headless LibreOffice.

Pure checks first (encryption, macros) so a refused file never reaches LibreOffice; the conversion runs
with a timeout, an address-space limit and a throwaway profile dir, so two conversions never share state
and no macro can run (macro security is forced to its highest in that profile).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Highest macro security: LibreOffice runs no macro from any document.
_MACRO_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


class OfficeRefused(Exception):
    """The file's own problem; str() is the reason the document fails with."""


@dataclass(frozen=True)
class OfficeLimits:
    timeout_s: float = 120.0
    memory_bytes: int = 2 * 1024**3


def check_office(source: Path) -> None:
    """Refuse encrypted, macro-bearing or corrupt files before any conversion."""
    with source.open("rb") as f:
        head = f.read(len(OLE_MAGIC))
    if head == OLE_MAGIC:
        data = source.read_bytes()
        # An encrypted OOXML file is an OLE container holding these streams (UTF-16 names).
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            raise OfficeRefused("password-protected office document")
        if "_VBA_PROJECT".encode("utf-16-le") in data or "Macros".encode("utf-16-le") in data:
            raise OfficeRefused("office document contains macros")
        return
    try:
        with zipfile.ZipFile(source) as archive:
            by_lower = {n.lower(): n for n in archive.namelist()}
            if archive.testzip() is not None:
                raise OfficeRefused("corrupt office document (damaged zip member)")
            manifest_name = by_lower.get("meta-inf/manifest.xml")
            manifest = archive.read(manifest_name) if manifest_name else b""
    except zipfile.BadZipFile as exc:
        raise OfficeRefused(f"corrupt office document ({exc})") from exc
    lowered = list(by_lower)
    if any(n.endswith("vbaproject.bin") for n in lowered):
        raise OfficeRefused("office document contains macros (vbaProject.bin)")
    if any(n.startswith(("basic/", "scripts/")) for n in lowered):
        raise OfficeRefused("office document contains macros (Basic/)")
    if b"encryption-data" in manifest:
        raise OfficeRefused("password-protected office document")


def _limit(memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def convert_office(source: Path, workdir: Path, limits: OfficeLimits = OfficeLimits()) -> Path:
    """Convert to PDF in workdir; returns the PDF. Raises OfficeRefused with the reason."""
    check_office(source)
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: run scripts/setup.sh")
    profile = workdir / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_MACRO_XCU, encoding="utf-8")
    out = workdir / "out"
    out.mkdir(exist_ok=True)
    command = [
        soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to", "pdf", "--outdir", str(out), str(source),
    ]  # fmt: skip
    # Popen in its own session so a timeout ends soffice.bin too, not only the soffice wrapper script.
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=lambda: _limit(limits.memory_bytes),
    )
    try:
        process.wait(timeout=limits.timeout_s)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise OfficeRefused(f"office conversion took longer than {limits.timeout_s:g} s") from exc
    pdfs = sorted(out.glob("*.pdf"))
    if not pdfs:
        raise OfficeRefused("LibreOffice could not convert this office document")
    return pdfs[0]
