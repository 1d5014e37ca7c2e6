"""The digest: statistics of a data folder's benchmark files, computed with pandas.

Where the parts live: the data model in `models`, recognising columns in `columns` (and
llama.cpp's llama-bench output in `llama_bench`; columns known by their values, not their
names, as settings in `column_settings`), reading files in `readers`, one table's
records in `table` (units in `units`, loads in `cold`, Ollama's placement of the model in
`placement`), files with the same bytes in `copies`, runs read twice in `duplicates`, the
machine, engine and model in `identity` (and a launch script's in `scripts`), statistics of
every group in `stats`, collecting a folder in `build` (its distinct files parsed ahead by
worker processes in `read_ahead`), and the text for a prompt in `render`.
The rules are stated once, in `build`'s docstring.
"""

from chimera.ingest.digest.build import build_digest, ingest_folder
from chimera.ingest.digest.columns import (
    KEY_METRICS,
    PARAM_NAMES,
    UNITS,
    MetricRole,
    metric_role,
    normalise_name,
)
from chimera.ingest.digest.identity import model_from_filename, model_from_path
from chimera.ingest.digest.models import (
    MAX_FILES_FOR_FILE_STATS,
    DataDigest,
    ErrorRows,
    MetricStats,
    NoteSummary,
    OmittedFileStats,
    PartialRead,
)
from chimera.ingest.digest.render import render_digest

__all__ = [
    "KEY_METRICS",
    "MAX_FILES_FOR_FILE_STATS",
    "PARAM_NAMES",
    "UNITS",
    "DataDigest",
    "ErrorRows",
    "MetricRole",
    "MetricStats",
    "NoteSummary",
    "OmittedFileStats",
    "PartialRead",
    "build_digest",
    "ingest_folder",
    "metric_role",
    "model_from_filename",
    "model_from_path",
    "normalise_name",
    "render_digest",
]
