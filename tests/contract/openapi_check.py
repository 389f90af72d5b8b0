"""Check real responses against the OpenAPI document the server publishes.

A small JSON-Schema subset, enough for what ninja/pydantic emit: ``$ref``, ``type``,
``properties``/``required`` (and no undeclared properties), ``items``, ``anyOf``, ``enum``
and ``format: date-time`` (which must carry a UTC offset)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import httpx

JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


class OpenApiDoc:
    def __init__(self, doc: dict[str, Any]):
        self.doc = doc
        self._routes = [
            (re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", path) + "$"), path)
            for path in doc["paths"]
        ]

    def operation_for(self, method: str, url_path: str) -> tuple[str, dict[str, Any]] | None:
        for pattern, path in self._routes:
            if pattern.match(url_path):
                operation = self.doc["paths"][path].get(method.lower())
                if operation is not None:
                    return path, operation
        return None

    def problems(self, response: httpx.Response) -> list[str]:
        """Why ``response`` is not what the document declares (empty when it is)."""
        request = response.request
        found = self.operation_for(request.method, request.url.path)
        if found is None:
            return [f"{request.method} {request.url.path} is not in the OpenAPI document"]
        path, operation = found
        declared = operation["responses"].get(str(response.status_code))
        where = f"{request.method} {path} -> {response.status_code}"
        if declared is None:
            return [f"{where} is not declared (declared: {sorted(operation['responses'])})"]
        schema = declared.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return []
        return [f"{where}: {p}" for p in self.validate(response.json(), schema, "$")]

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            name = schema["$ref"].removeprefix("#/components/schemas/")
            schema = self.doc["components"]["schemas"][name]
        return schema

    def validate(self, value: Any, schema: dict[str, Any], at: str) -> list[str]:
        schema = self.resolve(schema)
        if "anyOf" in schema:
            if any(not self.validate(value, option, at) for option in schema["anyOf"]):
                return []
            return [f"{at}: {value!r} matches none of {schema['anyOf']}"]
        problems: list[str] = []
        kind = schema.get("type")
        if kind is not None:
            expected = JSON_TYPES[kind]
            if not isinstance(value, expected) or (
                kind in {"integer", "number"} and isinstance(value, bool)
            ):
                return [f"{at}: {value!r} is not {kind}"]
        if "enum" in schema and value not in schema["enum"]:
            problems.append(f"{at}: {value!r} not in {schema['enum']}")
        if schema.get("format") == "date-time" and isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                problems.append(f"{at}: {value!r} is not ISO 8601")
            else:
                if parsed.utcoffset() is None:
                    problems.append(f"{at}: {value!r} has no UTC offset")
        if kind == "object":
            properties = schema.get("properties", {})
            for name in schema.get("required", []):
                if name not in value:
                    problems.append(f"{at}: missing {name!r}")
            for name, item in value.items():
                if name not in properties:
                    problems.append(f"{at}: undeclared property {name!r}")
                else:
                    problems += self.validate(item, properties[name], f"{at}.{name}")
        if kind == "array" and "items" in schema:
            for i, item in enumerate(value):
                problems += self.validate(item, schema["items"], f"{at}[{i}]")
        return problems
