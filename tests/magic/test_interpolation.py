"""``{name}`` interpolation: JSON stays valid, strings get escaped, typos say so."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hf_endpoint_widgets.magic._interpolate import interpolate, looks_like_json

from .conftest import run, usage_error


def dry(ip, cell: str):
    """The payload ``%%infer`` would send (``--dry-run``)."""
    first, _, body = cell.partition("\n")
    return run(ip, f"{first} --dry-run\n{body}").raw


def test_json_braces_are_left_alone(ip):
    ip.user_ns["text"] = "I love it"
    payload = dry(ip, '%%infer cls\n{"inputs": "{text}", "parameters": {"top_k": 2}}')

    assert payload == {"inputs": "I love it", "parameters": {"top_k": 2}}


def test_values_inside_strings_are_json_escaped(ip):
    ip.user_ns["tricky"] = 'say "hi"\nthen \\ leave {now}'
    payload = dry(ip, '%%infer cls\n{"inputs": "<{tricky}>"}')

    assert payload == {"inputs": '<say "hi"\nthen \\ leave {now}>'}


def test_values_outside_strings_become_json_values(ip):
    ip.user_ns["texts"] = ["a", 'b"c']
    ip.user_ns["k"] = np.int64(3)
    ip.user_ns["opts"] = {"top_k": 1, "ok": True, "none": None}
    payload = dry(
        ip, '%%infer cls\n{"inputs": {texts}, "n": {k}, "parameters": {opts}}'
    )

    assert payload == {
        "inputs": ["a", 'b"c'],
        "n": 3,
        "parameters": {"top_k": 1, "ok": True, "none": None},
    }


def test_plain_text_is_wrapped_and_filled_in(ip):
    ip.user_ns["name"] = "Ada"
    assert dry(ip, "%%infer cls\nHello {name}, welcome!") == {
        "inputs": "Hello Ada, welcome!"
    }


def test_missing_names_are_sent_as_written_with_a_note(ip, capsys):
    payload = dry(ip, '%%infer cls\n{"inputs": "keep {nope} as is"}')

    assert payload == {"inputs": "keep {nope} as is"}
    assert "{nope}" in capsys.readouterr().out


def test_double_braces_are_literal(ip):
    ip.user_ns["x"] = 1
    assert dry(ip, "%%infer cls\nuse {{x}} here") == {"inputs": "use {x} here"}


def test_no_interpolate_sends_tokens_as_written(ip):
    ip.user_ns["x"] = 1
    payload = run(ip, '%%infer cls --no-interpolate --dry-run\n{"inputs": "{x}"}').raw
    assert payload == {"inputs": "{x}"}


def test_params_merge_into_parameters_and_can_name_a_dict(ip):
    ip.user_ns["p"] = {"top_k": 5}
    inline = dry(ip, """%%infer cls -p '{"top_k": 2}'\n{"inputs": "x"}""")
    named = dry(ip, "%%infer cls -p p\nhello")

    assert inline == {"inputs": "x", "parameters": {"top_k": 2}}
    assert named == {"inputs": "hello", "parameters": {"top_k": 5}}


def test_a_whole_body_variable_holding_a_dict_is_the_payload(ip):
    ip.user_ns["payload"] = {"inputs": "hi", "parameters": {"top_k": 1}}
    assert dry(ip, "%%infer cls\n{payload}") == ip.user_ns["payload"]


def test_prompts_in_brackets_stay_text(ip):
    assert dry(ip, "%%infer gen\n[INST] Hi [/INST]") == {"inputs": "[INST] Hi [/INST]"}


def test_bad_json_names_line_and_column(ip):
    message = usage_error(
        ip, '%%infer cls\n{"inputs": "x",\n  "parameters": {top_k: 1}}'
    )

    assert "line 2 column" in message and "not valid JSON" in message


def test_bad_params_and_missing_variables_are_usage_errors(ip):
    assert "-p/--params" in usage_error(ip, "%%infer cls -p '{oops'\nhi")
    assert "'ghost'" in usage_error(ip, "%infer cls --data ghost")
    assert "'ghost'" in usage_error(ip, "%infer cls --batch ghost")
    assert "cannot read" in usage_error(ip, "%infer cls --file /no/such/file.png")


def test_a_value_that_is_not_json_is_a_usage_error(ip):
    ip.user_ns["obj"] = object()
    assert "cannot be written as JSON" in usage_error(ip, '%%infer cls\n{"a": {obj}}')


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', True),
        ("[1, 2]", True),
        ('[\n  {"a": 1}]', True),
        ("{name} said hi", False),
        ("[INST] hello", False),
        ("plain words", False),
    ],
)
def test_looks_like_json(text, expected):
    assert looks_like_json(text) is expected


def test_interpolate_reports_used_and_missing():
    done = interpolate('{"a": "{x}", "b": {y}, "c": "{z}"}', {"x": 1, "y": [1]})

    assert done.used == ["x", "y"] and done.missing == ["z"]
    assert json.loads(done.text) == {"a": "1", "b": [1], "c": "{z}"}


@pytest.mark.parametrize("option", ["--file /dev/null", "--data blob"])
def test_a_body_with_file_or_data_is_a_usage_error(ip, option):
    ip.user_ns["blob"] = b"\x89PNG"

    message = usage_error(ip, f"%%infer imgcls {option}\nthis body would be lost")

    assert "body" in message and option.split()[0] in message


def test_text_starting_with_a_bracket_is_text(ip):
    ip.user_ns["point"] = "cats"

    assert dry(ip, "%%infer cls\n[1] first point") == {"inputs": "[1] first point"}
    assert dry(ip, "%%infer cls\n[2] about {point}") == {"inputs": "[2] about cats"}
    assert dry(ip, '%%infer cls\n["{point}", 2]') == ["cats", 2]


def test_payloads_json_cannot_send_are_usage_errors(ip):
    ip.user_ns["nan"] = float("nan")

    assert "NaN" in usage_error(ip, '%%infer cls\n{"inputs": NaN}')
    assert "NaN" in usage_error(ip, '%%infer cls\n{"inputs": {nan}}')
