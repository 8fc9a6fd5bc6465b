"""Mosec's mixins that need packages Debian does not have: they fail with a message that says so."""


def _missing(mixin: str, package: str):
    class Missing:
        def __init__(self, *args, **kwargs):
            raise ImportError(f"{mixin} needs the Python package '{package}', which this interpreter "
                              f"lacks: pip install {package}, or use MsgpackMixin")

    Missing.__name__ = mixin
    return Missing


try:  # pragma: no cover - only where msgspec is installed
    import msgspec  # noqa: F401  pylint: disable=unused-import
except ModuleNotFoundError:
    TypedMsgPackMixin = _missing("TypedMsgPackMixin", "msgspec")
else:  # pragma: no cover
    TypedMsgPackMixin = _missing("TypedMsgPackMixin", "msgspec support in this runtime")

try:  # pragma: no cover - only where numbin is installed
    import numbin  # noqa: F401  pylint: disable=unused-import
except ModuleNotFoundError:
    NumBinIPCMixin = _missing("NumBinIPCMixin", "numbin")
else:  # pragma: no cover
    NumBinIPCMixin = _missing("NumBinIPCMixin", "numbin support in this runtime")
