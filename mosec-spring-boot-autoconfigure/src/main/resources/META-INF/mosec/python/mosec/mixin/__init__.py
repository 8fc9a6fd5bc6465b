"""Mixins that change how a stage encodes its data, with Mosec's names."""

from mosec.mixin.msgpack_worker import MsgpackMixin
from mosec.mixin.optional import NumBinIPCMixin, TypedMsgPackMixin

__all__ = ["MsgpackMixin", "TypedMsgPackMixin", "NumBinIPCMixin"]
