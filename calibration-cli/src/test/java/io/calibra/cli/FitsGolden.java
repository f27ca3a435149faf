package io.calibra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The scipy references of calibration-core's test resource golden/fits/fits.json (made by
 * make_fits.py next to it): vector and matrix scaling at the default lambda 1e-3, and batch
 * calibration, on the golden cases.
 */
final class FitsGolden {
  private static final JsonNode ROOT = load();

  private FitsGolden() {}

  /**
   * The expected {@code nll} and first {@code probabilities} of {@code method} on {@code source}.
   */
  static JsonNode expected(String source, String method) {
    if (method.equals("batch")) {
      for (JsonNode b : ROOT.get("batch")) {
        if (b.get("source").asText().equals(source)) {
          return b;
        }
      }
    } else {
      for (JsonNode c : ROOT.get("cases")) {
        if (c.get("source").asText().equals(source)
            && c.get("method").asText().equals(method)
            && c.get("lambda").asDouble() == 1e-3) {
          return c;
        }
      }
    }
    throw new IllegalStateException("no golden fit for " + method + " on " + source);
  }

  private static JsonNode load() {
    try (InputStream in = FitsGolden.class.getResourceAsStream("/golden/fits/fits.json")) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /golden/fits/fits.json");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
