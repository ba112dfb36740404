"""A local MLflow Project folder as a zip in memory, the way ``ferry jobs submit PATH`` makes it
(src/cli/project-zip.ts): what a project never needs (version control, caches, virtual environments, local mlruns)
is left out, executable bits are kept, and links never lead out of the folder, since the zip runs elsewhere. A
folder over the server's limits (20,000 files, 1 GiB unpacked) is refused before a file is read."""
from __future__ import annotations

import io
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Tuple, Union

#: Folders (or anything of that name) skipped at any depth, as the CLI skips them.
SKIPPED_NAMES = frozenset({".git", "__pycache__", ".venv", "venv", "node_modules", "mlruns", ".ipynb_checkpoints"})
#: The server's limits: a project has at most this many files, and this many bytes unpacked.
MAX_PROJECT_FILES = 20_000
MAX_PROJECT_BYTES = 1024**3


class ProjectFolderError(ValueError):
    """The folder cannot be sent as a project (no MLproject, a link leading outside it, too many files or bytes)."""


@dataclass
class ProjectZip:
    data: bytes
    files: List[str] = field(default_factory=list)
    #: what was left out on purpose (skipped folders and *.pyc), for a note
    skipped: List[str] = field(default_factory=list)
    #: sockets, FIFOs and devices: not files a project can hold
    ignored: List[str] = field(default_factory=list)


def _inside(root: str, target: str) -> bool:
    return os.path.commonpath([root, target]) == root


def _entries(root: str, out: ProjectZip) -> List[Tuple[str, str, int]]:
    """(name in the zip, file to read, mode) for every file, sorted; refuses a link leading outside the folder."""
    found: List[Tuple[str, str, int]] = []

    def walk(folder: str) -> None:
        for name in sorted(os.listdir(folder)):
            full = os.path.join(folder, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            st = os.lstat(full)  # a link is looked at as a link, never walked through
            if name in SKIPPED_NAMES:
                out.skipped.append(rel + "/" if stat.S_ISDIR(st.st_mode) else rel)
            elif stat.S_ISDIR(st.st_mode):
                walk(full)
            elif name.endswith(".pyc"):
                out.skipped.append(rel)
            elif stat.S_ISLNK(st.st_mode):
                found.append((_utf8(rel), *_link_target(root, full, rel)))
            elif stat.S_ISREG(st.st_mode):
                found.append((_utf8(rel), full, st.st_mode))
            else:
                out.ignored.append(rel)
            if len(found) > MAX_PROJECT_FILES:
                raise ProjectFolderError(f"the folder holds more than {MAX_PROJECT_FILES} files (the most a project may have); is it the project's folder?")

    walk(root)
    return found


def _refuse_too_large(entries: List[Tuple[str, str, int]]) -> None:
    # Refused before a byte is read: the server would refuse it, after it had all been read, zipped and sent.
    sizes = {rel: os.stat(source).st_size for rel, source, _ in entries}  # a link: its target's size
    total = sum(sizes.values())
    if total > MAX_PROJECT_BYTES:
        largest = sorted(sizes, key=lambda r: -sizes[r])[:3]
        raise ProjectFolderError(
            f"the folder's files add up to {total / 1024**2:.0f} MiB, more than the 1 GiB a project may unpack to "
            f"(largest: {', '.join(f'{r} ({sizes[r] / 1024**2:.0f} MiB)' for r in largest)}); keep data out of the "
            "project (a Ferry dataset, or an artifact the job downloads)"
        )


def _utf8(rel: str) -> str:
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:  # bytes Linux allows in a name; a zip names files in UTF-8
        raise ProjectFolderError(f"{rel.encode('utf-8', 'surrogateescape')!r} has a name that is not UTF-8 text; rename it") from None
    return rel


def _link_target(root: str, path: str, rel: str) -> Tuple[str, int]:
    # A link to a file inside the folder is sent as a copy (the server stores no links); anything else is refused.
    if not os.path.exists(path):
        raise ProjectFolderError(f"{rel} is a symbolic link to nothing (a broken link)")
    target = os.path.realpath(path)
    if not _inside(root, target):
        raise ProjectFolderError(f"{rel} is a symbolic link to {target}, outside the project folder; a project may hold only its own files")
    st = os.stat(target)
    if stat.S_ISDIR(st.st_mode):
        raise ProjectFolderError(f"{rel} is a symbolic link to a folder; a project may not hold links to folders")
    if not stat.S_ISREG(st.st_mode):
        # never opened: reading a FIFO would wait forever, a device would never end
        raise ProjectFolderError(f"{rel} is a symbolic link to {target}, which is not a regular file")
    return target, st.st_mode


def zip_project(folder: Union[str, "os.PathLike[str]"]) -> ProjectZip:
    """The folder's files as one deflated zip; refuses a folder without an MLproject file at its top."""
    path = Path(folder)
    if not path.is_dir():
        raise ProjectFolderError(f"{folder} is not a folder")
    root = os.path.realpath(path)
    out = ProjectZip(b"")
    entries = _entries(root, out)
    names = [e[0] for e in entries]
    if "MLproject" not in names:
        other = next((n for n in names if n.lower() == "mlproject"), None)
        raise ProjectFolderError(
            f"{folder} has {other} but no MLproject file (the name is case-sensitive)"
            if other
            else f"{folder} has no MLproject file at its top, so it is not an MLflow Project"
        )
    _refuse_too_large(entries)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, source, mode in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 2, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            # The server reads the executable bit from the Unix mode in the high 16 bits.
            info.external_attr = ((0o100755 if mode & 0o111 else 0o100644) & 0xFFFF) << 16
            with open(source, "rb") as f:
                zf.writestr(info, f.read())
    out.data = buf.getvalue()
    out.files = names
    return out
