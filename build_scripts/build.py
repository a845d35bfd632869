"""Build the desktop app with PyInstaller: `python build_scripts/build.py [--onefile]`.

Writes dist/BounceCleaner/ (one folder: double-click BounceCleaner, or BounceCleaner.exe /
BounceCleaner.app) or, with --onefile, dist/onefile/BounceCleaner(.exe). The version comes from
app/__init__.py; a Windows version resource and the macOS Info.plist are generated from it. At the
end the bundle's size is printed, unpacked and as a compressed archive.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD, DIST = ROOT / "build", ROOT / "dist"
NAME = "BounceCleaner"
SIZE_TARGET_MB = 175


def version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "app" / "__init__.py").read_text(encoding="utf-8"), namespace)
    return namespace["__version__"]


def windows_version_file(text: str) -> Path:
    """PyInstaller's VSVersionInfo text for the Windows file properties."""
    parts = [int(p) for p in (text.split(".") + ["0"] * 4)[:4] if p.isdigit()]
    numbers = tuple(parts + [0] * (4 - len(parts)))
    target = BUILD / "version_info.txt"
    target.write_text(
        f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
      StringStruct('CompanyName', 'Bounce Cleaner'),
      StringStruct('FileDescription', 'Bounce Cleaner'),
      StringStruct('FileVersion', '{text}'),
      StringStruct('InternalName', '{NAME}'),
      StringStruct('OriginalFilename', '{NAME}.exe'),
      StringStruct('ProductName', 'Bounce Cleaner'),
      StringStruct('ProductVersion', '{text}')])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
""",
        encoding="utf-8",
    )
    return target


def render_icon() -> Path | None:
    """The app icon as PNG (rendered from the SVG with Qt); PyInstaller converts it per platform
    when Pillow is installed."""
    code = (
        "import sys, os; os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen');"
        "from PySide6.QtGui import QGuiApplication, QImage, QPainter;"
        "from PySide6.QtSvg import QSvgRenderer;"
        "from PySide6.QtCore import Qt;"
        "app = QGuiApplication([]); image = QImage(256, 256, QImage.Format.Format_ARGB32);"
        "image.fill(Qt.GlobalColor.transparent); painter = QPainter(image);"
        "QSvgRenderer(sys.argv[1]).render(painter); painter.end(); image.save(sys.argv[2])"
    )
    target = BUILD / "app.png"
    source = ROOT / "resources" / "icons" / "app.svg"
    result = subprocess.run([sys.executable, "-c", code, str(source), str(target)], check=False)
    if result.returncode != 0 or not target.exists():
        print("warning: could not render the icon; building without one", file=sys.stderr)
        return None
    try:
        import PIL  # noqa: F401
    except ImportError:
        if sys.platform in ("win32", "darwin"):
            print("warning: install Pillow to convert the icon; building without one")
            return None
    return target


def folder_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onefile", action="store_true", help="one executable instead of a folder")
    args = parser.parse_args()
    BUILD.mkdir(exist_ok=True)
    text = version()
    windows_version_file(text)
    icon = render_icon()
    env = {**os.environ, "BC_VERSION": text, "BC_ONEFILE": "1" if args.onefile else "0"}
    if icon is not None:
        env["BC_ICON"] = str(icon)
    started = time.perf_counter()
    dist = DIST / "onefile" if args.onefile else DIST
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(BUILD / "pyinstaller"),
        str(ROOT / "build_scripts" / "bounce_cleaner.spec"),
    ]  # fmt: skip
    subprocess.run(command, check=True, env=env, cwd=ROOT)
    built = dist / (NAME + (".exe" if args.onefile and os.name == "nt" else ""))
    unpacked = folder_size(built)
    with tempfile.TemporaryDirectory() as scratch:
        archive = shutil.make_archive(str(Path(scratch) / NAME), "zip", dist, built.name)
        packed = Path(archive).stat().st_size
    mb = 1024 * 1024
    print(f"\nBuilt {built.relative_to(ROOT)} (Bounce Cleaner {text}) "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    print(f"Bundle size: {unpacked / mb:.1f} MB unpacked (target <= {SIZE_TARGET_MB} MB), "
          f"{packed / mb:.1f} MB as a zip archive")  # fmt: skip


if __name__ == "__main__":
    main()
