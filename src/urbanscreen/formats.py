"""The file formats urbanscreen reads a table from, by suffix. Free of pandas: the criteria
loader tells a table given as criteria by its name before anything heavy is imported."""

from __future__ import annotations

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
PX_SUFFIXES = {".px"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
READ_SUFFIXES = EXCEL_SUFFIXES | TEXT_SUFFIXES | PX_SUFFIXES | PARQUET_SUFFIXES
