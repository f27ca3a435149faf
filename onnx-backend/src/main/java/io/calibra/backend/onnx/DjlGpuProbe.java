package io.calibra.backend.onnx;

import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps DJL's GPU probe quiet on machines without a usable GPU.
 *
 * <p>Loading DJL's tokenizer library asks {@code ai.djl.util.cuda.CudaUtils} for the GPU count.
 * Where a CUDA runtime is installed but no driver or device answers, DJL logs "Failed to detect GPU
 * count" as a warning, twice, on every start, although calibra never uses a GPU for tokenising. DJL
 * has a switch for this, the static {@code logging} flag its own command-line probe turns off; this
 * class turns it off the same way before the first tokenizer loads. The count DJL computes is
 * unchanged (0 without a device), so the platform it picks is the same. If a later DJL renames the
 * flag, the warning comes back and a debug line says why; nothing else changes.
 */
final class DjlGpuProbe {
  private static final Logger LOG = LoggerFactory.getLogger(DjlGpuProbe.class);
  private static volatile boolean done;

  private DjlGpuProbe() {}

  /** Turns DJL's GPU-probe warnings off, once per JVM; safe to call from any thread. */
  static void quiet() {
    if (done) {
      return;
    }
    synchronized (DjlGpuProbe.class) {
      if (done) {
        return;
      }
      done = true;
      try {
        Class<?> cuda = Class.forName("ai.djl.util.cuda.CudaUtils");
        Field logging = cuda.getDeclaredField("logging");
        logging.setAccessible(true);
        logging.setBoolean(null, false);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        LOG.debug("could not quiet DJL's GPU probe; its warnings may appear", e);
      }
    }
  }
}
