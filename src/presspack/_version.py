"""The toolkit's version, alone in its module so that `presspack --version` and
`--help` load nothing else."""

__version__ = "0.2.0"
