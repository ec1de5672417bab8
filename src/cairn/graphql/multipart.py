"""The GraphQL multipart request spec, read strictly.

Strawberry's reader answers a malformed request with an HTTP 500 in many ways (Starlette's
own ``HTTPException``, ``TypeError`` from a ``map`` that is not an object, a part without
a filename handed to the resolver as ``str``) and lets one file be mapped to two variables,
so that the first upload commits and the second fails on an exhausted stream. Here every
such request is refused as a whole, before any resolver runs, with BAD_USER_INPUT (or
PAYLOAD_TOO_LARGE for too many or too large parts) and a message saying how to fix it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cross_web import StarletteRequestAdapter
from cross_web.request._base import FormData
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from cairn.errors import BadUserInput, CairnError, PayloadTooLarge
from graphql import GraphQLError, VariableNode, parse, visit
from graphql.language import SKIP, Visitor

MAX_FILES = 64  # file parts per request
MAX_FIELDS = 8  # text parts per request: 'operations' and 'map' are all the spec needs
MAX_FIELD_BYTES = 1024 * 1024  # a text part; content goes in file parts
SPEC = (
    "see the GraphQL multipart request spec (github.com/jaydenseric/graphql-multipart-request-spec)"
)


class CairnRequestAdapter(StarletteRequestAdapter):
    """Starlette's form parser with Cairn's limits, its errors typed."""

    async def get_form_data(self) -> FormData:
        try:
            form = await self._request.form(
                max_files=MAX_FILES, max_fields=MAX_FIELDS, max_part_size=MAX_FIELD_BYTES
            )
        except StarletteHTTPException as exc:
            raise _parser_error(exc) from None
        return FormData(files=form, form=form)


def _parser_error(exc: StarletteHTTPException) -> CairnError:
    detail = str(exc.detail)
    context = exc.__context__
    reason = str(getattr(context, "__cause__", None) or detail)
    if detail.startswith("Too many files"):
        return PayloadTooLarge(
            f"a multipart request may carry at most {MAX_FILES} files; send fewer per request"
        )
    if detail.startswith("Too many fields"):
        return PayloadTooLarge(
            f"a multipart request may carry at most {MAX_FIELDS} parts without a filename "
            "('operations' and 'map'); send files as parts with a filename"
        )
    if "exceeded maximum size" in detail:
        return PayloadTooLarge(
            f"a multipart part without a filename may be at most {MAX_FIELD_BYTES} bytes; "
            "send content as a file part (with a filename)"
        )
    if "header size" in reason or "header count" in reason:
        return PayloadTooLarge(
            "a multipart part's headers are larger than 4 KiB or more than 8; "
            "shorten the filename and send only Content-Disposition and Content-Type"
        )
    if "boundary" in detail.lower() or "boundary" in reason.lower():
        return BadUserInput(
            "the multipart body's boundary is missing or wrong: Content-Type must be "
            "'multipart/form-data; boundary=...' matching the body (let the HTTP client "
            "build the body); " + SPEC
        )
    if "name" in detail:
        return BadUserInput(
            "every multipart part needs 'Content-Disposition: form-data; name=\"...\"'; " + SPEC
        )
    return BadUserInput(
        f"the multipart body could not be parsed ({reason.rstrip('.')}); check that it "
        "ends with the closing boundary; " + SPEC
    )


def read_operations(form: FormData, decode: Callable[[str], object]) -> dict[str, Any]:
    """The request's ``operations`` with each mapped file in its place, or a typed error."""
    operations = _json_part(form, "operations", decode, required=True)
    if not isinstance(operations, dict):
        raise BadUserInput(
            "the 'operations' part must be one JSON object "
            '{"query": "...", "variables": {...}} (batches are not supported); ' + SPEC
        )
    files_map = _json_part(form, "map", decode, required=False)
    if files_map is None:
        files_map = {}
    if not isinstance(files_map, dict):
        raise BadUserInput(
            "the 'map' part must be a JSON object from part names to a list of one path, "
            'e.g. {"0": ["variables.file"]}; ' + SPEC
        )
    targets: dict[str, str] = {}
    for name, paths in files_map.items():
        path = _one_path(name, paths)
        if path in targets:
            raise BadUserInput(
                f"map entries {targets[path]!r} and {name!r} both point at {path!r}; "
                "map each variable to one file"
            )
        targets[path] = name
        _place(operations, path, _file_part(form, name))
    _check_single_use(operations, {path.split(".")[1] for path in targets})
    return operations


def _json_part(
    form: FormData, name: str, decode: Callable[[str], object], *, required: bool
) -> object:
    values = form.form.getlist(name) if hasattr(form.form, "getlist") else [form.get(name)]
    values = [v for v in values if v is not None]
    if not values:
        if required:
            raise BadUserInput(
                f"a multipart request needs an '{name}' part (a JSON text field, sent first); "
                + SPEC
            )
        return None
    if len(values) > 1:
        raise BadUserInput(f"the multipart request has {len(values)} '{name}' parts; send one")
    value = values[0]
    if not isinstance(value, str):
        raise BadUserInput(
            f"the '{name}' part must be a text field holding JSON, not a file; " + SPEC
        )
    try:
        return decode(value)
    except BadUserInput:
        raise
    except json.JSONDecodeError as exc:
        raise BadUserInput(
            f"the '{name}' part is not valid JSON ({exc.msg} at offset {exc.pos}); " + SPEC
        ) from None


def _one_path(name: object, paths: object) -> str:
    label = _label(name)
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths) or not paths:
        raise BadUserInput(
            f"map entry {label} must be a list holding one path such as 'variables.file'; " + SPEC
        )
    if len(paths) > 1:
        raise BadUserInput(
            f"map entry {label} maps one file to {len(paths)} variables; a file can be read "
            "once: send it once per variable, each as its own part"
        )
    path = str(paths[0])
    if not path.startswith("variables.") or path == "variables.":
        raise BadUserInput(
            f"map entry {label} points at {_label(path)}; paths start with 'variables.' "
            "and name the variable that holds the file, e.g. 'variables.file'"
        )
    return path


def _file_part(form: FormData, name: str) -> UploadFile:
    values = form.form.getlist(name) if hasattr(form.form, "getlist") else [form.get(name)]
    values = [v for v in values if v is not None]
    label = _label(name)
    if not values:
        raise BadUserInput(
            f"map entry {label} names no part of the request; send the file as a part named "
            f"{label} after 'map', and end the body with the closing boundary"
        )
    if len(values) > 1:
        raise BadUserInput(f"the request has {len(values)} parts named {label}; send one")
    value = values[0]
    if not isinstance(value, UploadFile):
        raise BadUserInput(
            f"part {label} has no filename, so it is not a file; send it with "
            f'\'Content-Disposition: form-data; name="{_safe(name)}"; filename="..."\''
        )
    return value


def _place(operations: dict[str, Any], path: str, file: UploadFile) -> None:
    """Put ``file`` at ``path``; the place must exist (or be a missing key) and be null."""
    keys = path.split(".")
    target: Any = operations
    for depth, key in enumerate(keys):
        last = depth == len(keys) - 1
        if isinstance(target, dict):
            if last:
                if target.get(key) is not None:
                    break
                target[key] = file
                return
            if key not in target:
                break
            target = target[key]
        elif isinstance(target, list) and key.isdigit() and int(key) < len(target):
            if last:
                if target[int(key)] is not None:
                    break
                target[int(key)] = file
                return
            target = target[int(key)]
        else:
            break
    raise BadUserInput(
        f"map path {_label(path)} does not point at a null in 'operations'; set the variable "
        "that will hold the file to null there, and map that exact path"
    )


def _check_single_use(operations: dict[str, Any], names: set[str]) -> None:
    """A variable that holds a file may be used once: a second read finds the stream spent."""
    query = operations.get("query")
    if not names or not isinstance(query, str):
        return
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return  # reported by GraphQL itself, before anything runs
    uses: dict[str, int] = {}

    class _Uses(Visitor):
        def enter_variable_definition(self, *_: object) -> object:
            return SKIP  # the declaration is not a use

        def enter_variable(self, node: VariableNode, *_: object) -> None:
            uses[node.name.value] = uses.get(node.name.value, 0) + 1

    visit(document, _Uses())
    for name in sorted(names):
        if uses.get(name, 0) > 1:
            raise BadUserInput(
                f"variable ${name} holds a file and is used {uses[name]} times; a file can "
                "be read once: send one file per use, each in its own variable"
            )


def _safe(text: object) -> str:
    value = ascii(str(text))[1:-1]
    return value if len(value) <= 60 else value[:57] + "..."


def _label(text: object) -> str:
    return f"'{_safe(text)}'"
