"""Every task's answer, as the MIME bundle IPython builds from ``%%infer``."""

from __future__ import annotations

import io
import json
import wave

import numpy as np
import pandas as pd
import pytest

from hf_endpoint_widgets._results import (
    ClassificationResult,
    FeatureExtractionResult,
    FillMaskResult,
    ImageResult,
    JsonResult,
    QuestionAnsweringResult,
    TextResult,
    TokenClassificationResult,
)

from .conftest import bundle, run


def test_text_classification_is_a_sorted_table_with_bars(ip):
    result = run(ip, "%%infer cls\nI love this!")

    assert isinstance(result, ClassificationResult)
    scores = [score for _, score in result.labels]
    assert scores == sorted(scores, reverse=True)
    data = bundle(ip, result)
    assert set(data) >= {"text/plain", "text/html"}
    assert "<table" in data["text/html"] and "width:" in data["text/html"]
    assert result.labels[0][0] in data["text/plain"].splitlines()[0]
    assert list(result.to_dataframe().columns) == ["label", "score"]


def test_zero_shot_labels_are_escaped(ip):
    result = run(
        ip,
        """%%infer zs -p '{"candidate_labels": ["<b>bold</b>", "plain"]}'\nhello""",
    )

    html = bundle(ip, result)["text/html"]
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_token_classification_highlights_entities_in_the_text(ip):
    text = "My name is Sarah <script>x</script> and I live in London"
    ip.user_ns["sentence"] = text
    result = run(ip, "%%infer ner\n{sentence}")

    assert isinstance(result, TokenClassificationResult)
    html = bundle(ip, result)["text/html"]
    assert "<mark" in html and "London" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert {"start", "end"} <= set(result.to_dataframe().columns)


def test_fill_mask_candidates(ip):
    result = run(ip, "%%infer mask\nParis is the [MASK] of France.")

    assert isinstance(result, FillMaskResult)
    data = bundle(ip, result)
    assert "<mark" in data["text/html"]
    assert data["text/plain"].count("\n") == len(result.candidates) - 1
    assert "token_str" in result.to_dataframe().columns


def test_question_answering_highlights_the_span(ip):
    result = run(
        ip,
        '%%infer qa\n{"inputs": {"question": "Where do I live?", '
        '"context": "I live in Paris with my cat."}}',
    )

    assert isinstance(result, QuestionAnsweringResult)
    html = bundle(ip, result)["text/html"]
    assert "<mark" in html and "Where do I live?" in html
    assert result.answer in "I live in Paris with my cat."


def test_feature_extraction_is_summarised_and_an_array(ip):
    result = run(ip, "%%infer emb\nhello world")

    assert isinstance(result, FeatureExtractionResult)
    assert isinstance(result.to_numpy(), np.ndarray)
    assert result.array.shape[-1] == 384
    plain = bundle(ip, result)["text/plain"]
    assert "shape (384,)" in plain and "norm" in plain and "first values" in plain


def test_text_to_image_is_a_png(ip):
    result = run(ip, "%%infer img\nA red fox in the snow")

    assert isinstance(result, ImageResult)
    data = bundle(ip, result)
    assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert "image/png" in data["text/plain"]
    assert result.to_pil().size == result.size


def _wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(8000)
        file.writeframes(b"\x00\x01" * 800)
    return buffer.getvalue()


def test_speech_recognition_from_a_bytes_variable_is_text(ip):
    ip.user_ns["audio"] = _wav()
    result = run(ip, "%%infer asr\n{audio}")

    assert isinstance(result, TextResult)
    assert bundle(ip, result)["text/plain"] == result.text != ""


def test_image_classification_from_a_file(ip, tmp_path):
    from PIL import Image

    path = tmp_path / "cat.png"
    Image.new("RGB", (8, 8), "orange").save(path)
    result = run(ip, f"%infer imgcls --file {path}")

    assert isinstance(result, ClassificationResult)
    assert result.labels


def test_generation_and_summaries_are_text(ip):
    generated = run(ip, """%%infer gen -p '{"max_new_tokens": 5}'\nOnce upon""")
    summary = run(
        ip, "%%infer summ\nThe tower is tall. It is in Paris. People like it."
    )

    for result in (generated, summary):
        assert isinstance(result, TextResult)
        data = bundle(ip, result)
        assert data["text/plain"] == result.text
        assert "white-space:pre-wrap" in data["text/html"]


@pytest.mark.parametrize(
    ("fmt", "keys"),
    [
        ("json", {"application/json", "text/plain"}),
        ("text", {"text/plain"}),
        ("html", {"text/html", "text/plain"}),
        ("table", {"text/html", "text/plain"}),
        ("markdown", {"text/markdown", "text/plain"}),
    ],
)
def test_format_overrides_the_display(ip, fmt, keys):
    result = run(ip, f"%%infer cls -f {fmt}\nI love this!")

    data = bundle(ip, result)
    assert set(data) == keys
    if fmt == "table":
        assert "<table" in data["text/html"] and "POSITIVE" in data["text/html"]


def test_raw_prints_the_response_untouched(ip, capsys):
    outcome = ip.run_cell("%%infer cls --raw\nI love this!")

    assert outcome.result is None
    printed = capsys.readouterr().out.strip()
    assert isinstance(json.loads(printed), list)


def test_assignment_stores_quietly_or_shows(ip):
    quiet = ip.run_cell("%%infer cls answer <<\nI love this!")
    shown = ip.run_cell("%%infer cls shown= <<\nI love this!")

    assert quiet.result is None
    assert isinstance(ip.user_ns["answer"], ClassificationResult)
    assert shown.result is ip.user_ns["shown"]


def test_unknown_shapes_fall_back_to_pretty_json(ip):
    result = run(ip, '%%infer cls -t sentence-similarity --dry-run\n{"inputs": "x"}')

    assert isinstance(result, JsonResult)
    data = bundle(ip, result)
    assert data["application/json"] == {"inputs": "x"}
    assert json.loads(data["text/plain"]) == {"inputs": "x"}


def test_every_bundle_has_plain_text_and_a_dataframe_where_it_fits(ip):
    results = [
        run(ip, "%%infer cls\nok"),
        run(ip, "%%infer ner\nI live in London"),
        run(ip, "%%infer mask\nParis is the [MASK] of France."),
        run(ip, "%%infer emb\nhello"),
    ]

    for result in results:
        assert "text/plain" in bundle(ip, result)
        assert isinstance(result.to_dataframe(), pd.DataFrame)


def test_markdown_keeps_server_html_and_backticks_in_their_place(ip):
    summary = run(ip, "%%infer summ -f markdown\n<b>Tall</b> tower. It is in Paris.")
    echoed = run(ip, '%%infer cls -f markdown --dry-run\n{"inputs": "```\\n<b>x"}')

    text = bundle(ip, summary)["text/markdown"]
    assert "<b>" not in text and "&lt;b&gt;Tall&lt;/b&gt;" in text
    markdown = bundle(ip, echoed)["text/markdown"]
    assert markdown.startswith("````json\n") and markdown.endswith("\n````")


def test_ragged_vectors_display_and_convert(ip):
    result = FeatureExtractionResult([[0.6, 0.8], [1.0, 0.0, 0.0]], endpoint="x/emb")

    data = bundle(ip, result)

    assert "2 vectors of 2 to 3 values" in data["text/plain"]
    assert "<table" in data["text/html"]
    assert np.asarray(run(ip, "%%infer emb\nhello")).shape == (384,)
