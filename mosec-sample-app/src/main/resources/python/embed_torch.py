"""all-MiniLM-L6-v2 in PyTorch: the sample's inference stage as a Python stage.

The weights are the initializers of the same ONNX file the Java stage runs (read with Debian's
``python3-onnx``); the encoder is BERT's, written out here, then mean pooling by the attention
mask and L2 normalisation, as the Java stage and sentence-transformers do. Texts come tokenised by
the Java stage before it (msgpack ``{"ids": [[int, ...], ...], "shape": "FLOATS" | "BASE64" |
"TEI"}``); the answer is the one the Java stage gives: OpenAI's response, floats or Base64 as the
client asked, or TEI's array of vectors.
"""

from __future__ import annotations

import base64
import json
import math
import os
from typing import Any, Dict, List

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from mosec import Worker, get_logger

NAME = "all-minilm-l6-v2"
LAYERS = 6
HEADS = 12
HIDDEN = 384
EPS = 1e-12
# Most of a run's tensor that may be padding before the run is cut, as in the Java stage.
MAX_PADDING = 0.1

logger = get_logger()


def read_weights(path: str) -> Dict[str, torch.Tensor]:
    """The model's weights by their BERT names.

    The export left the projection matrices unnamed (``onnx::MatMul_787``): each is named here
    after the bias that the graph adds to its product, ``...query.bias`` naming ``...query.weight``.
    """
    graph = onnx.load(path).graph
    arrays = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    weights = {name: torch.from_numpy(np.array(array)) for name, array in arrays.items()
               if not name.startswith("onnx::")}
    products = {node.output[0]: node.input[1] for node in graph.node
                if node.op_type == "MatMul" and node.input[1] in arrays}
    for node in graph.node:
        if node.op_type != "Add":
            continue
        matrix = next((products[name] for name in node.input if name in products), None)
        bias = next((name for name in node.input if name.endswith(".bias") and name in arrays), None)
        if matrix is not None and bias is not None:
            # ONNX multiplies x @ W: W is [in, out], the transpose of a torch Linear's weight.
            weights[bias[: -len("bias")] + "weight"] = torch.from_numpy(np.array(arrays[matrix]))
    expected = [f"encoder.layer.{layer}.{part}.weight" for layer in range(LAYERS)
                for part in ("attention.self.query", "attention.self.key", "attention.self.value",
                             "attention.output.dense", "intermediate.dense", "output.dense")]
    missing = [name for name in expected if name not in weights]
    if missing:
        raise ValueError(f"{path} is not the all-MiniLM-L6-v2 export this stage reads: no {missing[0]}")
    return weights


class Encoder(torch.nn.Module):
    """BERT's encoder over the weights read from the ONNX file."""

    def __init__(self, weights: Dict[str, torch.Tensor]):
        super().__init__()
        self.w = weights

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return torch.nn.functional.layer_norm(x, (HIDDEN,), self.w[name + ".weight"], self.w[name + ".bias"], EPS)

    def _dense(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return x @ self.w[name + ".weight"] + self.w[name + ".bias"]

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:  # pylint: disable=arguments-differ
        batch, length = ids.shape
        x = (self.w["embeddings.word_embeddings.weight"][ids]
             + self.w["embeddings.position_embeddings.weight"][:length]
             + self.w["embeddings.token_type_embeddings.weight"][0])
        x = self._norm(x, "embeddings.LayerNorm")
        # Padding gets no attention: a large negative score before the softmax.
        blocked = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        head = HIDDEN // HEADS
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def split(t: torch.Tensor) -> torch.Tensor:
                return t.view(batch, length, HEADS, head).transpose(1, 2)

            q = split(self._dense(x, p + "attention.self.query"))
            k = split(self._dense(x, p + "attention.self.key"))
            v = split(self._dense(x, p + "attention.self.value"))
            scores = q @ k.transpose(-1, -2) / math.sqrt(head) + blocked
            context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, HIDDEN)
            x = self._norm(self._dense(context, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            inner = torch.nn.functional.gelu(self._dense(x, p + "intermediate.dense"))
            x = self._norm(self._dense(inner, p + "output.dense") + x, p + "output.LayerNorm")
        return x


def _base64(vector: List[float]) -> str:
    """OpenAI's ``base64``: the float32 values, little-endian, in standard Base64."""
    return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")


def _warn_of_a_slow_blas() -> None:
    """Debian's torch multiplies matrices with whatever ``libblas.so.3`` is installed: the reference
    BLAS unless OpenBLAS is, which is about seven times faster here."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            libraries = maps.read()
    except OSError:
        return
    if "/blas/libblas.so" in libraries and "openblas" not in libraries:
        logger.warning("torch runs on the reference BLAS, several times slower than OpenBLAS: "
                       "apt-get install libopenblas0-pthread")


def runs(lengths: List[int], chunk: int) -> List[List[int]]:
    """Indices grouped into runs of similar length (sorted, cut where padding would pass 10% or
    the run ``chunk`` sentences): on a CPU, padding is most of what batching wastes."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    groups: List[List[int]] = []
    for i in order:
        if groups:
            group = groups[-1]
            tokens = sum(lengths[j] for j in group)
            if len(group) < chunk and lengths[i] * (len(group) + 1) <= (tokens + lengths[i]) * (1 + MAX_PADDING):
                group.append(i)
                continue
        groups.append([i])
    return groups


class Embed(Worker):
    """The sample's inference stage in PyTorch (``--spring.profiles.active=torch``)."""

    def __init__(self):
        super().__init__()
        torch.set_num_threads(int(os.environ.get("EMBEDDING_TORCH_THREADS", "1")))
        self.chunk = int(os.environ.get("EMBEDDING_CHUNK", "32"))
        path = os.environ.get("EMBEDDING_ONNX")
        if not path:
            raise RuntimeError("EMBEDDING_ONNX is not set: the path of all-minilm-l6-v2.onnx")
        self.encoder = Encoder(read_weights(path)).eval()
        _warn_of_a_slow_blas()
        # Warm up the shapes a batch will have, as the Java stage does.
        self.multi_examples = [[{"ids": [[101] + [1012] * (n - 2) + [102]] * 2}] for n in (8, 32, 128)]

    @torch.inference_mode()
    def embed(self, sequences: List[List[int]]) -> List[List[float]]:
        """One L2-normalised, mean-pooled vector per token sequence, in their order."""
        vectors: List[List[float]] = [[] for _ in sequences]
        for group in runs([len(s) for s in sequences], self.chunk):
            length = max(len(sequences[i]) for i in group)
            ids = torch.zeros((len(group), length), dtype=torch.long)
            mask = torch.zeros((len(group), length), dtype=torch.long)
            for row, i in enumerate(group):
                ids[row, : len(sequences[i])] = torch.tensor(sequences[i])
                mask[row, : len(sequences[i])] = 1
            hidden = self.encoder(ids, mask)
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1)
            pooled = torch.nn.functional.normalize(pooled, p=2.0, dim=1)
            for row, i in enumerate(group):
                vectors[i] = pooled[row].tolist()
        return vectors

    def serialize(self, data: dict) -> bytes:
        # Compact, as the Java stage answers (Mosec's default indents): 384 floats a text.
        return json.dumps(data, separators=(",", ":")).encode()

    def forward(self, data: List[dict]) -> List[Any]:
        sequences = [ids for request in data for ids in request["ids"]]
        vectors = self.embed(sequences)
        responses: List[Any] = []
        start = 0
        for request in data:
            count = len(request["ids"])
            mine = vectors[start:start + count]
            start += count
            shape = request.get("shape", "FLOATS")
            if shape == "TEI":
                responses.append(mine)  # TEI's /embed answers the vectors alone
                continue
            tokens = sum(len(ids) for ids in request["ids"])
            encode = _base64 if shape == "BASE64" else (lambda vector: vector)
            responses.append({
                "object": "list",
                "data": [{"object": "embedding", "index": i, "embedding": encode(vector)}
                         for i, vector in enumerate(mine)],
                "model": NAME,
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            })
        return responses
