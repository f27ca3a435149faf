package io.calibra.calibrate;

import io.calibra.backend.LabelScores;
import io.calibra.backend.Scorer;
import io.calibra.backend.TextSampler;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Generative calibration (Jiang et al. 2023, "Generative Calibration for In-context Learning",
 * Findings of EMNLP): the model's label marginal is estimated on inputs the model itself writes.
 *
 * <p>M inputs are sampled from the language model given the demonstrations, that is the prompt up
 * to the input slot ({@link #inputSlotPrefix}), each stopping at the template's input-answer
 * separator or a token limit; each is rendered by the template and scored; {@code p_gen =
 * normalise(mean of their distributions)}, and {@code q = normalise(p / p_gen)}.
 */
public final class GenerativeCalibration {

  /** Generative calibration's fitting: on the rows of inputs sampled from the model. */
  static final MethodFit.SampledInputs FIT =
      new MethodFit.SampledInputs(CalibrationMethod.GENERATIVE, GenerativeCalibration::fit);

  /** Its saved stage: {@code bias}. */
  static final StageFormat FORMAT =
      new StageFormat((labels, p) -> fromBias(labels, p.required("bias")), "bias");

  /** The method name in files and on the command line. */
  public static final String METHOD = "generative";

  /** The default number of sampled inputs. */
  public static final int DEFAULT_SAMPLES = 20;

  /** The default token limit of a sampled input. */
  public static final int DEFAULT_MAX_TOKENS = 32;

  private GenerativeCalibration() {}

  /**
   * The prompt up to the input slot: what {@code template} renders before an input, so that {@code
   * template.render(x)} is {@code inputSlotPrefix(template) + x + inputAnswerSeparator +
   * answerPrefix}.
   */
  public static String inputSlotPrefix(PromptTemplate template) {
    String empty = template.render("");
    String tail = template.inputAnswerSeparator() + template.answerPrefix();
    String prefix = empty.substring(0, empty.length() - tail.length());
    String probe = "\u0000";
    if (!template.render(probe).equals(prefix + probe + tail)) {
      throw new IllegalStateException("the template does not render as prefix + input + suffix");
    }
    return prefix;
  }

  /**
   * {@code count} inputs sampled from {@code sampler} after the template's input-slot prefix,
   * stopping at its input-answer separator (or at {@code maxTokens}).
   *
   * @throws IllegalArgumentException if {@code count} or {@code maxTokens} is below 1
   * @throws IllegalStateException if the sampler returns another number of inputs
   */
  public static List<String> sampleInputs(
      TextSampler sampler, PromptTemplate template, int count, int maxTokens, long seed) {
    Objects.requireNonNull(sampler, "sampler");
    if (count < 1) {
      throw new IllegalArgumentException(
          "generative calibration samples " + count + " inputs; expected at least 1");
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException(
          "generative calibration's token limit is " + maxTokens + "; expected at least 1");
    }
    String sep = template.inputAnswerSeparator();
    List<String> out =
        sampler.sample(
            inputSlotPrefix(template), sep.isEmpty() ? null : sep, maxTokens, count, seed);
    if (out == null || out.size() != count) {
      throw new IllegalStateException(
          "the sampler returned "
              + (out == null ? "null" : out.size() + " inputs")
              + "; expected "
              + count);
    }
    return List.copyOf(out);
  }

  /**
   * The calibrator for the sampled inputs' distributions: {@code p_gen = normalise(mean)}.
   *
   * @throws IllegalArgumentException if the list is empty, mixes label sets, or {@code p_gen} has a
   *     zero entry (naming the label)
   */
  public static Calibrator fit(List<LabelDistribution> sampledInputDistributions) {
    return new DiagonalBiasCorrection(
        CalibrationMethod.GENERATIVE,
        BiasEstimates.mean(sampledInputDistributions, "generative calibration"));
  }

  /**
   * Samples {@code count} inputs with {@code sampler}, renders them with {@code template}, scores
   * them with {@code scorer} and fits.
   */
  public static Calibrator fit(
      Scorer scorer,
      TextSampler sampler,
      PromptTemplate template,
      int count,
      int maxTokens,
      long seed) {
    List<String> inputs = sampleInputs(sampler, template, count, maxTokens, seed);
    List<LabelScores> scores =
        io.calibra.backend.Scorers.forTemplate(scorer, template)
            .scoreAll(template.renderAll(inputs), template.labels());
    List<LabelDistribution> d = new ArrayList<>(scores.size());
    for (LabelScores s : scores) {
      d.add(s.toDistribution());
    }
    return fit(d);
  }

  /**
   * The calibrator for a known {@code p_gen} in label order, kept exactly, as when loading a saved
   * calibrator.
   *
   * @throws IllegalArgumentException if an entry is NaN, zero, negative or over one, or the sum is
   *     not one within 1e-6, naming the label
   */
  public static Calibrator fromBias(LabelSet labels, double[] bias) {
    return new DiagonalBiasCorrection(CalibrationMethod.GENERATIVE, labels, bias);
  }
}
