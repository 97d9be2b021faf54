"""What kind of model a path holds, told from its content, without TensorFlow.

    from tfshift.models import formats
    found = formats.detect("model.pb")      # -> ModelFile, or raises ModelFormatError
    found.format, found.path, found.writer  # "frozen_graph", what to load, "TensorFlow 1.15.5"

Formats: frozen GraphDef (binary .pb or text .pbtxt), TF1 checkpoint (prefix, .meta, .index,
.data-*, a folder with a `checkpoint` file), SavedModel folder (TF1 or TF2), Keras HDF5 and the
Keras .keras zip. Names only decide the order of the checks; the bytes decide the answer, so a
frozen graph called `model.bin` is found and an HDF5 file called `model.keras` is called one.
Damaged files (truncated, missing shards, bad zip) raise ModelFormatError with one line.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfshift import reading
from tfshift.errors import ModelLoadError, TfshiftError
from tfshift.models import protowire
from tfshift.models.protowire import LEN, VARINT, WireError
from tfshift.runtime.worker import modelguard

FROZEN_GRAPH = "frozen_graph"
CHECKPOINT = "checkpoint"
SAVED_MODEL = "saved_model"
KERAS_H5 = "keras_h5"
KERAS = "keras"
FORMATS = (FROZEN_GRAPH, CHECKPOINT, SAVED_MODEL, KERAS_H5, KERAS)
GRAPH_FORMATS = (FROZEN_GRAPH, CHECKPOINT)  # inputs and outputs are graph tensors, by name
DESCRIPTIONS = {
    FROZEN_GRAPH: "frozen GraphDef",
    CHECKPOINT: "TF1 checkpoint",
    SAVED_MODEL: "SavedModel",
    KERAS_H5: "Keras HDF5 model",
    KERAS: "Keras .keras model",
}

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
TABLE_MAGIC = (0xDB4775248B80FB57).to_bytes(8, "little")  # the end of every checkpoint .index
_SHARD = re.compile(r"\.data-(\d{5})-of-(\d{5})$")
_OP_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_>]*$")
_STATE_PATH = re.compile(r'^model_checkpoint_path:\s*"((?:[^"\\]|\\.)*)"', re.MULTILINE)
_V1_SHARD = re.compile(r"-\d{5}-of-\d{5}$")  # TF 0.x checkpoints: PREFIX-00000-of-00001


class ModelFormatError(ModelLoadError):
    """The path is not a model tfshift can read, or its files are damaged or incomplete."""


@dataclass(frozen=True)
class MetaGraphInfo:
    """One MetaGraphDef of a SavedModel (or a checkpoint's .meta)."""

    tags: tuple[str, ...]
    signatures: tuple[str, ...]
    tensorflow_version: str | None
    object_graph: bool  # written by TF2's tf.saved_model.save


@dataclass(frozen=True)
class ModelFile:
    """A detected model: its format, what to load, and what the files say without loading."""

    format: str
    path: Path  # what loaders take: the file, the SavedModel folder, or the checkpoint prefix
    files: tuple[Path, ...]  # the files that make up the model
    writer: str | None = None  # who wrote it, where recorded: "TensorFlow 1.15.5", "Keras 3.15.1"
    text: bool = False  # a GraphDef or SavedModel in protobuf text format
    meta_graph: Path | None = None  # checkpoint: its .meta file (None: TF2 object-based)
    # checkpoint: the prefix as TensorFlow takes it; "DIR/" when the files are DIR/.index, ...
    prefix: str | None = None
    meta_graphs: tuple[MetaGraphInfo, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self.format]

    @property
    def flavour(self) -> str | None:
        """SavedModels and checkpoints: "tf2" if written by TF2's object-based savers, else "tf1"."""
        if self.format == SAVED_MODEL:
            return "tf2" if any(m.object_graph for m in self.meta_graphs) else "tf1"
        if self.format == CHECKPOINT:
            return "tf1" if self.meta_graph else "tf2"
        return None

    def load_path(self) -> str:
        """The absolute path a loader takes: the file, the folder, or the checkpoint prefix."""
        if self.prefix is not None:
            return absolute_prefix(self.prefix)
        return str(self.path.absolute())

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "description": self.description,
            "path": str(self.path),
            "files": [str(f) for f in self.files],
            "writer": self.writer,
            "text": self.text,
            "flavour": self.flavour,
            "meta_graph": str(self.meta_graph) if self.meta_graph else None,
            "prefix": self.prefix,
            "meta_graphs": [
                {"tags": list(m.tags), "signatures": list(m.signatures),
                 "tensorflow_version": m.tensorflow_version, "object_graph": m.object_graph}
                for m in self.meta_graphs
            ],
            "details": dict(self.details),
        }


def detect(path: str | Path) -> ModelFile:
    """The model at `path`; raises ModelFormatError with one line when there is none."""
    p = Path(path).expanduser()
    reading.check_regular(p)  # a FIFO or a device: refused before anything opens it
    try:
        if p.is_dir():
            return _regular_members(_folder(p))
        if p.is_file():
            return _regular_members(_file(p))
        if _exists(p, ".index") or _exists(p, ".meta"):
            return _regular_members(_checkpoint(str(p)))
    except OSError as exc:
        raise ModelFormatError(f"{p}: cannot read it ({exc.strerror or exc})") from None
    raise ModelFormatError(f"{p}: no such file, folder or checkpoint prefix")


def _regular_members(found: ModelFile) -> ModelFile:
    """A FIFO or device inside a model (a SavedModel's variables.index, a checkpoint's shard)
    would block TensorFlow's open for ever: refused, naming it, before any worker starts."""
    paths = [Path(f) for f in found.files]
    if found.format == SAVED_MODEL and found.path.is_dir():
        for folder, _, names in os.walk(found.path):  # symlinked folders not followed: no loops
            paths.extend(Path(folder) / name for name in names)
    for path in paths:
        reading.check_regular(path)
    return found


# -- folders


def _folder(p: Path) -> ModelFile:
    if (p / "saved_model.pb").is_file() or (p / "saved_model.pbtxt").is_file():
        return _saved_model(p)
    if (p / "config.json").is_file() and (p / "model.weights.h5").is_file():
        return _keras_folder(p)
    if (p / "checkpoint").is_file():
        return _checkpoint_state(p / "checkpoint")
    prefixes = _prefixes_in(p)
    if len(prefixes) == 1:
        return _checkpoint(prefixes[0])
    if prefixes:
        names = ", ".join(os.path.basename(i) or "(empty prefix)" for i in prefixes[:5])
        raise ModelFormatError(f"{p}: several checkpoints here ({names}); pass one prefix")
    raise ModelFormatError(f"{p}: a folder with no SavedModel (saved_model.pb), checkpoint or "
                           "Keras model in it")


def _keras_folder(p: Path) -> ModelFile:
    config = _json(p / "config.json", p)
    _check_keras_config(config, p)
    metadata = _json(p / "metadata.json", p) if (p / "metadata.json").is_file() else {}
    files = tuple(f for f in (p / "config.json", p / "metadata.json", p / "model.weights.h5") if f.exists())
    return ModelFile(KERAS, p, files, writer=_keras_writer(metadata),
                     details={"class_name": config.get("class_name"), "unzipped": True})


# -- single files


def _file(p: Path) -> ModelFile:
    size = p.stat().st_size
    if size == 0:
        raise ModelFormatError(f"{p}: empty file")
    with open(p, "rb") as fh:
        head = fh.read(4096)
    if _hdf5_superblock(p, head) is not None:
        return _keras_h5(p)
    if head.startswith(ZIP_SIGNATURE) or p.suffix == ".keras":
        return _keras_zip(p)
    if head[4:8] == b"TFL3":
        raise ModelFormatError(f"{p}: a TensorFlow Lite model; tfshift runs TensorFlow models only")
    name = p.name
    if name == "checkpoint":
        return _checkpoint_state(p)
    if name in ("saved_model.pb", "saved_model.pbtxt"):
        return _saved_model(p.parent)
    shard = _SHARD.search(name)
    if shard:
        return _checkpoint(checkpoint_prefix(p.parent, name[:shard.start()]))
    for suffix in (".index", ".meta"):
        if name.endswith(suffix):
            return _checkpoint(checkpoint_prefix(p.parent, name[:-len(suffix)]))
    v1 = _V1_SHARD.search(name)
    if v1:
        _v1_checkpoint(checkpoint_prefix(p.parent, name[:v1.start()]))
    if _looks_like_text_graph(head):
        return ModelFile(FROZEN_GRAPH, p, (p,), text=True, details={"text": True})
    return _protobuf_file(p)


def _protobuf_file(p: Path) -> ModelFile:
    with _mapped(p) as buf:
        if _is_onnx(buf):
            raise ModelFormatError(f"{p}: an ONNX model; tfshift runs TensorFlow models only")
        graph = _graph_def(buf, p)
        if graph is not None:
            producer = graph.get("producer")
            return ModelFile(FROZEN_GRAPH, p, (p,), details=graph,
                             writer=f"GraphDef producer {producer}" if producer else None)
        if _saved_model_proto(buf, p) is not None:
            raise ModelFormatError(f"{p}: the saved_model.pb of a SavedModel under another name; "
                                   "pass the SavedModel's folder (saved_model.pb + variables/)")
        if _meta_graph(buf, p) is not None:
            raise ModelFormatError(f"{p}: a checkpoint's MetaGraphDef; pass the checkpoint prefix "
                                   "(the .meta next to its .index and .data files)")
    raise ModelFormatError(f"{p}: not a model tfshift recognises (a GraphDef .pb, SavedModel "
                           "folder, checkpoint, Keras .h5 or .keras), or a damaged one")


# ONNX's ModelProto: ir_version (1, varint) first, the graph (7) and opset imports (8) messages.
# No TensorFlow message has a field 7 at the top with a varint field 1 (a SavedModel's field 1
# is varint too, but it holds only fields 1 and 2).
_ONNX_FIELDS = {1, 2, 3, 4, 5, 6, 7, 8, 14, 20, 25}


def _is_onnx(buf: Any) -> bool:
    try:
        found = {(number, wire_type) for number, wire_type, _ in protowire.fields(buf)}
    except WireError:
        return False
    numbers = {number for number, _ in found}
    return (1, VARINT) in found and (7, LEN) in found and numbers <= _ONNX_FIELDS


def _looks_like_text_graph(head: bytes) -> bool:
    try:
        start = head.decode("utf-8").lstrip()
    except UnicodeDecodeError:
        return False
    return bool(re.match(r"^(node|versions|library)\s*\{", start))


# -- protobuf messages


@contextlib.contextmanager
def _mapped(p: Path) -> Iterator[Any]:
    with open(p, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        yield mm


def _parse(p: Path, parser: Any, what: str) -> Any:
    """`parser(buf, p)` over the mapped file; what it found, or ModelFormatError."""
    if p.stat().st_size == 0:
        raise ModelFormatError(f"{p}: empty file")
    with _mapped(p) as buf:
        found = parser(buf, p)
    if found is None:
        raise ModelFormatError(f"{p}: not {what} (damaged?)")
    return found


def _graph_def(buf: Any, p: Path) -> dict[str, Any] | None:
    """Facts about a GraphDef, None if the bytes are not one; raises if one that is damaged."""
    try:
        head = protowire.first(buf)
        if head is None or head[:2] != (1, LEN) or not _is_node(buf, head[2]):
            return None
    except WireError:
        return None
    nodes = 0
    facts: dict[str, Any] = {}
    try:
        for number, wire_type, value in protowire.fields(buf):
            if number == 1 and wire_type == LEN:
                nodes += 1
            elif number == 4 and wire_type == LEN:
                for sub, sub_type, sub_value in protowire.fields(buf, value):
                    if sub == 1 and sub_type == VARINT:
                        facts["producer"] = sub_value
            elif number == 2 and wire_type == LEN and value[1] > value[0]:
                facts["functions"] = True
    except WireError as exc:
        raise ModelFormatError(f"{p}: a truncated or damaged GraphDef ({exc})") from None
    facts["nodes"] = nodes
    return facts


def _is_node(buf: Any, span: protowire.Span) -> bool:
    name = op = None
    for number, wire_type, value in protowire.fields(buf, span):
        if number == 1 and wire_type == LEN:
            name = protowire.text(buf, value)
        elif number == 2 and wire_type == LEN:
            op = protowire.text(buf, value)
    return bool(name) and op is not None and bool(_OP_NAME.match(op))


def _saved_model_proto(buf: Any, p: Path) -> tuple[MetaGraphInfo, ...] | None:
    """The meta graphs of a SavedModel message, None if the bytes are not one."""
    try:
        head = protowire.first(buf)
    except WireError:
        return None
    if head is None or head[:2] not in ((1, VARINT), (2, LEN)):
        return None
    metas = []
    try:
        for number, wire_type, value in protowire.fields(buf):
            if number == 2 and wire_type == LEN:
                metas.append(_meta_graph_info(buf, value)[0])
            elif number != 1:
                return None
    except WireError as exc:
        raise ModelFormatError(f"{p}: a truncated or damaged SavedModel ({exc})") from None
    return tuple(metas) if metas else None


def _meta_graph(buf: Any, p: Path) -> MetaGraphInfo | None:
    """A MetaGraphDef (checkpoint .meta), None if the bytes are not one."""
    try:
        head = protowire.first(buf)
        if head is None or head[:2] != (1, LEN):
            return None
        info, has_graph = _meta_graph_info(buf, (0, len(buf)))
    except WireError as exc:
        if p.suffix == ".meta":
            raise ModelFormatError(f"{p}: a truncated or damaged MetaGraphDef ({exc})") from None
        return None
    return info if has_graph else None


def _meta_graph_info(buf: Any, span: protowire.Span) -> tuple[MetaGraphInfo, bool]:
    """One MetaGraphDef's facts, and whether it holds a graph."""
    tags: list[str] = []
    signatures: list[str] = []
    version = None
    object_graph = has_graph = False
    for number, wire_type, value in protowire.fields(buf, span):
        if wire_type != LEN:
            continue
        if number == 1:  # MetaInfoDef
            for sub, sub_type, sub_value in protowire.fields(buf, value):
                if sub == 4 and sub_type == LEN:
                    tags.append(protowire.text(buf, sub_value))
                elif sub == 5 and sub_type == LEN:
                    version = protowire.text(buf, sub_value) or None
        elif number == 2:
            has_graph = True
        elif number == 5:  # signature_def map entry: key = 1
            for sub, sub_type, sub_value in protowire.fields(buf, value):
                if sub == 1 and sub_type == LEN:
                    key = protowire.text(buf, sub_value)
                    if not key.startswith("__"):  # TF2's __saved_model_init_op is no signature
                        signatures.append(key)
        elif number == 7:
            object_graph = True
    return MetaGraphInfo(tuple(tags), tuple(sorted(signatures)), version, object_graph), has_graph


# -- SavedModel


def _saved_model(folder: Path) -> ModelFile:
    pb = folder / "saved_model.pb"
    variables = _variables(folder)
    if not pb.is_file():
        text = folder / "saved_model.pbtxt"
        return ModelFile(SAVED_MODEL, folder, (text, *variables), text=True)
    metas = _parse(pb, _saved_model_proto, "a SavedModel protobuf")
    version = next((m.tensorflow_version for m in metas if m.tensorflow_version), None)
    metadata = (folder / "keras_metadata.pb").is_file()
    details = {"keras_metadata": metadata,
               # Keras 2 wrote its metadata into keras_metadata.pb from TF 2.5 on, and before
               # that into the object graph itself (identifiers "_tf_keras_model", ...).
               "keras": metadata or _mentions(pb, KERAS_IDENTIFIER),
               "fingerprint": (folder / "fingerprint.pb").is_file()}
    return ModelFile(SAVED_MODEL, folder, (pb, *variables), meta_graphs=metas, details=details,
                     writer=f"TensorFlow {version}" if version else None)


def _variables(folder: Path) -> tuple[Path, ...]:
    prefix = str(folder / "variables" / "variables")
    if not _exists(prefix, ".index"):
        return ()  # a SavedModel without variables (all constants) is fine
    index, shards = _checkpoint_files(prefix)
    return (index, *shards)


def _mentions(path: Path, needle: bytes) -> bool:
    with _mapped(path) as buf:
        return buf.find(needle) >= 0


KERAS_IDENTIFIER = b"_tf_keras_"  # SavedUserObject.identifier of Keras 2 layers and models


# -- checkpoints


def checkpoint_prefix(folder: str | os.PathLike[str], name: str) -> str:
    """FOLDER/NAME as TensorFlow writes prefixes; an empty name keeps the separator ("DIR/")."""
    return os.path.join(os.fspath(folder), name)


def absolute_prefix(prefix: str) -> str:
    folder, name = os.path.split(prefix)
    return os.path.join(os.path.abspath(folder or "."), name)


def checkpoint_file(prefix: str | os.PathLike[str], suffix: str) -> Path:
    """PREFIX + suffix (".index", ".meta", ".data-00000-of-00001"), for any prefix, empty included."""
    return Path(os.fspath(prefix) + suffix)


def _exists(prefix: str | os.PathLike[str], suffix: str) -> bool:
    return checkpoint_file(prefix, suffix).is_file()


def _prefixes_in(folder: Path) -> list[str]:
    """The prefixes of the checkpoints in a folder (".index" files; an empty prefix too)."""
    return sorted(checkpoint_prefix(folder, f.name[:-len(".index")]) for f in folder.iterdir()
                  if f.name.endswith(".index") and f.is_file())


def _checkpoint_files(prefix: str | os.PathLike[str]) -> tuple[Path, tuple[Path, ...]]:
    """The .index and every .data shard of a checkpoint, checked to be all there."""
    prefix = os.fspath(prefix)
    shown = prefix or "."
    index = checkpoint_file(prefix, ".index")
    if not index.is_file():
        raise ModelFormatError(f"{shown}: the checkpoint's index ({index.name}) is missing")
    with open(index, "rb") as fh:
        fh.seek(0, 2)
        if fh.tell() < 48:
            raise ModelFormatError(f"{index}: too short to be a checkpoint index (truncated?)")
        fh.seek(-8, 2)
        if fh.read(8) != TABLE_MAGIC:
            raise ModelFormatError(f"{index}: not a TensorFlow checkpoint index (damaged or truncated)")
    folder, name = os.path.split(prefix)
    shards = sorted(Path(folder or ".").glob(f"{_glob_escape(name)}.data-*-of-*"))
    total = None
    for shard in shards:
        match = _SHARD.search(shard.name)
        if match:
            total = int(match.group(2))
    if total is None:
        raise ModelFormatError(f"{shown}: the checkpoint's data files ({name}.data-*) are missing")
    present = {int(m.group(1)) for s in shards if (m := _SHARD.search(s.name))}
    missing = sorted(set(range(total)) - present)
    if missing:
        raise ModelFormatError(f"{shown}: checkpoint data shard(s) missing: "
                               + ", ".join(f"{name}.data-{i:05d}-of-{total:05d}" for i in missing[:3]))
    return index, tuple(shards)


def _glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _display(prefix: str) -> Path:
    """What messages call a checkpoint: its prefix, or its folder when the prefix is empty."""
    folder, name = os.path.split(prefix)
    return Path(prefix) if name else Path(folder or ".")


def _checkpoint(prefix: str, details: Mapping[str, Any] | None = None) -> ModelFile:
    meta = checkpoint_file(prefix, ".meta")
    if not _exists(prefix, ".index") and (not meta.is_file() or _v1_files(prefix)):
        _v1_checkpoint(prefix)
    index, shards = _checkpoint_files(prefix)
    metas: tuple[MetaGraphInfo, ...] = ()
    if meta.is_file():
        metas = (_parse(meta, _meta_graph, "a MetaGraphDef"),)
    version = metas[0].tensorflow_version if metas else None
    return ModelFile(CHECKPOINT, _display(prefix), (index, *shards, *([meta] if metas else [])),
                     writer=f"TensorFlow {version}" if version else None,
                     meta_graph=meta if metas else None, meta_graphs=metas, prefix=prefix,
                     details={"shards": len(shards), **(details or {})})


def _v1_files(prefix: str) -> list[Path]:
    """TF 0.x (V1) checkpoint files: PREFIX itself, or PREFIX-00000-of-00001 shards."""
    folder, name = os.path.split(prefix)
    found = sorted(Path(folder or ".").glob(f"{_glob_escape(name)}-?????-of-?????"))
    return found + ([Path(prefix)] if name and Path(prefix).is_file() else [])


def _v1_checkpoint(prefix: str) -> None:
    """Raise for what is not a V2 checkpoint: TF 0.x's V1 format, or nothing at all."""
    name = os.path.basename(prefix)
    if _v1_files(prefix):
        raise ModelFormatError(
            f"{_display(prefix)}: a TF 0.x checkpoint in the old V1 format (no .index); tfshift "
            "reads V2 checkpoints: restore it with TF 1.x and save it again with tf.train.Saver()")
    raise ModelFormatError(f"{_display(prefix)}: no checkpoint there (no {name}.index or {name}.meta)")


def _checkpoint_state(state: Path) -> ModelFile:
    """The latest checkpoint named in a `checkpoint` state file (relative to its folder).

    Shipped checkpoints often keep the author's absolute path there (/home/me/run/model-100);
    TensorFlow's own restore then takes the prefix the user gives. When the named files are not
    there, the checkpoint with the same name beside the state file is taken, else the only one.
    """
    text = state.read_text(errors="replace")
    match = _STATE_PATH.search(text)
    if not match:
        raise ModelFormatError(f"{state}: a checkpoint state file that names no checkpoint")
    name = match.group(1).encode().decode("unicode_escape")
    folder = state.parent
    named = name if os.path.isabs(name) else checkpoint_prefix(folder, name)
    if _exists(named, ".index") or _exists(named, ".meta"):
        return _checkpoint(named)
    candidates = [checkpoint_prefix(folder, os.path.basename(name))]
    candidates += [c for c in _prefixes_in(folder) if c not in candidates]
    here = [c for c in candidates if _exists(c, ".index") or _exists(c, ".meta")]
    if here and (here[0] == candidates[0] or len(here) == 1):
        return _checkpoint(here[0], {"state_names": name})
    if not here and _v1_files(candidates[0]):
        _v1_checkpoint(candidates[0])
    where = ", ".join(os.path.basename(c) or "(empty prefix)" for c in here[:5])
    raise ModelFormatError(
        f"{state}: names checkpoint {name!r}, which is not there"
        + (f"; this folder holds {where}: pass one prefix" if here else
           "; pass the prefix of the checkpoint (PREFIX.index, PREFIX.data-*)"))


# -- Keras


def _hdf5_superblock(p: Path, head: bytes) -> int | None:
    """Offset of the HDF5 superblock (0, or after a user block of 512, 1024, ... bytes)."""
    if head.startswith(HDF5_SIGNATURE):
        return 0
    size = p.stat().st_size
    offset = 512
    with open(p, "rb") as fh:
        while offset + 8 <= size and offset <= (1 << 20):
            fh.seek(offset)
            if fh.read(8) == HDF5_SIGNATURE:
                return offset
            offset *= 2
    return None


def _hdf5_end(p: Path, offset: int) -> int | None:
    """The file size the superblock records (base address + end-of-file address)."""
    with open(p, "rb") as fh:
        fh.seek(offset)
        block = fh.read(96)
    if len(block) < 16:
        return None
    version = block[8]
    if version in (0, 1):
        width = block[13]
        base_at = 24 if version == 0 else 28
    elif version in (2, 3):
        width = block[9]
        base_at = 12
    else:
        return None
    if width not in (2, 4, 8) or len(block) < base_at + 3 * width:
        return None
    base = int.from_bytes(block[base_at:base_at + width], "little")
    eof_at = base_at + 2 * width
    end = int.from_bytes(block[eof_at:eof_at + width], "little")
    if end == (1 << (8 * width)) - 1:
        return None  # "undefined address"
    return base + end


def _keras_h5(p: Path) -> ModelFile:
    offset = _hdf5_superblock(p, b"") or 0
    recorded = _hdf5_end(p, offset)
    size = p.stat().st_size
    if recorded is not None and size < recorded:
        raise ModelFormatError(f"{p}: a truncated HDF5 file ({size} of {recorded} bytes)")
    return ModelFile(KERAS_H5, p, (p,))


def _keras_zip(p: Path) -> ModelFile:
    try:
        with zipfile.ZipFile(p) as zf:
            names = set(zf.namelist())
            if "config.json" not in names:
                raise ModelFormatError(f"{p}: a zip archive, but not a Keras .keras file (no config.json)")
            config = zip_json(zf, "config.json", p)
            metadata = zip_json(zf, "metadata.json", p) if "metadata.json" in names else {}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ModelFormatError(f"{p}: a damaged or truncated zip archive ({exc})") from None
    if not isinstance(config, dict):
        raise ModelFormatError(f"{p}: a .keras file whose config.json is not an object")
    _check_keras_config(config, p)
    weights = sorted(n for n in names if n.startswith("model.weights"))
    return ModelFile(KERAS, p, (p,), writer=_keras_writer(metadata),
                     details={"class_name": config.get("class_name"), "weights": weights})


def _keras_writer(metadata: Any) -> str | None:
    version = metadata.get("keras_version") if isinstance(metadata, dict) else None
    return f"Keras {version}" if version else None


def zip_json(zf: zipfile.ZipFile, name: str, where: Path) -> Any:
    """A JSON member of a Keras zip, its archive checked first (member names, sizes) and the
    member read no further than a JSON document may take."""
    try:
        reading.check_archive(zf, where)
        data = reading.read_member(zf, name, modelguard.MAX_JSON_BYTES, where)
        return modelguard.parse_json(data, f"{where}: {name}")
    except (TfshiftError, modelguard.GuardError) as exc:
        raise ModelFormatError(str(exc)) from None


def read_json(path: Path, model: Path) -> Any:
    """A JSON file of a model (config.json of an unzipped .keras), read within the limit."""
    try:
        return modelguard.parse_json(reading.read_bytes(path, modelguard.MAX_JSON_BYTES),
                                     f"{model}: {path.name}")
    except (TfshiftError, modelguard.GuardError) as exc:
        raise ModelFormatError(str(exc)) from None


def _check_keras_config(config: Mapping[str, Any], p: Path) -> None:
    """What Keras saves: {"class_name": ..., "config": ...} (a model or a layer)."""
    if not isinstance(config.get("class_name"), str) or "config" not in config:
        raise ModelFormatError(f"{p}: its config.json describes no Keras model "
                               "(no class_name and config)")


def _json(path: Path, model: Path) -> dict[str, Any]:
    data = read_json(path, model)
    return data if isinstance(data, dict) else {}
