"""reprints: find every reprint of a text in a collection of documents.

>>> from reprints import scan, ScanConfig, Level, Index
"""

from reprints.api import scan
from reprints.config import Level, OnError, ReadConfig, Relation, ScanConfig
from reprints.document import Document
from reprints.engine.indexed import AddResult, Index, QueryAnswer
from reprints.errors import ConfigError, InputError, ReprintsError
from reprints.result import Cluster, Pair, ScanResult

__all__ = [
    "AddResult",
    "Cluster",
    "ConfigError",
    "Document",
    "Index",
    "InputError",
    "Level",
    "OnError",
    "Pair",
    "QueryAnswer",
    "ReadConfig",
    "Relation",
    "ReprintsError",
    "ScanConfig",
    "ScanResult",
    "scan",
]
__version__ = "0.1.0"
