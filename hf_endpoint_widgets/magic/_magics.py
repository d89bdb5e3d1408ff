"""The magics: they parse their line and delegate."""

from __future__ import annotations

import shlex
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import (
    Magics,
    line_cell_magic,
    line_magic,
    magics_class,
    no_var_expand,
)

from ._args import ENDPOINT_ARGUMENTS, INFER_ARGUMENTS, declare
from ._endpoint import endpoint_command, show_endpoints
from ._infer import RowHook, run_infer
from ._parse import split_assignment, split_inline_body
from ._target import Targets

__all__ = ["InferenceMagics"]


def _parse(func: Any, line: str) -> Any:
    """Parse like a POSIX shell, so quotes around JSON values go away."""
    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise UsageError(f"Cannot read the options: {exc}.") from None
    return func.parser.parse_args(words)


@magics_class
class InferenceMagics(Magics):
    """``%%infer``, ``%endpoints`` and ``%endpoint``.

    Attributes
    ----------
    targets : Targets
        The default endpoint (``%endpoint use``) and the endpoint cache.
    on_batch_result : callable or None
        ``hook(position, row)`` called on the notebook's thread as each ``--batch``
        row finishes; raising ``KeyboardInterrupt`` there stops the batch.
    """

    def __init__(self, shell: Any = None) -> None:
        super().__init__(shell)
        self.targets = Targets()
        self.on_batch_result: RowHook | None = None

    @line_cell_magic
    @no_var_expand
    @declare(INFER_ARGUMENTS)
    def infer(self, line: str, cell: str | None = None) -> Any:
        """Send the cell to an Inference Endpoint and show the answer by task.

        The body is the payload: JSON is sent as it is, plain text as
        ``{"inputs": text}``. ``{name}`` tokens naming notebook variables are filled
        in (JSON-escaped inside JSON strings); ``{{name}}`` is a literal ``{name}``.
        End the line with ``VAR <<`` to store the result quietly, ``VAR= <<`` to
        store and show it. On one line: ``%infer NAME -- some text``.

        Examples::

            %%infer sentiment
            I love this!

            %%infer gpt2 -p '{"max_new_tokens": 20}' --stream
            {"inputs": "Once upon a time, {hero}"}

            %infer sentiment --batch df.review scores <<
        """
        line, variable, show = split_assignment(line)
        line, inline = split_inline_body(line)
        args = _parse(InferenceMagics.infer, line)
        body = cell if cell is not None else inline or ""

        assert self.shell is not None
        namespace = self.shell.user_ns
        outcome = run_infer(namespace, args, body, self.targets, self.on_batch_result)
        if variable is not None:
            namespace[variable] = outcome.value
            return outcome.value if show and not outcome.shown else None
        return None if outcome.shown else outcome.value

    @line_magic
    @no_var_expand
    def endpoints(self, line: str) -> Any:
        """Show a live table of the namespace's endpoints (``%endpoints [NAMESPACE]``).

        Select a row to make it the target of ``%%infer``.
        """
        return show_endpoints(line.strip() or None)

    @line_magic
    @no_var_expand
    @declare(ENDPOINT_ARGUMENTS)
    def endpoint(self, line: str) -> Any:
        """Choose, show or wait for an endpoint.

        Examples::

            %endpoint use sentiment
            %endpoint show my-org/gpt2
            %endpoint wait gpt2 --timeout 900
        """
        return endpoint_command(_parse(InferenceMagics.endpoint, line), self.targets)
