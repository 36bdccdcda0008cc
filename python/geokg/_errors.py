"""The exceptions geokg raises. Their messages are those of the ``geokg`` command line."""


class GeokgError(Exception):
    """Base class of geokg's exceptions."""


class InputError(GeokgError, ValueError):
    """Bad documents: an empty text, an unreadable date, a file that is not UTF-8 text, a
    JSON Lines line that is not a record. The message names the file and line
    (``articles.jsonl:3: missing "text" field``; documents given as Python values are
    ``<docs>:N``, the N-th item). ``problems`` lists every problem of a batch; ``report``
    holds ``Store.build``'s counts for the documents that were stored."""

    problems: list = []
    report = None


class DataError(GeokgError):
    """A data folder or dictionary that does not load (file and line of the problem)."""


class StoreError(GeokgError):
    """A store that cannot be opened (in use by another process, not a store) or written."""


class QueryError(StoreError, ValueError):
    """A SPARQL query that does not parse or cannot be evaluated."""


class ActorNotFound(GeokgError, LookupError):
    """An actor name that names no actor in the graph (with suggestions), or several."""


class InternalError(GeokgError):
    """A bug in geokg, caught before it could crash Python. Please report it."""
