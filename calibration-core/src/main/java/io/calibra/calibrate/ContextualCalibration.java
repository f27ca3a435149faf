package io.calibra.calibrate;

import io.calibra.backend.ContentFreeCache;
import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Contextual calibration (Zhao et al. 2021, "Calibrate Before Use: Improving Few-Shot Performance
 * of Language Models", ICML).
 *
 * <p>The model is asked about content-free inputs ("N/A", "", "[MASK]" by default) in the same
 * prompt; {@code p_cf = normalise(mean of their label distributions)} estimates its label bias. The
 * default diagonal form maps {@code p} to {@code q = normalise(p / p_cf)} (W = diag(p_cf)^-1, b =
 * 0, renormalised), so {@code p_cf} itself maps to the uniform distribution. The subtractive form
 * (W = I, b = -p_cf) returns {@code softmax(p - p_cf)}, whose argmax is the decision rule of the
 * paper's affine variant.
 *
 * <p>A {@code p_cf} entry that is zero (a label the model never gives on content-free inputs)
 * cannot be divided by and is an {@link IllegalArgumentException} naming the label.
 */
public final class ContextualCalibration {
  /** The content-free inputs of Zhao et al.: {@code "N/A"}, {@code ""} and {@code "[MASK]"}. */
  public static final List<String> DEFAULT_CONTENT_FREE_INPUTS = List.of("N/A", "", "[MASK]");

  /** How the content-free estimate corrects a distribution. */
  public enum Form {
    /** {@code q = normalise(p / p_cf)}: W = diag(p_cf)^-1, b = 0. The default. */
    DIAGONAL,
    /** {@code q = softmax(p - p_cf)}: W = I, b = -p_cf; for decisions. */
    SUBTRACTIVE
  }

  private ContextualCalibration() {}

  /**
   * The content-free estimate: {@code p_cf = normalise(mean of the distributions)}.
   *
   * @throws IllegalArgumentException if the list is empty or mixes label sets
   */
  public static LabelDistribution estimateBias(List<LabelDistribution> contentFree) {
    return BiasEstimates.mean(contentFree, "contextual calibration");
  }

  /** The diagonal calibrator for the content-free distributions' mean. */
  public static Calibrator fit(List<LabelDistribution> contentFree) {
    return fromBias(estimateBias(contentFree), Form.DIAGONAL);
  }

  /** The calibrator of the given form for the content-free distributions' mean. */
  public static Calibrator fit(List<LabelDistribution> contentFree, Form form) {
    return fromBias(estimateBias(contentFree), form);
  }

  /**
   * The calibrator of the given form for a known {@code p_cf}.
   *
   * @throws IllegalArgumentException if a diagonal form's {@code p_cf} has a zero entry (naming the
   *     label)
   */
  public static Calibrator fromBias(LabelDistribution pcf, Form form) {
    Objects.requireNonNull(pcf, "pcf");
    Objects.requireNonNull(form, "form");
    return form == Form.DIAGONAL
        ? new DiagonalBiasCorrection(CalibrationMethod.CONTEXTUAL, pcf)
        : new SubtractiveBiasCorrection(pcf);
  }

  /**
   * The calibrator of the given form for {@code p_cf} given as an array in label order, kept
   * exactly (no renormalisation), as when loading a saved calibrator.
   *
   * @throws IllegalArgumentException if an entry is NaN, negative or over one, the sum is not one
   *     within 1e-6, or (diagonal form) an entry is zero, naming the label
   */
  public static Calibrator fromBias(LabelSet labels, double[] pcf, Form form) {
    Objects.requireNonNull(form, "form");
    return form == Form.DIAGONAL
        ? new DiagonalBiasCorrection(CalibrationMethod.CONTEXTUAL, labels, pcf)
        : new SubtractiveBiasCorrection(labels, pcf);
  }

  /**
   * Queries {@code scorer} with the default content-free inputs rendered by {@code template} and
   * fits the diagonal form.
   */
  public static Calibrator fit(Scorer scorer, PromptTemplate template) {
    return fit(contentFreeDistributions(scorer, template, DEFAULT_CONTENT_FREE_INPUTS));
  }

  /**
   * The label distributions of {@code contentFreeInputs}, each rendered by {@code template} and
   * scored by {@code scorer} in one batch.
   *
   * @throws IllegalArgumentException if there are no inputs
   */
  public static List<LabelDistribution> contentFreeDistributions(
      Scorer scorer, PromptTemplate template, List<String> contentFreeInputs) {
    return contentFreeDistributions(scorer, template, contentFreeInputs, new ContentFreeCache());
  }

  /**
   * As {@link #contentFreeDistributions(Scorer, PromptTemplate, List)}, through {@code cache}: the
   * model is queried only for (model, template, labels, inputs) it has not seen.
   */
  public static List<LabelDistribution> contentFreeDistributions(
      Scorer scorer,
      PromptTemplate template,
      List<String> contentFreeInputs,
      ContentFreeCache cache) {
    if (contentFreeInputs.isEmpty()) {
      throw new IllegalArgumentException("expected at least one content-free input; found none");
    }
    List<LabelScores> scores = cache.scores(scorer, template, contentFreeInputs);
    List<LabelDistribution> out = new ArrayList<>(scores.size());
    for (LabelScores s : scores) {
      out.add(s.toDistribution());
    }
    return out;
  }
}
