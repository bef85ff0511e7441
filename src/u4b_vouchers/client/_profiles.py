"""Token providers for a profile's identities."""

from __future__ import annotations

from ..profile import Profile
from ._auth import ClientCredentials, StaticToken, TokenProvider


def provider_for(profile: Profile, identity: str) -> TokenProvider:
    """The token provider of one of the profile's identities; KeyError when it is unavailable."""
    found = profile.identity(identity)
    if found is None:
        raise KeyError(f"identity {identity!r} is not available in profile {profile.name!r}")
    if found.access_token:
        return StaticToken(found.access_token)
    assert found.client_id is not None
    assert found.client_secret is not None
    return ClientCredentials(
        client_id=found.client_id,
        client_secret=found.client_secret,
        scopes=found.scope,
        token_url=profile.token_url,
    )
