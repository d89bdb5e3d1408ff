"""Every state of the target endpoint, and how the target is chosen."""

from __future__ import annotations

import pytest

from hf_endpoint_widgets._results import ClassificationResult

from .conftest import run, usage_error

CELL = "I love this!"


def test_running_endpoint_answers(ip):
    assert isinstance(run(ip, f"%%infer cls\n{CELL}"), ClassificationResult)


def test_scaled_to_zero_wakes_with_a_badge_and_progress(ip, sb, capsys):
    sb.seed("sleepy", task="text-classification", status="scaledToZero")

    result = run(ip, f"%%infer sleepy\n{CELL}")

    assert isinstance(result, ClassificationResult)
    captured = capsys.readouterr()
    assert "scaledToZero: waking it up" in captured.out
    assert "StatusBadge" in captured.out
    assert "s waited" in captured.err
    assert sb.get("sleepy")["status"]["state"] == "running"


def test_scaled_to_zero_wake_retries_503_until_the_timeout(ip, sb):
    sb.seed("sleepy", task="text-classification", status="scaledToZero")
    sb.faults(target="inference", endpoint="sleepy", fail_next=2, error_status=503)

    assert isinstance(run(ip, f"%%infer sleepy\n{CELL}"), ClassificationResult)


@pytest.mark.parametrize("status", ["initializing", "pending", "updating"])
def test_transitional_states_need_wait(ip, sb, status):
    sb.speed = 0
    try:
        sb.seed("booting", task="text-classification", status=status)
        message = usage_error(ip, f"%%infer booting\n{CELL}")
    finally:
        sb.speed = 60
    assert status in message and "--wait" in message


def test_wait_waits_with_a_badge(ip, sb, capsys):
    sb.seed("booting", task="text-classification", status="initializing")

    result = run(ip, f"%%infer booting --wait --timeout 60\n{CELL}")

    assert isinstance(result, ClassificationResult)
    assert "waiting until it runs" in capsys.readouterr().out


def test_wait_gives_up_after_the_timeout(ip, sb):
    sb.speed = 0
    try:
        sb.seed("stuck", task="text-classification", status="initializing")
        message = usage_error(ip, f"%%infer stuck --wait --timeout 0.2\n{CELL}")
    finally:
        sb.speed = 60
    assert "still initializing after 0.2 s" in message and "--timeout" in message


def test_paused_is_never_resumed_silently(ip, sb):
    sb.seed("napping", task="text-classification", status="paused")

    message = usage_error(ip, f"%%infer napping\n{CELL}")

    assert "paused" in message and "--resume" in message and "billed" in message
    assert sb.get("napping")["status"]["state"] == "paused"
    assert sb.requests.count("POST", "/v2/endpoint/sandbox-user/napping/resume") == 0


def test_resume_resumes_and_waits(ip, sb):
    sb.seed("napping", task="text-classification", status="paused")

    result = run(ip, f"%%infer napping --resume --timeout 60\n{CELL}")

    assert isinstance(result, ClassificationResult)
    assert sb.get("napping")["status"]["state"] == "running"


@pytest.mark.parametrize(
    ("status", "words"),
    [("failed", "failed to deploy"), ("updateFailed", "failed to update")],
)
def test_failed_endpoints_show_the_server_message_and_next_step(ip, sb, status, words):
    sb.seed("broken", task="text-classification", status=status, message="OOM <x>")

    message = usage_error(ip, f"%%infer broken\n{CELL}")

    assert words in message and "OOM <x>" in message and "Next step" in message


def test_an_endpoint_paused_since_the_last_call_is_noticed(ip, sb):
    run(ip, f"%%infer cls\n{CELL}")
    sb.set_status("cls", "paused")

    assert "--resume" in usage_error(ip, f"%%infer cls\n{CELL}")


def test_typos_get_did_you_mean(ip):
    message = usage_error(ip, f"%%infer clss\n{CELL}")

    assert "No endpoint 'clss'" in message and "Did you mean 'cls'" in message


def test_no_target_lists_the_endpoints(ip):
    message = usage_error(ip, f"%%infer\n{CELL}")

    assert "No endpoint given" in message and "cls, emb" in message


def test_endpoint_use_sets_the_default(ip, capsys):
    ip.run_line_magic("endpoint", "use cls")

    assert isinstance(run(ip, f"%%infer\n{CELL}"), ClassificationResult)
    assert "sandbox-user/cls" in capsys.readouterr().out
    assert "Did you mean" in usage_error(ip, "%endpoint use clz")


def test_the_manager_selection_is_the_target(ip):
    from hf_endpoint_widgets.widgets import EndpointManager

    manager = EndpointManager()
    try:
        manager.selected = ["cls"]
        assert isinstance(run(ip, f"%%infer\n{CELL}"), ClassificationResult)
    finally:
        manager.close()


def test_namespace_slash_name_works(ip):
    assert isinstance(
        run(ip, f"%%infer sandbox-user/cls\n{CELL}"), ClassificationResult
    )


def test_endpoint_show_and_wait(ip, sb, capsys):
    sb.seed("booting", task="text-classification", status="initializing")

    ip.run_line_magic("endpoint", "show booting")
    ip.run_line_magic("endpoint", "wait booting --timeout 60")

    out = capsys.readouterr().out
    assert "StatusBadge" in out and "sandbox-user/booting is running." in out


def test_endpoints_shows_the_manager(ip):
    from hf_endpoint_widgets.widgets import EndpointManager

    manager = ip.run_line_magic("endpoints", "")
    try:
        assert isinstance(manager, EndpointManager)
    finally:
        manager.close()


def test_help_is_generated_from_the_arguments(ip, capsys):
    ip.run_cell("%infer?")

    out = capsys.readouterr().out
    for option in ("--params", "--batch", "--concurrency", "--resume", "--stream"):
        assert option in out


def test_unload_and_reload(ip):
    ip.run_line_magic("unload_ext", "hf_endpoint_widgets")
    try:
        assert ip.find_cell_magic("infer") is None
        assert ip.find_line_magic("endpoints") is None
    finally:
        ip.run_line_magic("load_ext", "hf_endpoint_widgets")
    assert ip.find_cell_magic("infer") is not None


def test_endpoint_wait_wakes_a_scaled_to_zero_endpoint(ip, sb, capsys):
    sb.seed("sleepy", task="text-classification", status="scaledToZero")

    run(ip, "%endpoint wait sleepy --timeout 20")

    out = capsys.readouterr().out
    assert "scaledToZero: waking it up" in out and "StatusBadge" in out
    assert "sandbox-user/sleepy is running." in out
    assert sb.get("sleepy")["status"]["state"] == "running"


@pytest.mark.parametrize("stream", ["", " --stream"])
def test_a_cached_endpoint_scaled_to_zero_since_is_woken(ip, sb, stream):
    run(ip, f"%%infer gen{stream} first <<\nHello")
    sb.set_status("gen", "scaledToZero")

    outcome = ip.run_cell(f"%%infer gen{stream} again <<\nHello")

    assert outcome.error_in_exec is None, outcome.error_in_exec
    assert ip.user_ns["again"].text
    assert sb.get("gen")["status"]["state"] == "running"


def test_endpoint_use_says_a_selected_row_comes_first(ip, capsys):
    from hf_endpoint_widgets.widgets import EndpointManager

    manager = EndpointManager()
    try:
        manager.selected = ["ner"]
        ip.run_line_magic("endpoint", "use cls")
    finally:
        manager.close()

    out = capsys.readouterr().out
    assert "now sends to sandbox-user/cls" in out
    assert "EndpointManager" in out and "ner" in out and "still comes first" in out
