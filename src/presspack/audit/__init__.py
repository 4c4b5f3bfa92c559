"""Measuring a release's accuracy on its own corpus: sample articles, export them for
annotation (Label Studio, BRAT), read the gold back, score the release against it with
bootstrap confidence intervals, and state the result in the next release.

A release is read only through its files (datapackage.json and the Parquet tables)."""
