"""Imported for the first time inside an orchestrator (strict_app.quiet_sdk_work): importing is
the interpreter's own work, not a side effect to report, though it opens this file."""

GREETING = "imported"
