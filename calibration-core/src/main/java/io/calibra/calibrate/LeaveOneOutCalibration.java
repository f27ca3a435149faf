package io.calibra.calibrate;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.prompt.Demonstration;
import io.calibra.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Leave-one-out contextual calibration (Reif and Schwartz 2024, "Beyond Performance: Quantifying
 * and Mitigating Label Bias in LLMs", NAACL): the model's label bias is estimated on the
 * demonstrations themselves, with no content-free input and no labelled data beyond them.
 *
 * <p>For each demonstration j, the prompt of the other k-1 demonstrations is given demonstration
 * j's text as the input ({@link #prompts}); its label distribution is scored. The bias is the
 * class-balanced mean of these distributions: the mean over the demonstrations of each label, then
 * the mean over the labels that have demonstrations, renormalised ({@link #estimateBias}). It
 * corrects as contextual calibration's diagonal form: {@code q = normalise(p / bias)}.
 */
public final class LeaveOneOutCalibration {

  /** Leave-one-out calibration's fitting: on the demonstrations' leave-one-out rows. */
  static final MethodFit.Demonstrations FIT =
      new MethodFit.Demonstrations(
          CalibrationMethod.LEAVE_ONE_OUT, data -> fit(data.distributions(), data.goldArray()));

  /** Its saved stage: {@code bias}. */
  static final StageFormat FORMAT =
      new StageFormat((labels, p) -> fromBias(labels, p.required("bias")), "bias");

  /** The method name in files and on the command line. */
  public static final String METHOD = "leave-one-out";

  private LeaveOneOutCalibration() {}

  /**
   * The k leave-one-out prompts of {@code template}'s k demonstrations, in demonstration order:
   * prompt j is the template without demonstration j, rendered with demonstration j's text.
   *
   * @throws IllegalArgumentException if the template has fewer than two demonstrations
   */
  public static List<String> prompts(PromptTemplate template) {
    List<Demonstration> demos = template.demonstrations();
    if (demos.size() < 2) {
      throw new IllegalArgumentException(
          "leave-one-out calibration needs a template with at least 2 demonstrations; found "
              + demos.size());
    }
    List<String> out = new ArrayList<>(demos.size());
    for (int j = 0; j < demos.size(); j++) {
      PromptTemplate.Builder b =
          PromptTemplate.builder(template.labels())
              .instruction(template.instruction())
              .inputPrefix(template.inputPrefix())
              .inputAnswerSeparator(template.inputAnswerSeparator())
              .answerPrefix(template.answerPrefix())
              .demonstrationSeparator(template.demonstrationSeparator());
      for (int i = 0; i < demos.size(); i++) {
        if (i != j) {
          b.demonstration(demos.get(i).text(), demos.get(i).label());
        }
      }
      out.add(b.build().render(demos.get(j).text()));
    }
    return out;
  }

  /** The label index of each of {@code template}'s demonstrations, in order. */
  public static int[] demonstrationLabels(PromptTemplate template) {
    List<Demonstration> demos = template.demonstrations();
    int[] out = new int[demos.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = template.labels().indexOf(demos.get(j).label()).orElseThrow();
    }
    return out;
  }

  /**
   * Scores the leave-one-out prompts of {@code template} with {@code scorer}, in one batch.
   *
   * @throws IllegalArgumentException if the template has fewer than two demonstrations
   */
  public static List<LabelScores> scores(Scorer scorer, PromptTemplate template) {
    return scorer.scoreAll(prompts(template), template.labels());
  }

  /**
   * The class-balanced bias: for each label among {@code labels}, the mean of the distributions
   * whose demonstration has that label; then the mean of those means, renormalised.
   *
   * @param distributions the leave-one-out distributions, one per demonstration
   * @param labels each demonstration's label index
   * @throws IllegalArgumentException if the lists are empty or of different lengths, a distribution
   *     is null or over another label set, or a label index is out of range
   */
  public static LabelDistribution estimateBias(
      List<LabelDistribution> distributions, int[] labels) {
    Objects.requireNonNull(labels, "labels");
    if (distributions == null || distributions.isEmpty()) {
      throw new IllegalArgumentException(
          "leave-one-out calibration needs at least one distribution; found none");
    }
    if (distributions.size() != labels.length) {
      throw new IllegalArgumentException(
          "leave-one-out calibration has "
              + distributions.size()
              + " distributions and "
              + labels.length
              + " demonstration labels; expected one label per distribution");
    }
    LabelSet set = distributions.get(0).labels();
    int k = set.size();
    double[][] sums = new double[k][k];
    int[] counts = new int[k];
    for (int j = 0; j < labels.length; j++) {
      LabelDistribution d = distributions.get(j);
      if (d == null) {
        throw new IllegalArgumentException(
            "leave-one-out calibration: distribution " + j + " is null");
      }
      set.requireSame(d.labels(), "leave-one-out distribution " + j);
      if (labels[j] < 0 || labels[j] >= k) {
        throw new IllegalArgumentException(
            "leave-one-out demonstration "
                + j
                + " has label index "
                + labels[j]
                + "; expected 0.."
                + (k - 1));
      }
      counts[labels[j]]++;
      for (int c = 0; c < k; c++) {
        sums[labels[j]][c] += d.probability(c);
      }
    }
    double[] bias = new double[k];
    for (int l = 0; l < k; l++) {
      if (counts[l] > 0) {
        for (int c = 0; c < k; c++) {
          bias[c] += sums[l][c] / counts[l];
        }
      }
    }
    return LabelDistribution.normalise(set, bias);
  }

  /**
   * The calibrator for the leave-one-out distributions and their demonstrations' labels.
   *
   * @throws IllegalArgumentException as {@link #estimateBias}, or if the bias has a zero entry
   *     (naming the label)
   */
  public static Calibrator fit(List<LabelDistribution> distributions, int[] labels) {
    return new DiagonalBiasCorrection(
        CalibrationMethod.LEAVE_ONE_OUT, estimateBias(distributions, labels));
  }

  /**
   * Scores {@code template}'s leave-one-out prompts with {@code scorer} and fits.
   *
   * @throws IllegalArgumentException if the template has fewer than two demonstrations
   */
  public static Calibrator fit(Scorer scorer, PromptTemplate template) {
    List<LabelScores> scores = scores(scorer, template);
    List<LabelDistribution> d = new ArrayList<>(scores.size());
    for (LabelScores s : scores) {
      d.add(s.toDistribution());
    }
    return fit(d, demonstrationLabels(template));
  }

  /**
   * The calibrator for a known bias given as an array in label order, kept exactly, as when loading
   * a saved calibrator.
   *
   * @throws IllegalArgumentException if an entry is NaN, zero, negative or over one, or the sum is
   *     not one within 1e-6, naming the label
   */
  public static Calibrator fromBias(LabelSet labels, double[] bias) {
    return new DiagonalBiasCorrection(CalibrationMethod.LEAVE_ONE_OUT, labels, bias);
  }
}
