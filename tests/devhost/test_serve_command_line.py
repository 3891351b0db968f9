"""`python -m devhost serve`'s flags become app settings by name, and the name is the app's."""

from __future__ import annotations

from app_settings import FAKE_BILLING_LATENCY_MS
from devhost.__main__ import BILLING_LATENCY_SETTING, _setting_overrides, parse_args


def test_the_latency_flag_names_the_apps_setting():
    """devhost imports no app, so it spells the name once; it must stay the app's name."""
    assert BILLING_LATENCY_SETTING == FAKE_BILLING_LATENCY_MS


def test_the_latency_flag_sets_whole_milliseconds():
    args = parse_args(["serve", "--billing-latency-ms", "13.7"])
    assert _setting_overrides(args) == {FAKE_BILLING_LATENCY_MS: "13"}


def test_without_flags_no_setting_is_overridden():
    assert _setting_overrides(parse_args(["serve"])) == {}
