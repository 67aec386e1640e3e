#!/usr/bin/env python3
"""Build Chartroom's ICD-10-CM asset (assets/codes/icd10cm-2026.tsv).

Source: the CDC ICD-10-CM tabular list (XML) and code list for the
April 1, 2026 release, as shipped inside the PyPI wheel
`simple-icd-10-cm==1.5.0` (data only; the package's Python code is not used).

Output: one line per code (categories, subcategories and billable leaves,
including codes formed with a 7th character), sorted by code:

    code<TAB>billable(1/0)<TAB>description

Codes keep their dot (E11.9). A code is billable when it has no children.
Codes formed with a 7th character take the description of the code they extend
followed by ", " and the 7th character's meaning, exactly as in the CDC's
order file; they are kept only when the CDC code list confirms them.

The output is deterministic: the same wheel always gives the same bytes
(no timestamps, sorted output, "\n" line endings).

Usage:
    python3 scripts/build-icd10-asset.py                   # pip download the wheel
    python3 scripts/build-icd10-asset.py --wheel PATH.whl  # use a wheel already here
    python3 scripts/build-icd10-asset.py --out DIR         # default: assets/codes

Standard library only (plus `pip` when no --wheel is given).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

PACKAGE = "simple-icd-10-cm"
VERSION = "1.5.0"
XML_MEMBER = "simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml"
LIST_MEMBER = "simple_icd_10_cm/data/code-list-April-2026.txt"
RELEASE = "ICD-10-CM April 1, 2026 (CDC/NCHS FY2026 update)"
OUT_NAME = "icd10cm-2026.tsv"
CODE_RE = re.compile(r"^[A-Z][0-9A-Z][0-9A-Z](\.[0-9A-Z]{1,4})?$")

REPO = Path(__file__).resolve().parent.parent


def download_wheel(dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
         f"{PACKAGE}=={VERSION}", "-d", str(dest)],
        check=True,
    )
    wheels = sorted(dest.glob("simple_icd_10_cm-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one wheel in {dest}, found {wheels}")
    return wheels[0]


def clean(text: str | None) -> str:
    """Collapse whitespace (the XML wraps some titles) so a line stays a line."""
    return " ".join((text or "").split())


def dotted(code: str) -> str:
    return code if len(code) <= 3 else code[:3] + "." + code[3:]


def read_confirmed(list_text: str) -> set[str]:
    """Codes (no dots) in the CDC code list, without chapters and blocks."""
    out = set()
    for line in list_text.splitlines():
        token = line.split(" ")[0].strip()
        if token and "-" not in token and not token.isdigit():
            out.add(token)
    return out


def walk(diag: ET.Element, seven_def: dict[str, str] | None,
         confirmed: set[str], rows: dict[str, tuple[bool, str]]) -> None:
    """Visit one <diag> and its children, collecting (billable, description)."""
    name = clean(diag.findtext("name"))
    desc = clean(diag.findtext("desc"))
    if not CODE_RE.match(name):
        sys.exit(f"unexpected code name {name!r}")
    own_def = diag.find("sevenChrDef")
    if own_def is not None:
        seven_def = {}
        last = None
        for ext in own_def:
            if ext.tag == "extension":
                last = ext.attrib["char"]
                seven_def[last] = clean(ext.text)
            elif ext.tag == "note" and last is not None:
                seven_def[last] += "/" + clean(ext.text)
    children = diag.findall("diag")
    extended: list[tuple[str, str]] = []
    if not children and seven_def:
        base = name if len(name) > 3 else name + "."
        base = base.ljust(7, "X")
        for char, meaning in seven_def.items():
            code = base + char
            if code.replace(".", "") in confirmed:
                extended.append((code, f"{desc}, {meaning}"))
    billable = not children and not extended
    if name in rows:
        sys.exit(f"duplicate code {name}")
    rows[name] = (billable, desc)
    for code, text in extended:
        rows[code] = (True, text)
    for child in children:
        walk(child, seven_def, confirmed, rows)


def build(wheel: Path) -> tuple[list[str], dict[str, int]]:
    with zipfile.ZipFile(wheel) as zf:
        xml_bytes = zf.read(XML_MEMBER)
        list_text = zf.read(LIST_MEMBER).decode("utf-8")
    confirmed = read_confirmed(list_text)
    root = ET.fromstring(xml_bytes)
    version = clean(root.findtext("version"))
    if version != "2026":
        sys.exit(f"unexpected tabular version {version!r}")
    rows: dict[str, tuple[bool, str]] = {}
    for chapter in root.findall("chapter"):
        for section in chapter.findall("section"):
            for diag in section.findall("diag"):
                walk(diag, None, confirmed, rows)

    # Cross-check against the CDC code list: same set of codes, no more, no less.
    built = {c.replace(".", "") for c in rows}
    missing = sorted(confirmed - built)
    extra = sorted(built - confirmed)
    if missing or extra:
        sys.exit(f"code set mismatch: missing {missing[:10]} extra {extra[:10]}")
    for code, (_, desc) in rows.items():
        if not desc or "\t" in desc:
            sys.exit(f"bad description for {code}")

    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    billable = sum(1 for b, _ in rows.values() if b)
    header = (
        f"# {RELEASE}; source: CDC tabular XML {XML_MEMBER.rsplit('/', 1)[1]} "
        f"from PyPI {PACKAGE}=={VERSION} (wheel sha256 {digest}); "
        f"generated by scripts/build-icd10-asset.py; "
        f"{len(rows)} codes, {billable} billable; "
        f"columns: code, billable (1/0), description; public domain (US government work)"
    )
    lines = [header]
    for code in sorted(rows):
        b, desc = rows[code]
        lines.append(f"{code}\t{1 if b else 0}\t{desc}")
    return lines, {"codes": len(rows), "billable": billable}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", type=Path, help="path to simple_icd_10_cm-1.5.0 wheel")
    parser.add_argument("--out", type=Path, default=REPO / "assets" / "codes")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(Path(tmp))
        lines, counts = build(wheel)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / OUT_NAME
    data = ("\n".join(lines) + "\n").encode("utf-8")
    target.write_bytes(data)
    print(f"wrote {target} ({len(data)} bytes): {counts['codes']} codes, "
          f"{counts['billable']} billable")


if __name__ == "__main__":
    main()
