"""Golden values for io.calibra.backend.Fingerprint (FingerprintTest), computed independently
with hashlib from the documented format: every text is length-prefixed ("LEN:" + UTF-8 bytes),
a field is part(name) then 0x00 for null or 0x01 + part(value); numbers are texts
"double:" + hex of the IEEE bits and "long:" + decimal; lists add NAME.size then NAME[i];
maps add NAME.size then NAME.KEY in key order; the first field is
("calibra-scorer-fingerprint-v1", kind).

Run: python3 scripts/fingerprint_golden.py
"""
import hashlib
import struct


class Fp:
    def __init__(self, kind):
        self.h = hashlib.sha256()
        self.add("calibra-scorer-fingerprint-v1", kind)

    def part(self, s):
        b = s.encode("utf-8")
        self.h.update(str(len(b)).encode("utf-8") + b":" + b)

    def add(self, name, value):
        self.part(name)
        if value is None:
            self.h.update(b"\x00")
        else:
            self.h.update(b"\x01")
            self.part(value)
        return self

    def add_double(self, name, v):
        bits = struct.unpack(">q", struct.pack(">d", v))[0]
        return self.add(name, "double:" + format(bits & 0xFFFFFFFFFFFFFFFF, "x"))

    def add_long(self, name, v):
        return self.add(name, "long:" + str(v))

    def add_list(self, name, values):
        self.add_long(name + ".size", len(values))
        for i, v in enumerate(values):
            self.add(name + "[" + str(i) + "]", v)
        return self

    def add_map(self, name, m):
        self.add_long(name + ".size", len(m))
        for k in sorted(m):
            v = m[k]
            if isinstance(v, list):
                self.add_list(name + "." + k, [str(x) for x in v])
            else:
                self.add(name + "." + k, str(v))
        return self

    def hex(self):
        return self.h.hexdigest()


# FunctionScorer("sentiment-v1", LOGIT)
print("function", Fp("function").add("model_id", "sentiment-v1").add("kind", "LOGIT").hex())
# every kind of field, non-ASCII text and a null
print(
    "mixed",
    Fp("onnx-encoder")
    .add("model", "naïve €")
    .add("absent", None)
    .add_double("scale", 0.05)
    .add_long("threads", -3)
    .add_list("labels", ["negative", "positive"])
    .add_map("options", {"b": "2", "a": ["x", "y"]})
    .hex(),
)
print("sha256(abc)", hashlib.sha256(b"abc").hexdigest())

# io.calibra.io.Provenance.sha256(rows, gold): every value's IEEE bits then (if any) the gold index,
# each as a big-endian 64-bit integer, row by row.
def data_sha256(rows, gold):
    h = hashlib.sha256()
    for i, row in enumerate(rows):
        for v in row:
            h.update(struct.pack(">d", v))
        if gold is not None:
            h.update(struct.pack(">q", gold[i]))
    return h.hexdigest()


print("data", data_sha256([[0.25, 0.75], [1.0, 0.0], [0.5, 0.5]], [1, 0, 1]))
print("data-unlabelled", data_sha256([[0.25, 0.75], [1.0, 0.0], [0.5, 0.5]], None))
