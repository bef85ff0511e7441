"""Every kind of change the gate reports: one table of rules (id, level, direction, area), which
every output, the level profiles and the configuration files use.

The rules are oasdiff's (its ids, levels and directions, so reports, ignore files and severity
files written for oasdiff mean the same here), followed by this project's own. ``direction`` says
which side of the API the change is judged from: a constraint tightened in a request breaks
clients, the same change in a response does not, and the reverse for loosening.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BREAKING, WARNING, INFO = "breaking", "warning", "info"
LEVELS = (BREAKING, WARNING, INFO)


@dataclass(frozen=True)
class ChangeRule:
    id: str
    level: str
    description: str
    direction: str = "none"  # request, response or none
    area: str = ""
    kind: str = ""
    origin: str = "oasdiff"  # oasdiff, or u4b for this project's own rules


#: id, level, direction, area, kind: oasdiff's rules.
_OASDIFF = """
request-property-deprecated                             info     request  schema      lifecycle
request-property-deprecated-with-sunset                 info     request  schema      lifecycle
request-property-deprecated-sunset-missing              breaking request  schema      lifecycle
request-property-deprecated-sunset-invalid              breaking request  schema      lifecycle
request-property-reactivated                            info     request  schema      lifecycle
request-property-sunset-date-too-small                  breaking request  schema      lifecycle
response-property-deprecated                            info     response schema      lifecycle
response-property-deprecated-with-sunset                info     response schema      lifecycle
response-property-deprecated-sunset-missing             breaking response schema      lifecycle
response-property-deprecated-sunset-invalid             breaking response schema      lifecycle
response-property-reactivated                           info     response schema      lifecycle
response-property-sunset-date-too-small                 breaking response schema      lifecycle
endpoint-added                                          info     none     paths       existence
api-security-component-removed                          info     none     security    existence
api-security-component-added                            info     none     security    existence
api-security-component-oauth-url-changed                info     none     security    type
api-security-component-type-changed                     info     none     security    type
api-security-component-oauth-token-url-changed          info     none     security    type
api-security-component-oauth-scope-added                info     none     security    existence
api-security-component-oauth-scope-removed              info     none     security    existence
api-security-component-oauth-scope-changed              info     none     security    type
api-security-removed                                    info     none     security    existence
api-security-added                                      info     none     security    existence
api-security-scope-added                                info     none     security    existence
api-security-scope-removed                              info     none     security    existence
api-global-security-removed                             info     none     security    existence
api-global-security-added                               info     none     security    existence
api-global-security-scope-added                         info     none     security    existence
api-global-security-scope-removed                       info     none     security    existence
api-version-not-bumped                                  info     none     info        lifecycle
api-version-decreased                                   info     none     info        lifecycle
api-major-version-not-bumped                            info     none     info        lifecycle
api-stability-decreased                                 breaking none     paths       lifecycle
api-stability-increased                                 info     none     paths       lifecycle
request-property-stability-decreased                    breaking request  schema      lifecycle
request-property-stability-increased                    info     request  schema      lifecycle
response-property-stability-decreased                   breaking response schema      lifecycle
response-property-stability-increased                   info     response schema      lifecycle
endpoint-reactivated                                    info     none     paths       lifecycle
api-deprecated-sunset-parse                             breaking none     paths       lifecycle
api-deprecated-sunset-missing                           breaking none     paths       lifecycle
api-invalid-stability-level                             breaking none     paths       lifecycle
api-sunset-date-too-small                               breaking none     paths       lifecycle
endpoint-deprecated                                     info     none     paths       lifecycle
endpoint-deprecated-with-sunset                         info     none     paths       lifecycle
request-parameter-reactivated                           info     request  parameters  lifecycle
request-parameter-deprecated-sunset-missing             breaking request  parameters  lifecycle
request-parameter-sunset-date-too-small                 breaking request  parameters  lifecycle
request-parameter-deprecated                            info     request  parameters  lifecycle
api-path-removed-without-deprecation                    breaking none     paths       existence
api-path-removed-with-deprecation                       info     none     paths       existence
api-path-sunset-parse                                   breaking none     paths       lifecycle
api-path-removed-before-sunset                          breaking none     paths       existence
api-removed-without-deprecation                         breaking none     paths       existence
api-removed-with-deprecation                            info     none     paths       existence
api-removed-before-sunset                               breaking none     paths       existence
sunset-deleted                                          breaking none     paths       lifecycle
api-sunset-date-changed-too-small                       breaking none     paths       lifecycle
request-parameter-sunset-deleted                        breaking request  parameters  lifecycle
request-parameter-sunset-date-changed-too-small         breaking request  parameters  lifecycle
request-body-added-required                             breaking request  requestbody existence
request-body-added-optional                             info     request  requestbody existence
new-required-request-default-parameter-to-existing-path breaking request  parameters  existence
new-optional-request-default-parameter-to-existing-path info     request  parameters  existence
new-required-request-parameter                          breaking request  parameters  existence
new-optional-request-parameter                          info     request  parameters  existence
new-request-path-parameter                              breaking request  parameters  existence
new-required-request-header-property                    breaking request  parameters  existence
request-body-became-enum                                breaking request  schema      values
request-body-media-type-added                           info     request  requestbody existence
request-body-media-type-removed                         breaking request  requestbody existence
request-body-media-type-schema-added                    breaking request  requestbody existence
request-body-media-type-schema-removed                  info     request  requestbody existence
response-body-media-type-schema-added                   info     response responses   existence
response-body-media-type-schema-removed                 warning  response responses   existence
request-body-removed                                    breaking request  schema      existence
request-body-became-optional                            info     request  requestbody requiredness
request-body-became-required                            breaking request  requestbody requiredness
request-body-discriminator-added                        info     request  schema      structure
request-body-discriminator-removed                      info     request  schema      structure
request-body-discriminator-property-name-changed        info     request  schema      structure
request-body-discriminator-mapping-added                info     request  schema      structure
request-body-discriminator-mapping-deleted              info     request  schema      structure
request-body-discriminator-mapping-changed              info     request  schema      structure
request-property-discriminator-added                    info     request  schema      structure
request-property-discriminator-removed                  info     request  schema      structure
request-property-discriminator-property-name-changed    info     request  schema      structure
request-property-discriminator-mapping-added            info     request  schema      structure
request-property-discriminator-mapping-deleted          info     request  schema      structure
request-property-discriminator-mapping-changed          info     request  schema      structure
request-header-property-became-enum                     breaking request  parameters  values
request-header-property-became-required                 breaking request  parameters  requiredness
request-parameter-became-enum                           breaking request  parameters  values
request-parameter-became-nullable                       info     request  parameters  requiredness
request-parameter-became-not-nullable                   breaking request  parameters  requiredness
request-parameter-property-became-nullable              info     request  parameters  requiredness
request-parameter-property-became-not-nullable          breaking request  parameters  requiredness
request-parameter-default-value-changed                 breaking request  parameters  values
request-parameter-default-value-added                   breaking request  parameters  values
request-parameter-default-value-removed                 breaking request  parameters  values
request-parameter-enum-value-added                      info     request  parameters  values
request-parameter-enum-value-removed                    breaking request  parameters  values
request-parameter-property-enum-value-added             info     request  parameters  values
request-parameter-property-enum-value-removed           breaking request  parameters  values
request-parameter-max-items-increased                   info     request  parameters  constraints
request-parameter-max-items-decreased                   breaking request  parameters  constraints
request-parameter-max-length-set                        warning  request  parameters  constraints
request-parameter-max-length-increased                  info     request  parameters  constraints
request-parameter-max-length-decreased                  breaking request  parameters  constraints
request-parameter-max-set                               warning  request  parameters  constraints
request-parameter-exclusive-max-set                     warning  request  parameters  constraints
request-parameter-max-increased                         info     request  parameters  constraints
request-parameter-max-decreased                         breaking request  parameters  constraints
request-parameter-exclusive-max-increased               info     request  parameters  constraints
request-parameter-exclusive-max-decreased               breaking request  parameters  constraints
request-parameter-min-items-set                         warning  request  parameters  constraints
request-parameter-min-items-increased                   breaking request  parameters  constraints
request-parameter-min-items-decreased                   info     request  parameters  constraints
request-parameter-min-length-increased                  breaking request  parameters  constraints
request-parameter-min-length-decreased                  info     request  parameters  constraints
request-parameter-min-set                               warning  request  parameters  constraints
request-parameter-exclusive-min-set                     warning  request  parameters  constraints
request-parameter-min-increased                         breaking request  parameters  constraints
request-parameter-min-decreased                         info     request  parameters  constraints
request-parameter-exclusive-min-increased               breaking request  parameters  constraints
request-parameter-exclusive-min-decreased               info     request  parameters  constraints
request-parameter-pattern-added                         breaking request  parameters  constraints
request-parameter-pattern-removed                       info     request  parameters  constraints
request-parameter-pattern-changed                       warning  request  parameters  constraints
request-parameter-pattern-generalized                   info     request  parameters  constraints
request-parameter-removed                               warning  request  parameters  existence
request-parameter-removed-with-deprecation              info     request  parameters  existence
request-parameter-sunset-parse                          breaking request  parameters  lifecycle
request-parameter-removed-before-sunset                 breaking request  parameters  existence
request-parameter-became-required                       breaking request  parameters  requiredness
request-parameter-became-optional                       info     request  parameters  requiredness
request-parameter-type-changed                          breaking request  parameters  type
request-parameter-type-generalized                      info     request  parameters  type
request-parameter-property-type-changed                 warning  request  parameters  type
request-parameter-property-type-generalized             info     request  parameters  type
request-parameter-property-type-specialized             breaking request  parameters  type
request-parameter-x-extensible-enum-value-removed       breaking request  parameters  values
request-body-all-of-added                               breaking request  schema      structure
request-body-all-of-removed                             warning  request  schema      structure
request-property-all-of-added                           breaking request  schema      structure
request-property-all-of-removed                         warning  request  schema      structure
request-body-all-of-added-annotation-only               info     request  schema      structure
request-body-all-of-removed-annotation-only             info     request  schema      structure
request-property-all-of-added-annotation-only           info     request  schema      structure
request-property-all-of-removed-annotation-only         info     request  schema      structure
request-body-any-of-added                               info     request  schema      structure
request-body-any-of-removed                             breaking request  schema      structure
request-property-any-of-added                           info     request  schema      structure
request-property-any-of-removed                         breaking request  schema      structure
request-property-became-enum                            breaking request  schema      values
request-body-became-not-nullable                        breaking request  schema      requiredness
request-body-became-nullable                            info     request  schema      requiredness
request-property-became-not-nullable                    breaking request  schema      requiredness
request-property-became-nullable                        info     request  schema      requiredness
request-body-default-value-added                        info     request  schema      values
request-body-default-value-removed                      info     request  schema      values
request-body-default-value-changed                      info     request  schema      values
request-property-default-value-added                    info     request  schema      values
request-property-default-value-removed                  info     request  schema      values
request-property-default-value-changed                  info     request  schema      values
request-body-const-added                                breaking request  schema      values
request-body-const-removed                              info     request  schema      values
request-body-const-changed                              breaking request  schema      values
request-property-const-added                            breaking request  schema      values
request-property-const-removed                          info     request  schema      values
request-property-const-changed                          breaking request  schema      values
request-property-enum-value-removed                     breaking request  schema      values
request-read-only-property-enum-value-removed           info     request  schema      values
request-property-enum-value-added                       info     request  schema      values
request-body-max-decreased                              breaking request  schema      constraints
request-body-max-increased                              info     request  schema      constraints
request-property-max-decreased                          breaking request  schema      constraints
request-read-only-property-max-decreased                info     request  schema      constraints
request-property-max-increased                          info     request  schema      constraints
request-body-exclusive-max-decreased                    breaking request  schema      constraints
request-body-exclusive-max-increased                    info     request  schema      constraints
request-property-exclusive-max-decreased                breaking request  schema      constraints
request-read-only-property-exclusive-max-decreased      info     request  schema      constraints
request-property-exclusive-max-increased                info     request  schema      constraints
request-body-max-length-set                             warning  request  schema      constraints
request-property-max-length-set                         warning  request  schema      constraints
request-body-max-length-decreased                       breaking request  schema      constraints
request-body-max-length-increased                       info     request  schema      constraints
request-property-max-length-decreased                   breaking request  schema      constraints
request-read-only-property-max-length-decreased         info     request  schema      constraints
request-property-max-length-increased                   info     request  schema      constraints
request-body-max-set                                    warning  request  schema      constraints
request-property-max-set                                warning  request  schema      constraints
request-body-exclusive-max-set                          warning  request  schema      constraints
request-property-exclusive-max-set                      warning  request  schema      constraints
request-body-min-increased                              breaking request  schema      constraints
request-body-min-decreased                              info     request  schema      constraints
request-property-min-increased                          breaking request  schema      constraints
request-read-only-property-min-increased                info     request  schema      constraints
request-property-min-decreased                          info     request  schema      constraints
request-body-exclusive-min-increased                    breaking request  schema      constraints
request-body-exclusive-min-decreased                    info     request  schema      constraints
request-property-exclusive-min-increased                breaking request  schema      constraints
request-read-only-property-exclusive-min-increased      info     request  schema      constraints
request-property-exclusive-min-decreased                info     request  schema      constraints
request-body-min-items-increased                        breaking request  schema      constraints
request-property-min-items-increased                    breaking request  schema      constraints
request-body-min-items-set                              warning  request  schema      constraints
request-property-min-items-set                          warning  request  schema      constraints
request-body-min-length-increased                       breaking request  schema      constraints
request-body-min-length-decreased                       info     request  schema      constraints
request-property-min-length-increased                   breaking request  schema      constraints
request-property-min-length-decreased                   info     request  schema      constraints
request-body-min-set                                    warning  request  schema      constraints
request-property-min-set                                warning  request  schema      constraints
request-body-exclusive-min-set                          warning  request  schema      constraints
request-property-exclusive-min-set                      warning  request  schema      constraints
request-body-one-of-added                               info     request  schema      structure
request-body-one-of-removed                             breaking request  schema      structure
request-property-one-of-added                           info     request  schema      structure
request-property-one-of-removed                         breaking request  schema      structure
request-property-pattern-removed                        info     request  schema      constraints
request-property-pattern-added                          breaking request  schema      constraints
request-property-pattern-changed                        warning  request  schema      constraints
request-property-pattern-generalized                    info     request  schema      constraints
request-property-became-required                        breaking request  schema      requiredness
request-property-became-required-with-default           breaking request  schema      requiredness
request-property-became-optional                        info     request  schema      requiredness
request-body-type-generalized                           info     request  schema      type
request-body-type-compatible                            info     request  schema      type
request-body-type-changed                               breaking request  schema      type
request-property-type-generalized                       info     request  schema      type
request-property-type-compatible                        info     request  schema      type
request-property-type-changed                           breaking request  schema      type
request-property-removed                                warning  request  schema      existence
new-required-request-property                           breaking request  schema      existence
new-required-request-property-with-default              breaking request  schema      existence
new-optional-request-property                           info     request  schema      existence
request-body-wrapped-in-one-of                          breaking request  schema      structure
request-optional-property-became-not-write-only         info     request  schema      mutability
request-optional-property-became-write-only             info     request  schema      mutability
request-optional-property-became-read-only              info     request  schema      mutability
request-optional-property-became-not-read-only          info     request  schema      mutability
request-required-property-became-not-write-only         info     request  schema      mutability
request-required-property-became-write-only             info     request  schema      mutability
request-required-property-became-read-only              info     request  schema      mutability
request-required-property-became-not-read-only          info     request  schema      mutability
request-property-x-extensible-enum-value-removed        breaking request  schema      values
response-body-discriminator-added                       info     response schema      structure
response-body-discriminator-removed                     info     response schema      structure
response-body-discriminator-property-name-changed       info     response schema      structure
response-body-discriminator-mapping-added               info     response schema      structure
response-body-discriminator-mapping-deleted             info     response schema      structure
response-body-discriminator-mapping-changed             info     response schema      structure
response-property-discriminator-added                   info     response schema      structure
response-property-discriminator-removed                 info     response schema      structure
response-property-discriminator-property-name-changed   info     response schema      structure
response-property-discriminator-mapping-added           info     response schema      structure
response-property-discriminator-mapping-deleted         info     response schema      structure
response-property-discriminator-mapping-changed         info     response schema      structure
response-header-became-optional                         breaking response headers     requiredness
required-response-header-removed                        breaking response headers     existence
optional-response-header-removed                        warning  response headers     existence
response-header-added                                   info     response headers     existence
response-header-type-changed                            breaking response headers     type
response-header-type-generalized                        breaking response headers     type
response-header-type-specialized                        info     response headers     type
response-header-type-compatible                         info     response headers     type
response-header-became-nullable                         breaking response headers     requiredness
response-header-became-not-nullable                     info     response headers     requiredness
response-media-type-removed                             breaking response responses   existence
response-media-type-added                               info     response responses   existence
response-media-type-name-changed                        info     response responses   type
response-media-type-name-generalized                    breaking response responses   type
response-media-type-name-specialized                    info     response responses   type
response-optional-property-removed                      warning  response schema      existence
response-optional-write-only-property-removed           info     response schema      existence
response-optional-property-added                        info     response schema      existence
response-optional-write-only-property-added             info     response schema      existence
response-optional-property-became-not-write-only        info     response schema      mutability
response-optional-property-became-write-only            info     response schema      mutability
response-optional-property-became-read-only             info     response schema      mutability
response-optional-property-became-not-read-only         info     response schema      mutability
response-property-pattern-added                         info     response schema      constraints
response-property-pattern-changed                       info     response schema      constraints
response-property-pattern-removed                       info     response schema      constraints
response-body-all-of-added                              info     response schema      structure
response-body-all-of-removed                            info     response schema      structure
response-property-all-of-added                          info     response schema      structure
response-property-all-of-removed                        info     response schema      structure
response-body-all-of-added-annotation-only              info     response schema      structure
response-body-all-of-removed-annotation-only            info     response schema      structure
response-property-all-of-added-annotation-only          info     response schema      structure
response-property-all-of-removed-annotation-only        info     response schema      structure
response-body-any-of-added                              info     response schema      structure
response-body-any-of-removed                            info     response schema      structure
response-property-any-of-added                          info     response schema      structure
response-property-any-of-removed                        info     response schema      structure
response-property-became-nullable                       breaking response schema      requiredness
response-body-became-nullable                           breaking response schema      requiredness
response-property-became-not-nullable                   info     response schema      requiredness
response-body-became-not-nullable                       info     response schema      requiredness
response-property-became-optional                       breaking response schema      requiredness
response-write-only-property-became-optional            info     response schema      requiredness
response-property-became-required                       info     response schema      requiredness
response-write-only-property-became-required            info     response schema      requiredness
response-body-default-value-added                       info     response schema      values
response-body-default-value-removed                     info     response schema      values
response-body-default-value-changed                     info     response schema      values
response-property-default-value-added                   info     response schema      values
response-property-default-value-removed                 info     response schema      values
response-property-default-value-changed                 info     response schema      values
response-body-const-added                               info     response schema      values
response-body-const-removed                             breaking response schema      values
response-body-const-changed                             breaking response schema      values
response-property-const-added                           info     response schema      values
response-property-const-removed                         breaking response schema      values
response-property-const-changed                         breaking response schema      values
response-property-enum-value-added                      warning  response schema      values
response-write-only-property-enum-value-added           info     response schema      values
response-body-max-increased                             breaking response schema      constraints
response-property-max-increased                         breaking response schema      constraints
response-body-exclusive-max-increased                   breaking response schema      constraints
response-property-exclusive-max-increased               breaking response schema      constraints
response-body-max-length-increased                      breaking response schema      constraints
response-property-max-length-increased                  breaking response schema      constraints
response-body-max-length-unset                          breaking response schema      constraints
response-property-max-length-unset                      breaking response schema      constraints
response-body-min-decreased                             breaking response schema      constraints
response-property-min-decreased                         breaking response schema      constraints
response-body-exclusive-min-decreased                   breaking response schema      constraints
response-property-exclusive-min-decreased               breaking response schema      constraints
response-body-min-items-decreased                       breaking response schema      constraints
response-property-min-items-decreased                   breaking response schema      constraints
response-body-min-items-unset                           breaking response schema      constraints
response-property-min-items-unset                       breaking response schema      constraints
response-body-min-length-decreased                      breaking response schema      constraints
response-property-min-length-decreased                  breaking response schema      constraints
response-body-one-of-added                              breaking response schema      structure
response-body-one-of-removed                            info     response schema      structure
response-property-one-of-added                          breaking response schema      structure
response-property-one-of-removed                        info     response schema      structure
response-body-type-changed                              breaking response schema      type
response-body-type-generalized                          breaking response schema      type
response-body-type-specialized                          info     response schema      type
response-body-type-compatible                           info     response schema      type
response-property-type-changed                          breaking response schema      type
response-property-type-generalized                      breaking response schema      type
response-property-type-specialized                      info     response schema      type
response-property-type-compatible                       info     response schema      type
response-required-property-removed                      breaking response schema      existence
response-required-write-only-property-removed           info     response schema      existence
response-required-property-added                        info     response schema      existence
response-required-write-only-property-added             info     response schema      existence
response-body-wrapped-in-one-of                         breaking response schema      structure
response-required-property-became-not-write-only        warning  response schema      mutability
response-required-property-became-write-only            info     response schema      mutability
response-required-property-became-read-only             info     response schema      mutability
response-required-property-became-not-read-only         info     response schema      mutability
response-success-status-removed                         breaking response responses   existence
response-success-status-added                           info     response responses   existence
response-non-success-status-removed                     info     response responses   existence
response-non-success-status-added                       info     response responses   existence
api-operation-id-removed                                info     none     paths       existence
api-operation-id-added                                  info     none     paths       existence
api-tag-removed                                         info     none     tags        existence
api-tag-added                                           info     none     tags        existence
webhook-added                                           info     none     components  existence
webhook-removed                                         breaking none     components  existence
api-schema-removed                                      info     none     components  existence
response-property-enum-value-removed                    info     response schema      values
response-mediatype-enum-value-removed                   info     response schema      values
request-body-enum-value-removed                         breaking request  schema      values
request-body-list-of-types-widened                      info     request  schema      type
request-body-list-of-types-narrowed                     breaking request  schema      type
request-property-list-of-types-widened                  info     request  schema      type
request-property-list-of-types-narrowed                 breaking request  schema      type
response-body-list-of-types-widened                     breaking response schema      type
response-body-list-of-types-narrowed                    info     response schema      type
response-property-list-of-types-widened                 breaking response schema      type
response-property-list-of-types-narrowed                info     response schema      type
request-parameter-list-of-types-widened                 info     request  parameters  type
request-parameter-list-of-types-narrowed                breaking request  parameters  type
request-parameter-property-list-of-types-widened        info     request  parameters  type
request-parameter-property-list-of-types-narrowed       breaking request  parameters  type
request-body-prefix-items-added                         info     request  schema      structure
request-body-prefix-items-removed                       breaking request  schema      structure
request-property-prefix-items-added                     info     request  schema      structure
request-property-prefix-items-removed                   breaking request  schema      structure
response-body-prefix-items-added                        breaking response schema      structure
response-body-prefix-items-removed                      info     response schema      structure
response-property-prefix-items-added                    breaking response schema      structure
response-property-prefix-items-removed                  info     response schema      structure
request-body-if-added                                   breaking request  schema      structure
request-body-if-removed                                 info     request  schema      structure
request-body-then-added                                 breaking request  schema      structure
request-body-then-removed                               info     request  schema      structure
request-body-else-added                                 breaking request  schema      structure
request-body-else-removed                               info     request  schema      structure
request-property-if-added                               breaking request  schema      structure
request-property-if-removed                             info     request  schema      structure
request-property-then-added                             breaking request  schema      structure
request-property-then-removed                           info     request  schema      structure
request-property-else-added                             breaking request  schema      structure
request-property-else-removed                           info     request  schema      structure
response-body-if-added                                  info     response schema      structure
response-body-if-removed                                breaking response schema      structure
response-body-then-added                                info     response schema      structure
response-body-then-removed                              breaking response schema      structure
response-body-else-added                                info     response schema      structure
response-body-else-removed                              breaking response schema      structure
response-property-if-added                              info     response schema      structure
response-property-if-removed                            breaking response schema      structure
response-property-then-added                            info     response schema      structure
response-property-then-removed                          breaking response schema      structure
response-property-else-added                            info     response schema      structure
response-property-else-removed                          breaking response schema      structure
request-body-contains-added                             breaking request  schema      structure
request-body-contains-removed                           info     request  schema      structure
request-body-min-contains-increased                     breaking request  schema      constraints
request-body-min-contains-decreased                     info     request  schema      constraints
request-body-max-contains-increased                     info     request  schema      constraints
request-body-max-contains-decreased                     breaking request  schema      constraints
request-property-contains-added                         breaking request  schema      structure
request-property-contains-removed                       info     request  schema      structure
request-property-min-contains-increased                 breaking request  schema      constraints
request-property-min-contains-decreased                 info     request  schema      constraints
request-property-max-contains-increased                 info     request  schema      constraints
request-property-max-contains-decreased                 breaking request  schema      constraints
response-body-contains-added                            info     response schema      structure
response-body-contains-removed                          breaking response schema      structure
response-body-min-contains-increased                    info     response schema      constraints
response-body-min-contains-decreased                    breaking response schema      constraints
response-body-max-contains-increased                    breaking response schema      constraints
response-body-max-contains-decreased                    info     response schema      constraints
response-property-contains-added                        info     response schema      structure
response-property-contains-removed                      breaking response schema      structure
response-property-min-contains-increased                info     response schema      constraints
response-property-min-contains-decreased                breaking response schema      constraints
response-property-max-contains-increased                breaking response schema      constraints
response-property-max-contains-decreased                info     response schema      constraints
request-body-dependent-required-added                   breaking request  schema      structure
request-body-dependent-required-removed                 info     request  schema      structure
request-body-dependent-required-changed                 breaking request  schema      structure
request-property-dependent-required-added               breaking request  schema      structure
request-property-dependent-required-removed             info     request  schema      structure
request-property-dependent-required-changed             breaking request  schema      structure
response-body-dependent-required-added                  info     response schema      structure
response-body-dependent-required-removed                breaking response schema      structure
response-body-dependent-required-changed                breaking response schema      structure
response-property-dependent-required-added              info     response schema      structure
response-property-dependent-required-removed            breaking response schema      structure
response-property-dependent-required-changed            breaking response schema      structure
request-body-dependent-schema-added                     breaking request  schema      structure
request-body-dependent-schema-removed                   info     request  schema      structure
request-property-dependent-schema-added                 breaking request  schema      structure
request-property-dependent-schema-removed               info     request  schema      structure
response-body-dependent-schema-added                    info     response schema      structure
response-body-dependent-schema-removed                  breaking response schema      structure
response-property-dependent-schema-added                info     response schema      structure
response-property-dependent-schema-removed              breaking response schema      structure
request-body-pattern-property-added                     breaking request  schema      constraints
request-body-pattern-property-removed                   info     request  schema      constraints
request-property-pattern-property-added                 breaking request  schema      constraints
request-property-pattern-property-removed               info     request  schema      constraints
response-body-pattern-property-added                    info     response schema      constraints
response-body-pattern-property-removed                  breaking response schema      constraints
response-property-pattern-property-added                info     response schema      constraints
response-property-pattern-property-removed              breaking response schema      constraints
request-body-property-names-added                       breaking request  schema      structure
request-body-property-names-removed                     info     request  schema      structure
request-property-property-names-added                   breaking request  schema      structure
request-property-property-names-removed                 info     request  schema      structure
response-body-property-names-added                      info     response schema      structure
response-body-property-names-removed                    breaking response schema      structure
response-property-property-names-added                  info     response schema      structure
response-property-property-names-removed                breaking response schema      structure
request-body-unevaluated-items-added                    breaking request  schema      structure
request-body-unevaluated-items-removed                  info     request  schema      structure
request-body-unevaluated-properties-added               breaking request  schema      structure
request-body-unevaluated-properties-removed             info     request  schema      structure
request-property-unevaluated-items-added                breaking request  schema      structure
request-property-unevaluated-items-removed              info     request  schema      structure
request-property-unevaluated-properties-added           breaking request  schema      structure
request-property-unevaluated-properties-removed         info     request  schema      structure
response-body-unevaluated-items-added                   info     response schema      structure
response-body-unevaluated-items-removed                 breaking response schema      structure
response-body-unevaluated-properties-added              info     response schema      structure
response-body-unevaluated-properties-removed            breaking response schema      structure
response-property-unevaluated-items-added               info     response schema      structure
response-property-unevaluated-items-removed             breaking response schema      structure
response-property-unevaluated-properties-added          info     response schema      structure
response-property-unevaluated-properties-removed        breaking response schema      structure
request-body-content-schema-added                       breaking request  schema      existence
request-body-content-schema-removed                     info     request  schema      existence
request-body-content-media-type-changed                 breaking request  requestbody type
request-body-content-encoding-changed                   breaking request  requestbody type
request-property-content-schema-added                   breaking request  schema      existence
request-property-content-schema-removed                 info     request  schema      existence
request-property-content-media-type-changed             breaking request  schema      type
request-property-content-encoding-changed               breaking request  schema      type
response-body-content-schema-added                      info     response schema      existence
response-body-content-schema-removed                    breaking response schema      existence
response-body-content-media-type-changed                breaking response responses   type
response-body-content-encoding-changed                  breaking response responses   type
response-property-content-schema-added                  info     response schema      existence
response-property-content-schema-removed                breaking response schema      existence
response-property-content-media-type-changed            breaking response schema      type
response-property-content-encoding-changed              breaking response schema      type
"""

_WORDS = {"api": "API", "min": "minimum", "max": "maximum", "x": "x-", "id": "id", "url": "URL", "oauth": "OAuth"}


def _describe(rule_id: str) -> str:
    """A rule's description from its id's words: ``request-property-max-length-decreased`` is
    "request property: maximum length decreased"."""
    words = [_WORDS.get(word, word) for word in rule_id.split("-")]
    for split, word in enumerate(words):
        if word in {
            "added",
            "removed",
            "deleted",
            "changed",
            "increased",
            "decreased",
            "set",
            "became",
            "generalized",
            "specialized",
            "narrowed",
            "widened",
            "deprecated",
            "reactivated",
            "updated",
            "renamed",
            "wrapped",
            "compatible",
            "unset",
        }:
            if split > 0:
                return " ".join(words[:split]) + ": " + " ".join(words[split:])
            break
    return " ".join(words)


def _rows(table: str) -> dict[str, ChangeRule]:
    rules = {}
    for line in table.strip().splitlines():
        rule_id, level, direction, area, kind = line.split()
        rules[rule_id] = ChangeRule(rule_id, level, _describe(rule_id), direction, area, kind)
    return rules


RULES: dict[str, ChangeRule] = _rows(_OASDIFF)


def _own(rule_id: str, level: str, direction: str, description: str) -> None:
    RULES[rule_id] = ChangeRule(rule_id, level, description, direction, "u4b", "", "u4b")


# This project's own rules: changes oasdiff has no rule for.
_own(
    "request-parameter-style-changed",
    BREAKING,
    "request",
    "a parameter's serialization style changed (its default for the location counts): clients encode it differently",
)
_own(
    "request-parameter-explode-changed",
    BREAKING,
    "request",
    "whether an array or object parameter is exploded changed (defaults counted): clients encode it differently",
)
_own(
    "request-parameter-allow-empty-value-removed",
    BREAKING,
    "request",
    "a query parameter no longer allows an empty value: clients that send one are refused",
)
_own("request-parameter-allow-empty-value-added", INFO, "request", "a query parameter now allows an empty value")
_own(
    "api-security-component-scheme-changed",
    WARNING,
    "none",
    "a security scheme's location, parameter name, HTTP scheme, bearer format or OpenID Connect URL changed: "
    "clients present credentials differently",
)
_own(
    "request-path-parameter-renamed",
    INFO,
    "request",
    "a path parameter was renamed: the URL is the same, generated clients rename an argument",
)
_own("x-u4b-rule-added", BREAKING, "request", "a documented rule that refuses requests was added")
_own(
    "x-u4b-rule-added-lenient",
    INFO,
    "request",
    "a rule was added that refuses nothing for certain (lenient, or not about requests)",
)
_own("x-u4b-rule-removed", INFO, "request", "a documented rule was removed")
_own("x-u4b-rule-tightened", BREAKING, "request", "a documented rule now refuses more requests")
_own("x-u4b-rule-loosened", INFO, "request", "a documented rule now refuses fewer requests")
_own("x-u4b-rule-outcome-changed", WARNING, "request", "breaking a documented rule now gets another status or code")
_own("x-u4b-rule-changed", WARNING, "request", "a documented rule changed in a way the gate cannot rank")

#: oasdiff's rules about its own versioning policy (API version bumps): not reported by this gate.
VERSIONING = re.compile(r"^api-(version-.*|major-version-not-bumped)$")

#: Rules of the table no check reports, each with the reason.
_VERSIONING = "oasdiff's versioning policy (how info.version moves) is not a change to the API's contract"
NOT_IMPLEMENTED: dict[str, str] = {
    "api-version-not-bumped": _VERSIONING,
    "api-version-decreased": _VERSIONING,
    "api-major-version-not-bumped": _VERSIONING,
}
