package io.calibra.backend;

/**
 * A classifier a user already has: text in, one score per label out (in label order). Wrap it with
 * {@link Scorers#fromClassifier} to calibrate it.
 */
@FunctionalInterface
public interface TextClassifier {
  /** The scores of {@code text}, one per label, in label order. */
  double[] scores(String text);
}
