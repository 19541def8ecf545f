"""The installed client and the account it logs in with."""

from __future__ import annotations

import pytest
from huggingface_hub import __version__ as HF_HUB_VERSION
from huggingface_hub.errors import HfHubHTTPError

from common import HERE


def test_versions():
    # The installed client is the one pinned in requirements.txt (setup.sh installs it).
    pins = dict(
        line.split("==", 1)
        for line in (HERE.parent / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert HF_HUB_VERSION == pins["huggingface_hub"], (HF_HUB_VERSION, pins["huggingface_hub"])
    from huggingface_hub import constants

    assert constants.HF_HUB_DISABLE_XET, "HF_HUB_DISABLE_XET=1 must be in effect"
    assert constants.ENDPOINT.startswith("http://127.0.0.1:")


def test_whoami(api, hub):
    me = api.whoami()
    assert me["name"] == hub.user
    assert me["type"] == "user"
    role = me.get("auth", {}).get("accessToken", {}).get("role")
    assert role in ("write", "admin"), me.get("auth")
    with pytest.raises(HfHubHTTPError) as ei:
        api.whoami(token="hf_not_a_token")
    assert ei.value.response.status_code == 401
