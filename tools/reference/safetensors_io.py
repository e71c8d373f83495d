#!/usr/bin/python3
"""Reads and writes the safetensors format with the standard library and PyTorch only.

Debian ships no ``safetensors`` package, so the format is implemented here by hand. A file is:

* 8 bytes: the header length N, unsigned little-endian;
* N bytes: a UTF-8 JSON object mapping each tensor name to
  ``{"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}`` (offsets relative to the end of the header),
  plus an optional ``"__metadata__"`` object of string to string; the header is padded with spaces so that the
  data starts at a multiple of 8;
* the tensor bytes, little-endian, row-major, packed back to back with no gaps.

Tensors are written in name order, both in the header and in the data, so the same tensors always give the same bytes.
"""

import json
import os
import struct
import sys

import torch

DTYPES = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}
DTYPE_NAMES = {dtype: name for name, dtype in DTYPES.items()}
METADATA_KEY = "__metadata__"

if sys.byteorder != "little":
    raise RuntimeError("safetensors_io assumes a little-endian machine (the format stores little-endian data)")


def save(path, tensors, metadata=None):
    """Writes ``tensors`` (name -> tensor) and ``metadata`` (str -> str) to ``path``, atomically."""
    header = {}
    if metadata:
        for key, value in metadata.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise TypeError(f"metadata must map str to str, got {key!r}: {type(value).__name__}")
        header[METADATA_KEY] = dict(metadata)
    blobs = []
    offset = 0
    for name in sorted(tensors):
        tensor = tensors[name]
        if name == METADATA_KEY:
            raise ValueError(f"'{METADATA_KEY}' is reserved and cannot name a tensor")
        if tensor.dtype not in DTYPE_NAMES:
            raise TypeError(f"tensor '{name}' has dtype {tensor.dtype}, which safetensors cannot hold")
        blob = _tensor_bytes(tensor)
        header[name] = {
            "dtype": DTYPE_NAMES[tensor.dtype],
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + len(blob)],
        }
        blobs.append(blob)
        offset += len(blob)
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)

    # A sibling temporary file (created under the umask, unlike mkstemp's 0600) renamed over the target.
    temporary = f"{path}.tmp-{os.getpid()}"
    try:
        with open(temporary, "xb") as out:
            out.write(struct.pack("<Q", len(header_bytes)))
            out.write(header_bytes)
            for blob in blobs:
                out.write(blob)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def load(path):
    """Returns ``(tensors, metadata)`` read from ``path``; raises ``ValueError`` naming the file on a malformed one."""
    with open(path, "rb") as source:
        content = source.read()
    if len(content) < 8:
        raise ValueError(f"{path}: too short for a safetensors file ({len(content)} bytes)")
    (header_length,) = struct.unpack("<Q", content[:8])
    data_start = 8 + header_length
    if data_start > len(content):
        raise ValueError(f"{path}: header length {header_length} runs past the end of the file")
    try:
        header = json.loads(content[8:data_start].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: header is not UTF-8 JSON: {error}") from None
    metadata = header.pop(METADATA_KEY, {})
    data = bytearray(content[data_start:])

    tensors = {}
    expected_begin = 0
    for name, entry in sorted(header.items(), key=lambda item: item[1]["data_offsets"][0]):
        dtype = DTYPES.get(entry.get("dtype"))
        if dtype is None:
            raise ValueError(f"{path}: tensor '{name}' has unknown dtype {entry.get('dtype')!r}")
        shape = entry["shape"]
        begin, end = entry["data_offsets"]
        count = 1
        for size in shape:
            count *= size
        if begin != expected_begin or end - begin != count * _itemsize(dtype) or end > len(data):
            raise ValueError(
                f"{path}: tensor '{name}' has data_offsets {[begin, end]}, expected [{expected_begin}, "
                f"{expected_begin + count * _itemsize(dtype)}] within {len(data)} data bytes")
        expected_begin = end
        flat = torch.frombuffer(data, dtype=dtype, count=count, offset=begin) if count else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(shape).clone()
    if expected_begin != len(data):
        raise ValueError(f"{path}: {len(data) - expected_begin} trailing data bytes belong to no tensor")
    return tensors, metadata


def _itemsize(dtype):
    return torch.empty((), dtype=dtype).element_size()


def _tensor_bytes(tensor):
    flat = tensor.detach().to("cpu").contiguous().reshape(-1)
    if flat.dtype == torch.bfloat16:
        # NumPy has no bfloat16; its 16-bit pattern is the same as the int16 view's.
        flat = flat.view(torch.int16)
    return flat.numpy().tobytes()
