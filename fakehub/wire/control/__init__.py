"""The control API's answers (``/_fakehub/*``): one serialiser function per shape.

Each ``*_json`` function returns a ``TypedDict`` that names its shape; the route documents
itself with that function (``@control_doc(..., response=outage_json)``), and
``/_fakehub/openapi.json`` derives the schema from the function's return type. A shape is
written once: mypy checks the function builds it, the document describes it.
"""

__all__: list[str] = []
