package io.calibra.backend.onnx;

import io.calibra.label.LabelSet;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The closed formulas behind the exact-logit fixtures (src/test/fixtures/make_exact_graphs.py),
 * from which tests compute expected label log-probabilities by hand.
 */
final class ExactFixtures {
  static final List<String> VOCAB =
      List.of(
          "<pad>",
          "<bos>",
          "[MASK]",
          "the",
          "movie",
          "was",
          "great",
          "terrible",
          "bad",
          "good",
          ":",
          "review",
          "sentiment",
          "[UNK]",
          "very",
          "ok");
  static final int V = VOCAB.size();

  /** negative: " terrible" | " bad"; positive: " great" | " very good" (two tokens). */
  static final LabelSet LABELS =
      LabelSet.builder()
          .add("negative", " terrible", " bad")
          .add("positive", " great", " very good")
          .build();

  private ExactFixtures() {}

  static double w(int i, int j) {
    return ((7 * i + 3 * j) % 11) / 4.0 - 1;
  }

  static double q(int p, int j) {
    return ((5 * p + 2 * j) % 7) / 8.0;
  }

  static double e(int i, int l) {
    return ((3 * i + 5 * l) % 13) / 6.0 - 1;
  }

  static int id(String token) {
    return VOCAB.indexOf(token);
  }

  /** log-softmax over the vocabulary of row {@code logits}, at {@code token}. */
  static double logSoftmax(double[] logits, int token) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : logits) {
      sum += Math.exp(v - max);
    }
    return logits[token] - max - Math.log(sum);
  }

  static double[] tokenRow(int token, int position, boolean withPosition) {
    double[] row = new double[V];
    for (int j = 0; j < V; j++) {
      row[j] = (float) ((float) w(token, j) + (withPosition ? (float) q(position, j) : 0f));
    }
    return row;
  }

  static double logAddExp(double a, double b) {
    double m = Math.max(a, b);
    return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
  }

  static Path folder(String name) {
    try {
      return Paths.get(ExactFixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static ModelSource source(String name) {
    return ModelSource.directory(folder(name));
  }
}
