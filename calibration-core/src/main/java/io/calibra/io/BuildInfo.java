package io.calibra.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts the build writes into {@code calibra-build.properties}: the library's version. */
final class BuildInfo {
  /** This library's Maven version, such as {@code 0.1.0-SNAPSHOT}. */
  static final String VERSION = read().getProperty("version");

  private BuildInfo() {}

  private static Properties read() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("calibra-build.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "calibra-build.properties is missing from calibration-core");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read calibra-build.properties", e);
    }
    String v = p.getProperty("version");
    if (v == null || v.isBlank() || v.startsWith("${")) {
      throw new IllegalStateException("calibra-build.properties holds no built version: " + v);
    }
    return p;
  }
}
