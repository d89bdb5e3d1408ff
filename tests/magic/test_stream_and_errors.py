"""Streaming into the output, server errors in one line, and the token kept out of
everything shown."""

from __future__ import annotations

import httpx2
import pytest

from hf_endpoint_widgets._results import TextResult
from hf_endpoint_widgets.errors import ServerError

from .conftest import bundle, run, usage_error


def _generate(sb, prompt: str, **parameters) -> str:
    response = httpx2.post(
        sb.endpoint_url("gen") + "/generate",
        json={"inputs": prompt, "parameters": parameters},
        headers={"authorization": f"Bearer {sb.token}"},
    )
    return response.json()["generated_text"]


def test_stream_shows_tokens_as_they_arrive_then_the_result(ip, sb, capsys):
    outcome = ip.run_cell("%%infer gen --stream out <<\nOnce upon a time")

    assert outcome.error_in_exec is None and outcome.result is None
    result = ip.user_ns["out"]
    assert isinstance(result, TextResult)
    assert result.text == _generate(sb, "Once upon a time")
    updates = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(updates) > 3
    prefixes = [u.strip() for u in updates[:4]]
    assert all(result.text.strip().startswith(p) for p in prefixes)
    assert [len(p) for p in prefixes] == sorted({len(p) for p in prefixes})


def test_stream_of_chat_messages_uses_chat_completions(ip, sb):
    outcome = ip.run_cell(
        "%%infer gen --stream reply <<\n"
        '{"messages": [{"role": "user", "content": "Say hi"}], "max_tokens": 8}'
    )

    assert outcome.error_in_exec is None
    assert ip.user_ns["reply"].text
    assert sb.requests.count("POST", "/endpoints/sandbox-user/gen/v1/chat/completions")


def test_chat_without_stream_shows_the_message(ip):
    result = run(ip, '%%infer gen\n{"messages": [{"role": "user", "content": "Hi"}]}')

    assert isinstance(result, TextResult) and result.text
    assert bundle(ip, result)["text/plain"] == result.text


def test_stream_wakes_a_scaled_to_zero_endpoint(ip, sb):
    sb.seed("llm", task="text-generation", status="scaledToZero")

    outcome = ip.run_cell("%%infer llm --stream out <<\nHello")

    assert outcome.error_in_exec is None and ip.user_ns["out"].text


def test_server_errors_are_one_line_with_status_and_message(ip, sb):
    sb.faults(target="inference", endpoint="cls", fail_next=1, error_status=500)

    message = usage_error(ip, "%%infer cls\nhello")

    assert "HTTP 500" in message and "sandbox fault" in message


def test_bad_requests_show_the_server_message(ip):
    message = usage_error(ip, '%%infer qa\n{"inputs": "not an object"}')

    assert "HTTP 400" in message and "question" in message


def test_debug_shows_the_original_exception(ip, sb):
    sb.faults(target="inference", endpoint="cls", fail_next=1, error_status=500)

    outcome = ip.run_cell("%%infer cls --debug\nhello")

    assert isinstance(outcome.error_in_exec, ServerError)


def test_unknown_options_are_usage_errors(ip):
    assert "unrecognized arguments: --bogus" in usage_error(
        ip, "%%infer cls --bogus\nx"
    )
    assert "invalid choice" in usage_error(ip, "%%infer cls -f pdf\nx")


def test_the_token_never_appears(ip, sb, capsys, monkeypatch):
    sb.faults(target="inference", endpoint="cls", fail_next=1, error_status=500)
    shown = [
        usage_error(ip, "%%infer cls\nhello"),
        usage_error(ip, "%%infer clss\nhello"),
        repr(run(ip, "%%infer cls\nhello")),
        str(bundle(ip, run(ip, "%%infer cls -f json\nhello"))),
        repr(sb.client.get_inference_endpoint("cls").client),
    ]
    ip.run_cell("%%infer cls --debug --timeout 0.001\nhello")
    monkeypatch.setenv("HF_TOKEN", "hf_NotTheRightTokenAtAll")
    shown.append(usage_error(ip, "%%infer cls\nhello"))
    captured = capsys.readouterr()

    for text in [*shown, captured.out, captured.err]:
        assert sb.token not in text
        assert "hf_NotTheRightTokenAtAll" not in text
    assert "HTTP 401" in shown[-1]


@pytest.mark.parametrize(
    "cell", ["%infer cls -- I love it", "%infer cls --  I love it"]
)
def test_line_magic_takes_text_after_double_dash(ip, cell):
    assert run(ip, cell).labels
