"""Stage 2: RawArticle -> Article. Text normalization (`text`), language identification
(`language`) and de-duplication across the build (`dedup`)."""

from presspack.normalize.text import Article, normalize

__all__ = ["Article", "normalize"]
