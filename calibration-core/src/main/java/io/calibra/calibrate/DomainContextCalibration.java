package io.calibra.calibrate;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.internal.Checks;
import io.calibra.label.LabelDistribution;
import io.calibra.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Domain-context calibration (Fei et al. 2023, "Mitigating Label Biases for In-context Learning",
 * ACL).
 *
 * <p>Content-free inputs made of random in-domain words estimate the label bias that the domain's
 * vocabulary causes, which "N/A" cannot show. {@link #contentFreeInputs} draws, with a seeded
 * generator, each string's words uniformly (with repetition, so frequent words are drawn more
 * often) from the words of an unlabelled in-domain corpus, split on whitespace; by default 20
 * strings, each as many words long as the corpus' texts on average (rounded, at least one). The
 * bias is the renormalised mean of their label distributions and corrects like contextual
 * calibration's diagonal form: {@code q = normalise(p / bias)}.
 *
 * <p>On a language model's log-probabilities the bias is estimated by a {@link
 * ContextualCalibration.Rule} as contextual calibration's {@code p_cf} is: by default {@link
 * ContextualCalibration.Rule#RAW_MASS} for log-probabilities and {@link
 * ContextualCalibration.Rule#NORMALISED} otherwise; the rule is recorded and saved.
 */
public final class DomainContextCalibration {

  /**
   * Domain-context calibration's fitting: on random in-domain rows, with a p_cf rule for scores.
   */
  static final MethodFit.ContentFreeRows FIT =
      new MethodFit.ContentFreeRows(
          CalibrationMethod.DOMAIN_CONTEXT,
          DomainContextCalibration::fit,
          DomainContextCalibration::fit);

  /** Its saved stage: {@code bias}, and its p_cf rule. */
  static final StageFormat FORMAT =
      new StageFormat((labels, p) -> fromBias(labels, p.required("bias"), p.rule()), "bias");

  /** The default number of random in-domain strings: 20, as in Fei et al. */
  public static final int DEFAULT_COUNT = 20;

  private DomainContextCalibration() {}

  /**
   * {@code count} random strings of the corpus' words, each of the corpus' mean length in words.
   *
   * @throws IllegalArgumentException if the corpus has no words or {@code count < 1}
   */
  public static List<String> contentFreeInputs(List<String> corpus, int count, long seed) {
    Checks.notNull(corpus, "corpus");
    Checks.argument(count >= 1, "count is %s; expected at least 1", count);
    Checks.argument(
        !corpus.isEmpty(), "domain-context calibration needs an in-domain corpus; found no texts");
    List<String> words = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      String text = corpus.get(i);
      if (text == null) {
        throw new IllegalArgumentException("corpus text " + i + " is null");
      }
      for (String w : text.trim().split("\\s+")) {
        if (!w.isEmpty()) {
          words.add(w);
        }
      }
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException(
          "domain-context calibration needs in-domain words; the "
              + corpus.size()
              + " corpus texts are all blank");
    }
    int length = (int) Math.max(1, Math.round((double) words.size() / corpus.size()));
    Random random = new Random(seed);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < length; j++) {
        if (j > 0) {
          sb.append(' ');
        }
        sb.append(words.get(random.nextInt(words.size())));
      }
      out.add(sb.toString());
    }
    return out;
  }

  /**
   * The calibrator for the label distributions of random in-domain strings.
   *
   * @throws IllegalArgumentException if the list is empty, mixes label sets, or the bias has a zero
   *     entry (naming the label)
   */
  public static Calibrator fit(List<LabelDistribution> randomInDomainDistributions) {
    return new DiagonalBiasCorrection(
        CalibrationMethod.DOMAIN_CONTEXT,
        BiasEstimates.mean(randomInDomainDistributions, "domain-context calibration"),
        ContextualCalibration.Rule.NORMALISED);
  }

  /**
   * The calibrator for the raw scores of random in-domain strings, with the bias estimated by
   * {@code rule}.
   *
   * @throws IllegalArgumentException if the list is empty, mixes label sets or kinds, {@code rule}
   *     is raw mass on logits, or the bias has a zero entry (naming the label)
   */
  public static Calibrator fit(
      List<LabelScores> randomInDomainScores, ContextualCalibration.Rule rule) {
    return new DiagonalBiasCorrection(
        CalibrationMethod.DOMAIN_CONTEXT,
        ContextualCalibration.estimateBias(
            randomInDomainScores, rule, "domain-context calibration"),
        rule);
  }

  /**
   * As {@link #fromBias(io.calibra.label.LabelSet, double[])}, recording the rule the bias was
   * estimated with.
   */
  public static Calibrator fromBias(
      io.calibra.label.LabelSet labels, double[] bias, ContextualCalibration.Rule rule) {
    java.util.Objects.requireNonNull(rule, "rule");
    return new DiagonalBiasCorrection(CalibrationMethod.DOMAIN_CONTEXT, labels, bias, rule);
  }

  /**
   * The calibrator for a known bias (for example one loaded from a file).
   *
   * @throws IllegalArgumentException if the bias has a zero entry (naming the label)
   */
  public static Calibrator fromBias(LabelDistribution bias) {
    return new DiagonalBiasCorrection(
        CalibrationMethod.DOMAIN_CONTEXT, bias, ContextualCalibration.Rule.NORMALISED);
  }

  /**
   * The calibrator for a known bias given as an array in label order, kept exactly (no
   * renormalisation), as when loading a saved calibrator.
   *
   * @throws IllegalArgumentException if an entry is NaN, zero, negative or over one, or the sum is
   *     not one within 1e-6, naming the label
   */
  public static Calibrator fromBias(io.calibra.label.LabelSet labels, double[] bias) {
    return fromBias(labels, bias, ContextualCalibration.Rule.NORMALISED);
  }

  /**
   * Draws {@link #DEFAULT_COUNT} random in-domain strings from {@code corpus}, renders them with
   * {@code template}, scores them with {@code scorer} and fits with the default rule for the
   * scorer's kind.
   */
  public static Calibrator fit(
      Scorer scorer, PromptTemplate template, List<String> corpus, long seed) {
    Checks.notNull(scorer, "scorer");
    Checks.notNull(template, "template");
    List<String> inputs = contentFreeInputs(corpus, DEFAULT_COUNT, seed);
    return fit(
        ContextualCalibration.contentFreeScores(
            scorer, template, inputs, new io.calibra.backend.ContentFreeCache()),
        ContextualCalibration.Rule.defaultFor(scorer.kind()));
  }
}
