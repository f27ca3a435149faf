package io.calibra.backend.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
   * What calibra reads from a model's graph: the number of nodes of each operator type (subgraphs
   * and functions included, sorted by name) and the files its initializers keep their data in
   * ({@code TensorProto.external_data} entries with key {@code location}; empty when the weights
   * are inside the model file).
   */
  record Graph(Map<String, Integer> operators, Set<String> externalFiles) {}

  /**
   * The number of nodes of each operator type in {@code model}, subgraphs and functions included,
   * sorted by name.
   *
   * @throws IllegalArgumentException naming {@code modelName} and the byte offset if the bytes are
   *     not a well-formed protobuf message
   */
  static Map<String, Integer> count(String modelName, byte[] model) {
    return read(modelName, model).operators();
  }

  /** The graph facts of a model given as bytes. */
  static Graph read(String modelName, byte[] model) {
    return read(modelName, new Bytes.InMemory(model));
  }

  /**
   * The graph facts of a model file, read through a small window that moves forward: the weights
   * the reader skips are never read, so a large model costs neither heap nor resident memory.
   *
   * @throws IllegalArgumentException naming the file if it is over 2 GB (the protobuf limit: larger
   *     models keep their weights in external data) or malformed
   */
  static Graph read(String modelName, FileChannel model) throws IOException {
    long size = model.size();
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "ONNX model "
              + modelName
              + " is "
              + size
              + " bytes; a protobuf graph holds at most 2 GB (larger models keep their weights in"
              + " external data files beside model.onnx)");
    }
    return read(modelName, new Bytes.Windowed(model, (int) size));
  }

  private static Graph read(String modelName, Bytes bytes) {
    Map<String, Integer> counts = new TreeMap<>();
    Set<String> files = new TreeSet<>();
    new Reader(modelName, bytes, counts, files).model(0, bytes.size());
    return new Graph(counts, files);
  }

  /** The nodes of {@code counts} that quantise dynamically, by operator type; empty if none. */
  static Map<String, Integer> dynamicQuantization(Map<String, Integer> counts) {
    Map<String, Integer> out = new TreeMap<>(counts);
    out.keySet().retainAll(DYNAMIC_QUANTIZATION);
    return out;
  }

  /** A protobuf wire-format reader over one buffer, with bounds checked at every step. */
  private static final class Reader {
    private final String name;
    private final Bytes bytes;
    private final Map<String, Integer> counts;
    private final Set<String> files;
    private int pos;

    Reader(String name, Bytes bytes, Map<String, Integer> counts, Set<String> files) {
      this.name = name;
      this.bytes = bytes;
      this.counts = counts;
      this.files = files;
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
          int at = pos;
          graph(at, next, 1);
          initializers(at, next);
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

    /**
     * Reads the external-data locations of the initializers (field 5) of the graph at [start, end).
     */
    private void initializers(int start, int end) {
      pos = start;
      while (pos < end) {
        long key = varint(end);
        int field = (int) (key >>> 3);
        int wire = (int) (key & 7);
        if (field == 5 && wire == 2) {
          int len = length(end);
          int next = pos + len;
          tensor(pos, next);
          pos = next;
        } else {
          skip(wire, end);
        }
      }
    }

    /** Reads a TensorProto's external_data entries (field 13: key 1, value 2). */
    private void tensor(int start, int end) {
      pos = start;
      while (pos < end) {
        long key = varint(end);
        int field = (int) (key >>> 3);
        int wire = (int) (key & 7);
        if (field == 13 && wire == 2) {
          int len = length(end);
          int next = pos + len;
          String entryKey = null;
          String entryValue = null;
          while (pos < next) {
            long k = varint(next);
            if ((k >>> 3) == 1 && (k & 7) == 2) {
              entryKey = string(length(next));
            } else if ((k >>> 3) == 2 && (k & 7) == 2) {
              entryValue = string(length(next));
            } else {
              skip((int) (k & 7), next);
            }
          }
          if ("location".equals(entryKey) && entryValue != null) {
            files.add(entryValue);
          }
          pos = next;
        } else {
          skip(wire, end);
        }
      }
    }

    private String string(int len) {
      byte[] utf8 = new byte[len];
      bytes.copy(pos, utf8);
      pos += len;
      return new String(utf8, StandardCharsets.UTF_8);
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
          opType = string(length(end));
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
        byte b = bytes.at(pos++);
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

  /** Random access to a model's bytes, forward-moving in practice. */
  private abstract static class Bytes {
    abstract int size();

    abstract byte at(int pos);

    abstract void copy(int pos, byte[] into);

    static final class InMemory extends Bytes {
      private final byte[] bytes;

      InMemory(byte[] bytes) {
        this.bytes = bytes;
      }

      @Override
      int size() {
        return bytes.length;
      }

      @Override
      byte at(int pos) {
        return bytes[pos];
      }

      @Override
      void copy(int pos, byte[] into) {
        System.arraycopy(bytes, pos, into, 0, into.length);
      }
    }

    /** A file read through a 64 KiB window, refilled when a read falls outside it. */
    static final class Windowed extends Bytes {
      private final FileChannel channel;
      private final int size;
      private final ByteBuffer window = ByteBuffer.allocate(1 << 16);
      private long windowStart = -1;

      Windowed(FileChannel channel, int size) {
        this.channel = channel;
        this.size = size;
      }

      @Override
      int size() {
        return size;
      }

      @Override
      byte at(int pos) {
        if (windowStart < 0 || pos < windowStart || pos >= windowStart + window.limit()) {
          fill(pos);
        }
        return window.get((int) (pos - windowStart));
      }

      @Override
      void copy(int pos, byte[] into) {
        for (int i = 0; i < into.length; i++) {
          into[i] = at(pos + i);
        }
      }

      private void fill(int pos) {
        window.clear();
        try {
          while (window.hasRemaining()) {
            if (channel.read(window, pos + window.position()) < 0) {
              break;
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the model at byte " + pos, e);
        }
        window.flip();
        windowStart = pos;
      }
    }
  }
}
