"""Fetching tables from a statistical database that speaks PxWebApi 2 (SCB, SSB).

Submodules, imported by name so that reading a fetched file never imports httpx:
``provenance`` (what a fetched file records), ``dataset`` (JSON-stat 2 tables),
``selection`` (``--where`` and ``--years`` checked against a table's metadata),
``client`` (HTTP with the API's limits), ``write`` (PX and CSV), ``fetch`` (one table),
``sources`` (a ``sources.toml`` of tables for a whole release), ``command`` (the CLI).
"""

DEFAULT_API = "https://statistikdatabasen.scb.se/api/v2"  # SCB's statistical database
DEFAULT_LANGUAGE = "sv"
