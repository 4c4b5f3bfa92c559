"""Quotations across articles: the quoted words of claims merged into one row per thing
said (the quotations table), each claim pointing to its quotation (docs/quotations.md).
`finish.finish` runs at the end of a build; `index` clusters; `words` normalizes."""
