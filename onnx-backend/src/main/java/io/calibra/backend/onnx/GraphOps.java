package io.calibra.backend.onnx;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts the operator types of an ONNX model by reading its protobuf bytes, because ONNX Runtime's
 * Java API does not list a graph's nodes. Reads {@code ModelProto.graph} (field 7) and {@code
 * ModelProto.functions} (field 25), each graph's {@code node} (field 1), each function's {@code
 * node} (field 3), each node's {@code op_type} (field 4), and descends into the subgraphs held by
 * node attributes ({@code AttributeProto.g}, field 6, and {@code graphs}, field 11), as the bodies
 * of {@code If}, {@code Loop} and {@code Scan} are. Everything else is skipped by wire type.
 */
final class GraphOps {
  /**
   * Operators that quantise activations with a scale computed from the whole input tensor at run
   * time, so that one row's result depends on the other rows of its batch.
   */
  static final Set<String> DYNAMIC_QUANTIZATION =
      Set.of("DynamicQuantizeLinear", "DynamicQuantizeMatMul", "DynamicQuantizeLSTM");

  private static final int MAX_DEPTH = 64;

  private GraphOps() {}

  /**
   * The number of nodes of each operator type in {@code model}, subgraphs and functions included,
   * sorted by name.
   *
   * @throws IllegalArgumentException naming {@code modelName} and the byte offset if the bytes are
   *     not a well-formed protobuf message
   */
  static Map<String, Integer> count(String modelName, byte[] model) {
    Map<String, Integer> counts = new TreeMap<>();
    new Reader(modelName, model, counts).model(0, model.length);
    return counts;
  }

  /** The nodes of {@code counts} that quantise dynamically, by operator type; empty if none. */
  static Map<String, Integer> dynamicQuantization(Map<String, Integer> counts) {
    Map<String, Integer> out = new TreeMap<>(counts);
    out.keySet().retainAll(DYNAMIC_QUANTIZATION);
    return out;
  }

  /** A protobuf wire-format reader over one byte array, with bounds checked at every step. */
  private static final class Reader {
    private final String name;
    private final byte[] bytes;
    private final Map<String, Integer> counts;
    private int pos;

    Reader(String name, byte[] bytes, Map<String, Integer> counts) {
      this.name = name;
      this.bytes = bytes;
      this.counts = counts;
    }

    void model(int start, int end) {
      pos = start;
      while (pos < end) {
        long key = varint(end);
        int field = (int) (key >>> 3);
        int wire = (int) (key & 7);
        if (field == 7 && wire == 2) {
          int len = length(end);
          int next = pos + len;
          graph(pos, next, 1);
          pos = next;
        } else if (field == 25 && wire == 2) {
          int len = length(end);
          int next = pos + len;
          function(pos, next, 1);
          pos = next;
        } else {
          skip(wire, end);
        }
      }
    }

    private void graph(int start, int end, int depth) {
      nodes(start, end, 1, depth);
    }

    private void function(int start, int end, int depth) {
      nodes(start, end, 3, depth);
    }

    /** Reads the nodes held in field {@code nodeField} of the message at [start, end). */
    private void nodes(int start, int end, int nodeField, int depth) {
      if (depth > MAX_DEPTH) {
        throw malformed("subgraphs nested deeper than " + MAX_DEPTH);
      }
      pos = start;
      while (pos < end) {
        long key = varint(end);
        int field = (int) (key >>> 3);
        int wire = (int) (key & 7);
        if (field == nodeField && wire == 2) {
          int len = length(end);
          int next = pos + len;
          node(pos, next, depth);
          pos = next;
        } else {
          skip(wire, end);
        }
      }
    }

    private void node(int start, int end, int depth) {
      pos = start;
      String opType = null;
      while (pos < end) {
        long key = varint(end);
        int field = (int) (key >>> 3);
        int wire = (int) (key & 7);
        if (field == 4 && wire == 2) {
          int len = length(end);
          opType = new String(bytes, pos, len, StandardCharsets.UTF_8);
          pos += len;
        } else if (field == 5 && wire == 2) {
          int len = length(end);
          int next = pos + len;
          attribute(pos, next, depth);
          pos = next;
        } else {
          skip(wire, end);
        }
      }
      if (opType == null) {
        throw malformed("a node without an op_type ending at byte " + end);
      }
      counts.merge(opType, 1, Integer::sum);
    }

    private void attribute(int start, int end, int depth) {
      pos = start;
      while (pos < end) {
        long key = varint(end);
        int field = (int) (key >>> 3);
        int wire = (int) (key & 7);
        if ((field == 6 || field == 11) && wire == 2) {
          int len = length(end);
          int next = pos + len;
          graph(pos, next, depth + 1);
          pos = next;
        } else {
          skip(wire, end);
        }
      }
    }

    private void skip(int wire, int end) {
      switch (wire) {
        case 0 -> varint(end);
        case 1 -> advance(8, end);
        case 2 -> advance(length(end), end);
        case 5 -> advance(4, end);
        default -> throw malformed("wire type " + wire + " at byte " + pos);
      }
    }

    private void advance(int n, int end) {
      if (n > end - pos) {
        throw malformed("a field of " + n + " bytes at byte " + pos + " runs past byte " + end);
      }
      pos += n;
    }

    private int length(int end) {
      int at = pos;
      long len = varint(end);
      if (len > end - pos) {
        throw malformed("a length of " + len + " at byte " + at + " runs past byte " + end);
      }
      return (int) len;
    }

    private long varint(int end) {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw malformed("a varint cut off at byte " + pos);
        }
        byte b = bytes[pos++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw malformed("a varint longer than 10 bytes ending at byte " + pos);
    }

    private IllegalArgumentException malformed(String what) {
      return new IllegalArgumentException(
          "cannot read the graph of ONNX model " + name + ": " + what + "; expected a ModelProto");
    }
  }
}
