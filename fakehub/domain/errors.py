"""Domain errors. Each names what went wrong in the Hub's own words.

These carry no HTTP detail beyond what the Hub's vocabulary implies; ``fakehub.wire.errors`` is
the one place that turns them into status codes and ``X-Error-*`` headers.
"""

from __future__ import annotations

from typing import Any


class HubError(Exception):
    """Base of every error fakehub answers a client with."""

    status = 400
    #: value of ``X-Error-Code`` (the client maps some codes to exception classes)
    code: str | None = None
    #: whether to also put the message in ``X-Error-Message`` (403s must, see spaces.md §2)
    message_header = False

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        #: extra top-level keys for the JSON body (e.g. ``url`` on a 409)
        self.extra = extra


class BadRequest(HubError):
    status = 400


class Unauthorized(HubError):
    status = 401
    message_header = True


class PaymentRequired(HubError):
    status = 402


class Forbidden(HubError):
    status = 403
    message_header = True


class RepoNotFound(HubError):
    status = 404
    code = "RepoNotFound"
    message_header = True

    def __init__(self, message: str = "Repository not found", **extra: Any) -> None:
        super().__init__(message, **extra)


class RevisionNotFound(HubError):
    status = 404
    code = "RevisionNotFound"
    message_header = True


class EntryNotFound(HubError):
    status = 404
    code = "EntryNotFound"
    message_header = True


class NotFound(HubError):
    """A 404 with no error code: Jobs use this (the client keys JobNotFoundError on the URL)."""

    status = 404


class NotAcceptable(HubError):
    status = 406


class Conflict(HubError):
    status = 409


class PreconditionFailed(HubError):
    """412: a commit's ``parentCommit`` is no longer the head of its branch."""

    status = 412


class UploadRefused(BadRequest):
    """A 400 the client must show verbatim: LFS/Xet routes read only ``X-Error-Message``."""

    message_header = True


class PayloadTooLarge(HubError):
    status = 413


class RangeNotSatisfiable(HubError):
    """416: a download's ``Range`` starts at or past the end of the file."""

    status = 416
    message_header = True


class NotImplementedByFake(HubError):
    """A route the Hub has but fakehub does not implement (yet): a clear 501, never a pretend."""

    status = 501
