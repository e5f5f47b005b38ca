"""Tamp: compile ONNX models to native code and run them from Python.

    import tamp
    model = tamp.compile("model.onnx")          # runs `tamp compile`
    outputs = model({"x": x})                    # dict name -> numpy array
    model = tamp.load("model.so")                # an already compiled model

The models run through libtamp_rt (ctypes). Tools and libraries are found
through TAMP_BIN_DIR / TAMP_LIB_DIR, else the build tree next to this package
(../../build/bin, ../../build/lib), else PATH and the loader's search path.
"""

import ctypes
import os
import shutil
import subprocess
import tempfile

import numpy as np

__all__ = ["TampError", "TensorInfo", "Model", "compile", "load"]

_MAX_RANK = 16

# tamp_dtype (ONNX TensorProto.DataType numbering) <-> numpy.
_DTYPES = {
    1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16,
    6: np.int32, 7: np.int64, 9: np.bool_, 10: np.float16, 11: np.float64,
    12: np.uint32, 13: np.uint64,
}
# The types NumPy lacks come from ml_dtypes (installed with onnx) when it is
# available, with the same one-byte (two for bfloat16) layout as the ABI;
# without it they travel as raw unsigned bits.
_ML_DTYPES = {
    16: "bfloat16", 17: "float8_e4m3fn", 18: "float8_e4m3fnuz",
    19: "float8_e5m2", 20: "float8_e5m2fnuz", 21: "uint4", 22: "int4",
    23: "float4_e2m1fn", 24: "float8_e8m0fnu", 25: "uint2", 26: "int2",
}
try:
    import ml_dtypes
    _DTYPES.update({code: getattr(ml_dtypes, name)
                    for code, name in _ML_DTYPES.items()
                    if hasattr(ml_dtypes, name)})
except ImportError:
    pass
_DTYPE_CODES = {np.dtype(v): k for k, v in _DTYPES.items()}


class TampError(RuntimeError):
    """A failure reported by the Tamp compiler or runtime."""


class _TensorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int32),
                ("rank", ctypes.c_int32),
                ("shape", ctypes.POINTER(ctypes.c_int64))]


class _Tensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("capacity", ctypes.c_uint64),
                ("dtype", ctypes.c_int32), ("rank", ctypes.c_int32),
                ("shape", ctypes.c_int64 * _MAX_RANK)]


_package_dir = os.path.dirname(os.path.abspath(__file__))
_build_dir = os.path.normpath(os.path.join(_package_dir, "..", "..", "build"))


def _find_library():
    candidates = []
    if os.environ.get("TAMP_LIB_DIR"):
        candidates.append(os.path.join(os.environ["TAMP_LIB_DIR"], "libtamp_rt.so"))
    candidates.append(os.path.join(_build_dir, "lib", "libtamp_rt.so"))
    for path in candidates:
        if os.path.exists(path):
            return path
    return "libtamp_rt.so"  # the dynamic loader's search path


def _find_driver():
    if os.environ.get("TAMP_BIN_DIR"):
        path = os.path.join(os.environ["TAMP_BIN_DIR"], "tamp")
        if os.path.exists(path):
            return path
    path = os.path.join(_build_dir, "bin", "tamp")
    if os.path.exists(path):
        return path
    path = shutil.which("tamp")
    if path:
        return path
    raise TampError("cannot find the `tamp` driver: set TAMP_BIN_DIR")


_lib = None


def _runtime():
    """libtamp_rt, loaded RTLD_GLOBAL so that models resolve tamp_rt_*."""
    global _lib
    if _lib is not None:
        return _lib
    path = _find_library()
    try:
        lib = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    except OSError as error:
        raise TampError(f"cannot load the Tamp runtime '{path}': {error}") from None
    c_model, c_session = ctypes.c_void_p, ctypes.c_void_p
    signatures = {
        "tamp_last_error": ([], ctypes.c_char_p),
        "tamp_model_load": ([ctypes.c_char_p, ctypes.POINTER(c_model)], ctypes.c_int),
        "tamp_model_release": ([c_model], None),
        "tamp_model_name": ([c_model], ctypes.c_char_p),
        "tamp_model_num_inputs": ([c_model], ctypes.c_uint32),
        "tamp_model_num_outputs": ([c_model], ctypes.c_uint32),
        "tamp_model_input": ([c_model, ctypes.c_uint32], ctypes.POINTER(_TensorInfo)),
        "tamp_model_output": ([c_model, ctypes.c_uint32], ctypes.POINTER(_TensorInfo)),
        "tamp_model_manifest": ([c_model], ctypes.c_char_p),
        "tamp_session_create": ([c_model, ctypes.POINTER(c_session)], ctypes.c_int),
        "tamp_session_set_num_threads": ([c_session, ctypes.c_int32], ctypes.c_int),
        "tamp_session_run": ([c_session, ctypes.POINTER(_Tensor), ctypes.c_uint32,
                              ctypes.POINTER(_Tensor), ctypes.c_uint32], ctypes.c_int),
        "tamp_session_peak_bytes": ([c_session], ctypes.c_uint64),
        "tamp_session_destroy": ([c_session], None),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = argtypes
        function.restype = restype
    _lib = lib
    return lib


def _check(status):
    if status != 0:
        raise TampError(_runtime().tamp_last_error().decode("utf-8", "replace"))


def _numpy_dtype(code):
    if code not in _DTYPES:
        raise TampError(f"dtype {code} has no numpy equivalent")
    return np.dtype(_DTYPES[code])


_STRING = 8


def _string_pointers(value):
    """A string tensor as the ABI passes it, an array of pointers to
    NUL-terminated UTF-8, and what must stay alive while it is used."""
    texts = np.asarray(value, dtype=object)
    encoded = [text.encode("utf-8") if isinstance(text, str) else bytes(text)
               for text in texts.flat]
    if any(b"\0" in text for text in encoded):
        raise TampError("strings passed to a model must not contain NUL")
    pointers = (ctypes.c_char_p * max(len(encoded), 1))(*encoded)
    # The array views `pointers`, which reference the `encoded` bytes.
    array = np.frombuffer(pointers, dtype=np.uintp,
                          count=len(encoded)).reshape(texts.shape)
    return array, (pointers, encoded)


def _raw_bytes(code):
    """Bytes per element of a type NumPy lacks: 2 for bfloat16, else 1."""
    return 2 if code == 16 else 1


class TensorInfo:
    """An input or output: name, numpy dtype and shape (None = dynamic)."""

    def __init__(self, name, dtype, shape, dtype_code):
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self._dtype_code = dtype_code

    def __repr__(self):
        return f"TensorInfo(name={self.name!r}, dtype={self.dtype}, shape={self.shape})"


def _tensor_info(pointer):
    info = pointer.contents
    shape = tuple(None if info.shape[d] < 0 else int(info.shape[d])
                  for d in range(info.rank))
    if info.dtype == _STRING:
        dtype = np.dtype(object)
    elif info.dtype in _ML_DTYPES and info.dtype not in _DTYPES:
        dtype = None
    else:
        dtype = _numpy_dtype(info.dtype)
    return TensorInfo(info.name.decode("utf-8"), dtype, shape, info.dtype)


class Model:
    """A compiled model loaded into the runtime, with one session."""

    def __init__(self, path, _keep_alive=None):
        lib = _runtime()
        self._lib = lib
        self._model = ctypes.c_void_p()
        self._session = ctypes.c_void_p()
        self._keep_alive = _keep_alive  # e.g. the temporary output directory
        self.path = os.fspath(path)
        _check(lib.tamp_model_load(self.path.encode(), ctypes.byref(self._model)))
        try:
            _check(lib.tamp_session_create(self._model, ctypes.byref(self._session)))
        except TampError:
            lib.tamp_model_release(self._model)
            self._model = ctypes.c_void_p()
            raise
        self.name = lib.tamp_model_name(self._model).decode("utf-8")
        self.inputs = [_tensor_info(lib.tamp_model_input(self._model, i))
                       for i in range(lib.tamp_model_num_inputs(self._model))]
        self.outputs = [_tensor_info(lib.tamp_model_output(self._model, i))
                        for i in range(lib.tamp_model_num_outputs(self._model))]
        self._num_threads = 1

    @property
    def manifest(self):
        """The model.json text embedded in the model."""
        return self._lib.tamp_model_manifest(self._model).decode("utf-8")

    @property
    def num_threads(self):
        return self._num_threads

    @num_threads.setter
    def num_threads(self, count):
        _check(self._lib.tamp_session_set_num_threads(self._session, int(count)))
        self._num_threads = int(count)

    @property
    def peak_bytes(self):
        """Bytes the model held at most during the last run."""
        return int(self._lib.tamp_session_peak_bytes(self._session))

    def __call__(self, *args, **kwargs):
        """Runs the model on a dict of name -> array, positional arrays in
        input order, or keyword arrays; returns a dict name -> array."""
        if len(args) == 1 and isinstance(args[0], dict) and not kwargs:
            feeds = dict(args[0])
        else:
            if len(args) > len(self.inputs):
                raise TampError(f"model '{self.name}' takes {len(self.inputs)} "
                                f"inputs, got {len(args)}")
            feeds = {info.name: value for info, value in zip(self.inputs, args)}
            feeds.update(kwargs)
        names = {info.name for info in self.inputs}
        unknown = sorted(set(feeds) - names)
        if unknown:
            raise TampError(f"model '{self.name}' has no input named '{unknown[0]}'")
        arrays = []
        inputs = (_Tensor * max(len(self.inputs), 1))()
        for i, info in enumerate(self.inputs):
            if info.name not in feeds:
                raise TampError(f"model '{self.name}': missing input '{info.name}'")
            value = feeds[info.name]
            if info._dtype_code == _STRING:
                array, storage = _string_pointers(value)
                arrays.append(storage)
            elif info.dtype is not None:
                # (np.ascontiguousarray would make a 0-d scalar 1-d.)
                array = np.asarray(value, order="C")
                if array.dtype != info.dtype:
                    raise TampError(
                        f"model '{self.name}' input '{info.name}' expects "
                        f"{info.dtype}, got {array.dtype}")
            else:
                array = np.asarray(value, order="C")
                if array.dtype.itemsize != _raw_bytes(info._dtype_code):
                    raise TampError(
                        f"model '{self.name}' input '{info.name}' expects "
                        f"the bits of dtype {info._dtype_code}, got {array.dtype}")
            if array.ndim > _MAX_RANK:
                raise TampError(f"input '{info.name}' has rank {array.ndim}, "
                                f"at most {_MAX_RANK} is supported")
            arrays.append(array)
            tensor = inputs[i]
            tensor.data = array.ctypes.data if array.size else None
            tensor.dtype = info._dtype_code
            tensor.rank = array.ndim
            for d, size in enumerate(array.shape):
                tensor.shape[d] = size
        outputs = (_Tensor * max(len(self.outputs), 1))()
        _check(self._lib.tamp_session_run(self._session, inputs, len(self.inputs),
                                          outputs, len(self.outputs)))
        results = {}
        for j, info in enumerate(self.outputs):
            tensor = outputs[j]
            shape = tuple(tensor.shape[d] for d in range(tensor.rank))
            dtype = (info.dtype if info.dtype is not None else
                     np.dtype(np.uint8 if _raw_bytes(info._dtype_code) == 1 else np.uint16))
            count = int(np.prod(shape, dtype=np.int64))
            if count == 0:
                results[info.name] = np.zeros(shape, dtype=dtype)
                continue
            buffer = (ctypes.c_char * (count * dtype.itemsize)).from_address(tensor.data)
            # The runtime owns the buffer until the next run: copy it.
            results[info.name] = np.frombuffer(buffer, dtype=dtype).reshape(shape).copy()
        return results

    def close(self):
        if getattr(self, "_session", None):
            self._lib.tamp_session_destroy(self._session)
            self._session = ctypes.c_void_p()
        if getattr(self, "_model", None):
            self._lib.tamp_model_release(self._model)
            self._model = ctypes.c_void_p()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self):
        return f"<tamp.Model {self.name!r} inputs={self.inputs} outputs={self.outputs}>"


def load(path):
    """Loads a model compiled to a shared library (`tamp compile -o m.so`)."""
    return Model(path)


def compile(path, output=None, **options):
    """Compiles an ONNX model with `tamp compile` and loads it.

    `output` is the .so to write (default: in a temporary directory that
    lives as long as the Model). Options map to driver flags: name, mcpu,
    mattr, target_triple, opt_level (0-3), emit, fuse (False compiles the
    graph without layer fusion), or any other flag spelled with underscores
    (True for a bare flag, False for `--flag=false`). `calibration` is a path (an
    .npz or a folder of input sets) or any iterable of {input name: array}
    dicts."""
    keep_alive = None
    if output is None:
        keep_alive = tempfile.TemporaryDirectory(prefix="tamp-")
        output = os.path.join(keep_alive.name, "model.so")
    command = [_find_driver(), "compile", os.fspath(path), "-o", os.fspath(output)]
    with tempfile.TemporaryDirectory(prefix="tamp-calibration-") as scratch:
        calibration = options.get("calibration")
        if calibration is not None and not isinstance(calibration, (str, os.PathLike)):
            options = dict(options, calibration=_write_calibration_sets(calibration, scratch))
        return _run_compile(command, output, keep_alive, options)


def _write_calibration_sets(sets, folder):
    """Writes an iterable of input dicts as folder/set_K/NAME.npy."""
    count = 0
    for count, inputs in enumerate(sets, start=1):
        set_folder = os.path.join(folder, f"set_{count - 1:06d}")
        os.makedirs(set_folder)
        for name, value in inputs.items():
            if not name or os.sep in name or name.startswith("."):
                raise TampError(f"calibration: input name {name!r} cannot name a file; "
                                "pass an .npz path instead")
            np.save(os.path.join(set_folder, f"{name}.npy"), np.asarray(value))
    if count == 0:
        raise TampError("calibration: the iterable holds no input sets")
    return folder


def _run_compile(command, output, keep_alive, options):
    for key, value in options.items():
        if value is None:
            continue
        if value is False:
            # Flags that default to on (fuse, parallel) are turned off.
            command.append("--" + key.replace("_", "-") + "=false")
            continue
        if key == "opt_level":
            command.append(f"-O{int(value)}")
            continue
        flag = "--" + key.replace("_", "-")
        command.append(flag if value is True else f"{flag}={value}")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip()
        raise TampError(message or f"tamp compile failed with status {result.returncode}")
    emit = options.get("emit")
    if emit not in (None, "lib") or not os.fspath(output).endswith(".so"):
        # Not a loadable artifact: nothing to load.
        raise TampError(f"compiled to '{output}', which is not a shared library to load")
    return Model(output, _keep_alive=keep_alive)
