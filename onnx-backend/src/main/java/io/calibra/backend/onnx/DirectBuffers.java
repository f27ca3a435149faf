package io.calibra.backend.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct float buffers handed to ONNX Runtime as inputs and pinned outputs, kept for reuse. A
 * direct buffer's native memory is freed only when the garbage collector finds the buffer
 * unreachable, which a large heap may put off for many model runs: buffers allocated per run then
 * pile up (hundreds of MB for a language model's logits). Reusing them keeps native memory at what
 * the largest concurrent runs need. Thread-safe: each buffer is lent to one caller at a time.
 */
final class DirectBuffers {
  /** Bytes held by free buffers at most; larger returns are dropped for the collector. */
  private static final long MAX_FREE_BYTES = 512L << 20;

  private final List<ByteBuffer> free = new ArrayList<>();
  private long freeBytes;

  /** Buffers lent to one model run, given back together by {@link #close}. */
  final class Lease implements AutoCloseable {
    private final List<ByteBuffer> lent = new ArrayList<>();

    /**
     * A native-order float buffer of exactly {@code floats} floats, valid until this lease is
     * closed.
     *
     * @throws IllegalStateException if {@code floats} is over what one buffer can hold (2 GB)
     */
    FloatBuffer floats(long floats) {
      ByteBuffer owner = acquire(floats);
      lent.add(owner);
      return owner.slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public void close() {
      release(lent);
      lent.clear();
    }
  }

  /** A new lease; close it when the tensors over its buffers are closed. */
  Lease lease() {
    return new Lease();
  }

  private ByteBuffer acquire(long floats) {
    if (floats > Integer.MAX_VALUE / 4) {
      throw new IllegalStateException(
          "a model run needs " + floats + " floats in one buffer; use a smaller batch size");
    }
    int bytes = (int) floats * 4;
    ByteBuffer chosen = null;
    synchronized (this) {
      int best = -1;
      for (int i = 0; i < free.size(); i++) {
        int capacity = free.get(i).capacity();
        if (capacity >= bytes && (best < 0 || capacity < free.get(best).capacity())) {
          best = i;
        }
      }
      if (best >= 0) {
        chosen = free.remove(best);
        freeBytes -= chosen.capacity();
      }
    }
    if (chosen == null) {
      chosen = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
    chosen.clear().limit(bytes);
    return chosen;
  }

  private synchronized void release(List<ByteBuffer> buffers) {
    for (ByteBuffer owner : buffers) {
      if (freeBytes + owner.capacity() <= MAX_FREE_BYTES) {
        free.add(owner);
        freeBytes += owner.capacity();
      }
    }
  }
}
