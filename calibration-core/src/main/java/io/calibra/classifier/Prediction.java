package io.calibra.classifier;

import io.calibra.label.LabelDistribution;

/**
 * One classified text.
 *
 * @param text the input text
 * @param calibrated the calibrated label distribution
 * @param raw the model's own label distribution, before calibration
 * @param abstained whether the classifier declines to answer (confidence below its threshold)
 */
public record Prediction(
    String text, LabelDistribution calibrated, LabelDistribution raw, boolean abstained) {

  /**
   * The predicted label's name (argmax of the calibrated distribution, ties to the lowest index).
   */
  public String label() {
    return calibrated.predictedLabel();
  }

  /** The calibrated probability of the predicted label. */
  public double confidence() {
    return calibrated.confidence();
  }
}
