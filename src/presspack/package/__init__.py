"""The storage layer every stage may use; it imports no pipeline stage.

- `schemas`: the one reader of schemas/*.json (Arrow schemas, Frictionless resources, docs);
- `tables`: TableWriter (Parquet, schema-driven), datapackage.json descriptors;
- `jsonio`: JSON written item by item (manifest entries of any size);
- `spill`: the one spill-to-disk container (in memory, then a private SQLite file);
- `hashing`: the sha256 helpers; `seal`: SHA256SUMS; `manifest`: reading manifest.json.
"""
