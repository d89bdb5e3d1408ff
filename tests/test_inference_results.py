"""Result objects without IPython: shapes, escaping, formats."""

from __future__ import annotations

import pytest

from hf_endpoint_widgets._media_types import sniff
from hf_endpoint_widgets._results import (
    ClassificationResult,
    FeatureExtractionResult,
    FillMaskResult,
    ImageResult,
    JsonResult,
    QuestionAnsweringResult,
    TextResult,
    TokenClassificationResult,
    make_result,
)

EVIL = '<img src=x onerror="alert(1)">'


@pytest.mark.parametrize(
    ("raw", "task", "cls"),
    [
        ([{"generated_text": "hi"}], "text-generation", TextResult),
        ({"text": "hello"}, "automatic-speech-recognition", TextResult),
        ([{"summary_text": "short"}], None, TextResult),
        (
            [{"label": "a", "score": 0.2}, {"label": "b", "score": 0.8}],
            None,
            ClassificationResult,
        ),
        ([[{"label": "a", "score": 0.2}]], "text-classification", ClassificationResult),
        (
            [
                {
                    "entity_group": "PER",
                    "score": 0.9,
                    "word": "Ada",
                    "start": 0,
                    "end": 3,
                }
            ],
            None,
            TokenClassificationResult,
        ),
        (
            [{"score": 0.5, "token": 1, "token_str": "x", "sequence": "a x"}],
            None,
            FillMaskResult,
        ),
        (
            {"answer": "Paris", "score": 0.9, "start": 0, "end": 5},
            None,
            QuestionAnsweringResult,
        ),
        ([[0.1, 0.2], [0.3, 0.4]], None, FeatureExtractionResult),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, None, ImageResult),
        ({"anything": [1, 2]}, None, JsonResult),
        ({"anything": 1}, "text-classification", JsonResult),
    ],
)
def test_result_class_by_task_or_shape(raw, task, cls):
    assert type(make_result(raw, task=task)) is cls


def test_server_text_is_escaped_in_every_html_output():
    results = [
        make_result([{"generated_text": EVIL}]),
        make_result([{"label": EVIL, "score": 1.0}]),
        make_result(
            [{"entity": EVIL, "score": 1, "word": "x", "start": 0, "end": 1}],
            inputs=EVIL,
        ),
        make_result([{"score": 1, "token_str": EVIL, "sequence": EVIL}]),
        make_result(
            {"answer": EVIL, "score": 1, "start": 0, "end": 3},
            inputs={"question": EVIL, "context": EVIL},
        ),
        make_result({"x": EVIL}, display="html"),
        make_result([{"label": EVIL, "score": 1.0}], display="table"),
    ]

    for result in results:
        html = result._repr_mimebundle_().get("text/html", "")
        assert "<img" not in html, type(result).__name__
        assert "text/plain" in result._repr_mimebundle_()


def test_classification_is_sorted_and_bars_are_bounded():
    result = make_result([{"label": "a", "score": 0.2}, {"label": "b", "score": 1.7}])

    assert [label for label, _ in result.labels] == ["b", "a"]
    assert "width:100.0%" in result._repr_mimebundle_()["text/html"]


def test_feature_extraction_summary_and_numpy():
    result = make_result([[3.0, 4.0]], task="feature-extraction")

    assert result.to_numpy().shape == (1, 2)
    assert "norm 5.0000" in repr(result)


def test_json_and_binary_answers():
    assert make_result({"a": 1}).json() == {"a": 1}
    image = make_result(b"\xff\xd8\xff" + b"\x00" * 10, task="text-to-image")
    assert set(image._repr_mimebundle_()) == {"image/jpeg", "text/plain"}
    with pytest.raises(TypeError):
        image.json()
    audio = make_result(b"RIFF", content_type="audio/wav")
    assert repr(audio) == "<4 bytes of audio/wav>"


def test_formats():
    result = make_result([{"label": "a", "score": 0.5}])

    assert set(result.with_format("json")._repr_mimebundle_()) == {
        "application/json",
        "text/plain",
    }
    assert set(result.with_format("text")._repr_mimebundle_()) == {"text/plain"}
    with pytest.raises(ValueError, match="format must be one of"):
        result.with_format("pdf")


def test_ragged_token_vectors_are_summarised_vector_by_vector():
    result = make_result([[[3.0, 4.0], [1.0, 0.0]], [[0.0, 1.0, 0.0]]])

    assert isinstance(result, FeatureExtractionResult)
    assert "3 vectors of 2 to 3 values" in repr(result)
    assert "norm 5.0000" in repr(result)
    assert "3 vectors" in result._repr_mimebundle_()["text/html"]
    assert [len(vector) for vector in result.vectors] == [2, 2, 3]
    assert result.to_dataframe().shape == (3, 3)
    with pytest.raises(ValueError, match="result.vectors"):
        result.to_numpy()


def test_numpy_reads_the_vectors_directly():
    import numpy as np

    result = make_result([[3.0, 4.0], [0.0, 1.0]], task="feature-extraction")

    assert np.asarray(result).shape == (2, 2)
    assert np.asarray(result, dtype=np.float32).dtype == np.float32
    assert float(np.linalg.norm(np.asarray(result)[0])) == 5.0


def test_markdown_shows_server_html_as_text_and_keeps_fences_closed():
    text = make_result([{"generated_text": f"**bold** {EVIL}"}], display="markdown")
    answer = {"code": "```\n# out of the fence\n```` and more"}
    data = make_result(answer, display="markdown")

    markdown = text._repr_mimebundle_()["text/markdown"]
    assert "**bold**" in markdown and "<img" not in markdown and "&lt;img" in markdown
    fenced = data._repr_mimebundle_()["text/markdown"]
    fence = fenced.split("json\n", 1)[0]
    assert fence == "`````" and fenced.endswith("\n`````")


@pytest.mark.parametrize(
    ("data", "content_type", "mime"),
    [
        (b"GIF89a" + b"\x00" * 10, "image/gif", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp", "image/webp"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", None, "image/webp"),
        (b"GIF87a" + b"\x00" * 10, "application/octet-stream", "image/gif"),
    ],
)
def test_images_keep_their_type(data, content_type, mime):
    result = make_result(data, task="text-to-image", content_type=content_type)

    assert isinstance(result, ImageResult) and result.mime == mime
    assert set(result._repr_mimebundle_()) == {mime, "text/plain"}


def test_audio_bytes_are_not_shown_as_an_image():
    result = make_result(
        b"RIFF\x00\x00\x00\x00WAVE", task="text-to-image", content_type="audio/wav"
    )

    assert not isinstance(result, ImageResult)
    assert repr(result) == "<12 bytes of audio/wav>"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


@pytest.mark.parametrize(
    "declared",
    ['image/x"onerror="alert(1)', "image/svg+xml", "IMAGE/PNG; charset=x", None],
)
def test_a_declared_image_type_is_trusted_only_when_known(declared: str | None):
    result = make_result(PNG, task="text-to-image", content_type=declared)

    assert result.mime == "image/png"
    assert set(result._repr_mimebundle_()) == {"image/png", "text/plain"}
    assert "onerror" not in result._html() and "svg" not in result._html()


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"GIF89a", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"fLaC\x00", "audio/flac"),
        (b"plain text", None),
    ],
)
def test_payload_bytes_are_typed_by_their_signature(head: bytes, kind: str | None):
    assert sniff(head + b"\x00" * 8) == kind


def test_markdown_never_loads_an_image_the_server_names():
    answer = [{"generated_text": "See ![pixel](https://tracker.example/p.gif) *now*"}]
    markdown = make_result(answer, display="markdown")._repr_mimebundle_()

    assert "![" not in markdown["text/markdown"]
    assert "*now*" in markdown["text/markdown"]
