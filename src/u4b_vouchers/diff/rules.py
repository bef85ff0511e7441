"""Every kind of change the gate reports: a stable id (oasdiff's where one corresponds) and a level.

Direction matters: a constraint tightened in a request breaks clients, the same change in a
response does not, and the reverse for loosening.
"""

from __future__ import annotations

from dataclasses import dataclass

BREAKING, WARNING, INFO = "breaking", "warning", "info"
LEVELS = (BREAKING, WARNING, INFO)


@dataclass(frozen=True)
class ChangeRule:
    id: str
    level: str
    description: str


def _rules(*rows: tuple[str, str, str]) -> dict[str, ChangeRule]:
    return {rule_id: ChangeRule(rule_id, level, text) for rule_id, level, text in rows}


RULES = _rules(
    # paths and operations
    ("endpoint-added", INFO, "an operation was added"),
    (
        "api-path-removed-without-deprecation",
        BREAKING,
        "a path was removed while an operation on it was not deprecated",
    ),
    ("api-path-removed", INFO, "a path whose operations were all deprecated was removed"),
    ("api-removed-without-deprecation", BREAKING, "an operation was removed without being deprecated first"),
    ("endpoint-removed", INFO, "a deprecated operation was removed"),
    (
        "request-path-parameter-renamed",
        WARNING,
        "a path parameter was renamed: the URL is the same, generated clients rename an argument",
    ),
    ("endpoint-deprecated", INFO, "an operation was marked deprecated"),
    ("endpoint-reactivated", INFO, "a deprecated operation is no longer deprecated"),
    ("api-operation-id-removed", WARNING, "an operationId was removed or renamed (generated clients rename methods)"),
    ("api-operation-id-added", INFO, "an operationId was added"),
    # security
    ("api-security-added", BREAKING, "an operation that needed no authentication now needs it"),
    ("api-security-removed", BREAKING, "a way to authenticate an operation (a security scheme) was removed"),
    ("api-security-alternative-added", INFO, "a new way to authenticate an operation was added"),
    ("api-security-scope-added", BREAKING, "an operation needs an additional scope"),
    ("api-security-scope-removed", INFO, "an operation needs fewer scopes"),
    ("api-security-component-removed", WARNING, "a security scheme was removed from components"),
    ("api-security-component-added", INFO, "a security scheme was added to components"),
    ("api-security-component-oauth-token-url-changed", WARNING, "an OAuth flow's token or authorization URL changed"),
    ("api-security-component-oauth-scope-removed", WARNING, "an OAuth flow no longer offers a scope"),
    ("api-security-component-oauth-scope-added", INFO, "an OAuth flow offers a new scope"),
    # parameters
    ("new-required-request-parameter", BREAKING, "a required parameter was added"),
    ("new-optional-request-parameter", INFO, "an optional parameter was added"),
    ("request-parameter-removed", WARNING, "a parameter was removed (clients that send it may be refused or ignored)"),
    ("request-parameter-became-required", BREAKING, "an optional parameter became required"),
    ("request-parameter-became-optional", INFO, "a required parameter became optional"),
    # request bodies
    ("added-required-request-body", BREAKING, "a required request body was added"),
    ("request-body-added-optional", INFO, "an optional request body was added"),
    ("request-body-removed", WARNING, "the request body was removed"),
    ("request-body-became-required", BREAKING, "the request body became required"),
    ("request-body-became-optional", INFO, "the request body became optional"),
    ("request-body-media-type-removed", BREAKING, "a request media type is no longer accepted"),
    ("request-body-media-type-added", INFO, "a request media type was added"),
    ("new-required-request-property", BREAKING, "a required request property was added"),
    ("new-optional-request-property", INFO, "an optional request property was added"),
    ("request-property-removed", WARNING, "a request property was removed"),
    ("request-property-became-required", BREAKING, "an optional request property became required"),
    ("request-property-became-optional", INFO, "a required request property became optional"),
    ("request-conditional-requirement-added", BREAKING, "a conditional requirement (if/then) was added to a request"),
    ("request-conditional-requirement-removed", INFO, "a conditional requirement (if/then) was removed from a request"),
    # responses
    ("response-success-status-removed", BREAKING, "a success status was removed"),
    ("response-non-success-status-removed", WARNING, "an error status was removed"),
    ("response-success-status-added", INFO, "a success status was added"),
    ("response-non-success-status-added", INFO, "an error status was added"),
    ("response-media-type-removed", BREAKING, "a response media type was removed"),
    ("response-media-type-added", INFO, "a response media type was added"),
    ("response-required-property-removed", BREAKING, "a required response property was removed"),
    ("response-optional-property-removed", WARNING, "an optional response property was removed"),
    ("response-property-became-optional", BREAKING, "a required response property became optional"),
    ("response-property-became-required", INFO, "an optional response property became required"),
    ("response-required-property-added", INFO, "a required response property was added"),
    ("response-optional-property-added", INFO, "an optional response property was added"),
    ("required-response-header-removed", BREAKING, "a required response header was removed"),
    ("optional-response-header-removed", WARNING, "an optional response header was removed"),
    ("response-header-became-optional", BREAKING, "a required response header became optional"),
    ("response-header-added", INFO, "a response header was added"),
    # x-u4b-rules
    ("x-u4b-rule-added", BREAKING, "a documented rule that refuses requests was added"),
    (
        "x-u4b-rule-added-lenient",
        INFO,
        "a rule was added that refuses nothing for certain (lenient, or not about requests)",
    ),
    ("x-u4b-rule-removed", INFO, "a documented rule was removed"),
    ("x-u4b-rule-tightened", BREAKING, "a documented rule now refuses more requests"),
    ("x-u4b-rule-loosened", INFO, "a documented rule now refuses fewer requests"),
    ("x-u4b-rule-outcome-changed", WARNING, "breaking a documented rule now gets another status or code"),
    ("x-u4b-rule-changed", WARNING, "a documented rule changed in a way the gate cannot rank"),
)

#: Schema-level changes, per side. ``{side}`` is request-property, request-parameter, request-body,
#: response-property or response-body; the level depends on the side (see schema.py).
SCHEMA_CHANGES = {
    "type-changed": ("the type or format changed", BREAKING, BREAKING),
    "type-generalized": ("more types or formats are accepted", INFO, BREAKING),
    "type-narrowed": ("fewer types or formats are accepted", BREAKING, INFO),
    "enum-value-removed": ("an enum value was removed", BREAKING, INFO),
    "enum-value-added": ("an enum value was added", INFO, WARNING),
    "enum-added": ("values are now restricted to an enum", BREAKING, INFO),
    "enum-removed": ("the enum restriction was removed", INFO, BREAKING),
    "max-decreased": ("the maximum was decreased", BREAKING, INFO),
    "max-increased": ("the maximum was increased", INFO, BREAKING),
    "max-set": ("a maximum was set", WARNING, INFO),
    "max-unset": ("the maximum was removed", INFO, BREAKING),
    "min-increased": ("the minimum was increased", BREAKING, INFO),
    "min-decreased": ("the minimum was decreased", INFO, BREAKING),
    "min-set": ("a minimum was set", WARNING, INFO),
    "min-unset": ("the minimum was removed", INFO, BREAKING),
    "max-length-decreased": ("maxLength was decreased", BREAKING, INFO),
    "max-length-increased": ("maxLength was increased", INFO, BREAKING),
    "min-length-increased": ("minLength was increased", BREAKING, INFO),
    "min-length-decreased": ("minLength was decreased", INFO, BREAKING),
    "min-items-increased": ("minItems was increased", BREAKING, INFO),
    "min-items-decreased": ("minItems was decreased", INFO, BREAKING),
    "max-items-decreased": ("maxItems was decreased", BREAKING, INFO),
    "max-items-increased": ("maxItems was increased", INFO, BREAKING),
    "pattern-added": ("a pattern was added", WARNING, INFO),
    "pattern-changed": ("the pattern changed", WARNING, WARNING),
    "pattern-removed": ("the pattern was removed", INFO, WARNING),
    "became-nullable": ("null is now allowed", INFO, BREAKING),
    "became-not-nullable": ("null is no longer allowed", BREAKING, INFO),
    "any-of-added": ("an anyOf alternative was added", INFO, BREAKING),
    "any-of-removed": ("an anyOf alternative was removed", BREAKING, INFO),
    "one-of-added": ("a oneOf alternative was added", INFO, BREAKING),
    "one-of-removed": ("a oneOf alternative was removed", BREAKING, INFO),
    "all-of-added": ("an allOf member was added", BREAKING, INFO),
    "all-of-removed": ("an allOf member was removed", INFO, WARNING),
}
SIDES = ("request-property", "request-parameter", "request-body", "response-property", "response-body")

for _side in SIDES:
    for _change, (_text, _request_level, _response_level) in SCHEMA_CHANGES.items():
        _level = _request_level if _side.startswith("request") else _response_level
        RULES[f"{_side}-{_change}"] = ChangeRule(f"{_side}-{_change}", _level, _text)
