package io.calibra.backend.onnx;

import java.lang.reflect.Field;

/**
 * Keeps DJL's start-up quiet: its GPU probe on machines without a usable GPU, and its note of the
 * native library it found.
 *
 * <p>Loading DJL's tokenizer library asks {@code ai.djl.util.cuda.CudaUtils} for the GPU count.
 * Where a CUDA runtime is installed but no driver or device answers, DJL logs "Failed to detect GPU
 * count" as a warning, twice, on every start, although calibra never uses a GPU for tokenising. DJL
 * has a switch for this, the static {@code logging} flag its own command-line probe turns off; this
 * class turns it off the same way before the first tokenizer loads. The count DJL computes is
 * unchanged (0 without a device), so the platform it picks is the same. If a later DJL renames the
 * flag, the warning comes back and a debug line says why; nothing else changes.
 *
 * <p>DJL also says at INFO, on every start, which native tokenizer library it found ({@code
 * ai.djl.util.Platform}). Where DJL's SLF4J logging goes to java.util.logging (slf4j-jdk14, see
 * docs/logging.md), that logger is set to WARNING unless the application gave it a level of its
 * own, so that an application with default settings sees calibra's notes and nothing else.
 */
final class DjlStartup {
  private static final System.Logger LOG = System.getLogger(DjlStartup.class.getName());
  private static volatile boolean done;

  /** DJL's platform logger; kept here because java.util.logging holds loggers weakly. */
  private static final java.util.logging.Logger PLATFORM =
      java.util.logging.Logger.getLogger("ai.djl.util.Platform");

  private DjlStartup() {}

  /**
   * Turns DJL's GPU-probe warnings and platform note off, once per JVM; safe to call from any
   * thread.
   */
  static void quiet() {
    if (done) {
      return;
    }
    synchronized (DjlStartup.class) {
      if (done) {
        return;
      }
      done = true;
      if (PLATFORM.getLevel() == null) {
        PLATFORM.setLevel(java.util.logging.Level.WARNING);
      }
      try {
        Class<?> cuda = Class.forName("ai.djl.util.cuda.CudaUtils");
        Field logging = cuda.getDeclaredField("logging");
        logging.setAccessible(true);
        logging.setBoolean(null, false);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "could not quiet DJL's GPU probe; its warnings may appear",
            e);
      }
    }
  }
}
