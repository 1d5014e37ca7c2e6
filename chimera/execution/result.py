"""RunResult: everything one run produced, as written to run.json (schema-versioned).

Defined in `chimera.run_record` (below the pages, which read it too); here for the
callers that know it from here.
"""

from chimera.run_record import RUN_SCHEMA_VERSION, Placement, Quality, RunResult, load_run

__all__ = ["RUN_SCHEMA_VERSION", "Placement", "Quality", "RunResult", "load_run"]
