package io.calibra.cli;

import io.calibra.backend.LabelScores;
import io.calibra.backend.ScoreKind;
import io.calibra.calibrate.Calibrator;
import io.calibra.calibrate.ContextualCalibration;
import io.calibra.calibrate.MethodFit;
import io.calibra.cli.options.OptionRules;
import io.calibra.io.DataFileException;
import io.calibra.io.ScoreFormat;
import io.calibra.io.ScoreRow;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --pcf raw-mass|normalised}: how contextual and domain-context calibration estimate their
 * bias from a content-free score file. The default is raw-mass for {@code --scores logprob} and
 * normalised for logits and probabilities, which have no raw mass.
 */
final class PcfOption {
  private PcfOption() {}

  /** The rule {@code pcf} (given with {@code --pcf}), or the default for {@code format} (null). */
  static ContextualCalibration.Rule rule(ContextualCalibration.Rule pcf, ScoreFormat format) {
    if (pcf != null) {
      return pcf;
    }
    return format == ScoreFormat.LOGPROB
        ? ContextualCalibration.Rule.RAW_MASS
        : ContextualCalibration.Rule.NORMALISED;
  }

  /** Declares that raw-mass needs log-probabilities, the only scores with a raw mass. */
  static OptionRules declare(
      OptionRules rules, ContextualCalibration.Rule pcf, ScoreFormat format) {
    return rules.require(
        pcf != ContextualCalibration.Rule.RAW_MASS || format == ScoreFormat.LOGPROB,
        "--pcf raw-mass needs --scores logprob (the label words' raw probabilities); found"
            + " --scores "
            + format.name().toLowerCase(java.util.Locale.ROOT)
            + ", which has no raw mass: use --pcf normalised");
  }

  /**
   * Fits a contextual method on the content-free rows with {@code rule}: raw-mass from the rows'
   * log-probabilities, normalised from their distributions.
   *
   * @throws DataFileException naming {@code rows}' file if the fit fails (a zero bias entry)
   */
  static Calibrator fit(
      MethodFit.ContentFreeRows fit, ScoreRows rows, ContextualCalibration.Rule rule) {
    try {
      return rule == ContextualCalibration.Rule.NORMALISED
          ? fit.fit(rows.distributions())
          : fit.fitScores(logProbabilities(rows), rule);
    } catch (DataFileException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new DataFileException(rows.file(), 0, 0, e.getMessage(), e);
    }
  }

  /** The rows' numbers as log-probabilities, each row checked as {@link LabelScores} checks. */
  static List<LabelScores> logProbabilities(ScoreRows rows) {
    List<LabelScores> out = new ArrayList<>(rows.rows().size());
    for (ScoreRow r : rows.rows()) {
      try {
        out.add(LabelScores.of(rows.labels(), ScoreKind.LOG_PROBABILITY, r.values()));
      } catch (IllegalArgumentException e) {
        throw new DataFileException(rows.file(), r.line(), 0, e.getMessage(), e);
      }
    }
    return out;
  }
}
