"""Stage 4: entity mentions (`mentions`: span repair, labels, canonical names and keys),
user gazetteers (`gazetteer`) and the corpus-wide entity index (`index`)."""

from presspack.entities.mentions import mention_rows

__all__ = ["mention_rows"]
