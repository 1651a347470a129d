"""The Hub's (zod's) validation message shape, built in one place: fakehub.wire.validation."""

from __future__ import annotations

import re

import pytest

from fakehub.domain.errors import BadRequest
from fakehub.wire.spaces import EXPAND_KEYS, parse_expand
from fakehub.wire.validation import (
    Issue,
    check_options,
    dot_path,
    hub_validation_message,
    invalid_option,
)


def test_one_issue_reads_like_the_hubs() -> None:
    message = hub_validation_message([Issue(invalid_option(["author", "sdk"]), ("expand", 0))])
    assert message == '✖ Invalid option: expected one of "author"|"sdk"\n  → at expand[0]'


def test_several_issues_shallowest_first_and_a_single_option() -> None:
    issues = [Issue("Invalid input: expected string, received number", ("a", "b")), Issue("x")]
    assert hub_validation_message(issues) == (
        "✖ x\n✖ Invalid input: expected string, received number\n  → at a.b"
    )
    assert invalid_option(["only"]) == 'Invalid input: expected "only"'


@pytest.mark.parametrize(
    ("path", "text"),
    [(("expand", 0), "expand[0]"), (("a", "b", 2, "c"), "a.b[2].c"), (("x-y",), '["x-y"]')],
)
def test_paths(path: tuple[str | int, ...], text: str) -> None:
    assert dot_path(path) == text


def test_check_options_names_each_bad_position() -> None:
    with pytest.raises(BadRequest) as caught:
        check_options("expand", ["sdk", "nope", "bad"], ["sdk", "likes"])
    assert caught.value.message.splitlines() == [
        '✖ Invalid option: expected one of "sdk"|"likes"',
        "  → at expand[1]",
        '✖ Invalid option: expected one of "sdk"|"likes"',
        "  → at expand[2]",
    ]
    check_options("expand", ["sdk"], ["sdk"])  # nothing to say


def test_huggingface_hubs_own_test_can_read_the_expand_list() -> None:
    # what test_expand_space_property_type_is_up_to_date (huggingface_hub 2.4.0) does
    with pytest.raises(BadRequest) as caught:
        parse_expand(["does_not_exist"])
    message = caught.value.message
    assert "expected one of " in message
    listed = set(re.findall(r'"([^"]+)"', message.split("expected one of ", 1)[1]))
    assert listed == set(EXPAND_KEYS)
