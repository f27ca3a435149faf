package io.calibra.calibrate;

import io.calibra.internal.Checks;
import io.calibra.label.LabelDistribution;
import io.calibra.label.LabelSet;
import io.calibra.label.LabelledSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The candidates {@link MethodSelection} cross-validates: one per registered method, fitted as its
 * {@link CalibrationMethod#fitting()} says, and the usual set of them.
 */
final class Candidates {
  private Candidates() {}

  static MethodSelection.Candidate of(
      CalibrationMethod method, List<LabelDistribution> contentFree) {
    java.util.Objects.requireNonNull(method, "method");
    String name = method.methodName();
    return method
        .fitting()
        .accept(
            new MethodFit.Cases<MethodSelection.Candidate>() {
              @Override
              public MethodSelection.Candidate fixed(MethodFit.Fixed fit) {
                return new MethodSelection.Candidate(name, data -> fit.fit(data.labels()));
              }

              @Override
              public MethodSelection.Candidate labelledRows(MethodFit.LabelledRows fit) {
                return new MethodSelection.Candidate(name, fit::fit);
              }

              @Override
              public MethodSelection.Candidate contentFreeRows(MethodFit.ContentFreeRows fit) {
                if (contentFree == null || contentFree.isEmpty()) {
                  throw new IllegalArgumentException(
                      method + " needs content-free rows; found none");
                }
                Calibrator fitted = fit.fit(contentFree);
                return new MethodSelection.Candidate(name, data -> fitted);
              }

              @Override
              public MethodSelection.Candidate unlabelledRows(MethodFit.UnlabelledRows fit) {
                // a model of the rows themselves: fitted on the training folds (labels unused),
                // it applies to held-out rows like any other calibrator
                return new MethodSelection.Candidate(name, data -> fit.fit(data.distributions()));
              }

              @Override
              public MethodSelection.Candidate demonstrations(MethodFit.Demonstrations fit) {
                throw refused("the prompt's demonstrations");
              }

              @Override
              public MethodSelection.Candidate sampledInputs(MethodFit.SampledInputs fit) {
                throw refused("inputs sampled from the model");
              }

              @Override
              public MethodSelection.Candidate stages(MethodFit.Stages fit) {
                throw refused("other calibrators");
              }

              private IllegalArgumentException refused(String what) {
                return new IllegalArgumentException(
                    method + " cannot be cross-validated: it is fitted on " + what);
              }
            });
  }

  /** {@link MethodSelection#defaultCandidates}. */
  static List<MethodSelection.Candidate> defaults(
      LabelSet labels, List<LabelDistribution> contentFree) {
    java.util.Objects.requireNonNull(labels, "labels");
    List<MethodSelection.Candidate> out = new ArrayList<>();
    out.add(new MethodSelection.Candidate("none", data -> Calibrator.identity(labels)));
    for (CalibrationMethod m : CalibrationMethod.values()) {
      if (m.fitting(MethodFit.LabelledRows.class).isPresent() && m.appliesTo(labels)) {
        out.add(MethodSelection.Candidate.of(m, null));
      }
    }
    out.add(MethodSelection.Candidate.of(CalibrationMethod.PROTOTYPICAL, null));
    if (contentFree != null && !contentFree.isEmpty()) {
      Calibrator contextual = ContextualCalibration.DIAGONAL_FIT.fit(contentFree);
      out.add(
          new MethodSelection.Candidate(
              CalibrationMethod.CONTEXTUAL.methodName(), data -> contextual));
      out.add(
          new MethodSelection.Candidate(
              "contextual+temperature",
              data ->
                  contextual.andThen(
                      TemperatureScaling.fit(
                          LabelledSet.of(
                              contextual.applyAll(data.distributions()), data.goldArray())))));
    }
    return out;
  }

  /** {@link MethodSelection#defaultCandidatesFromScores}. */
  static List<MethodSelection.Candidate> defaultsFromScores(
      LabelSet labels, List<io.calibra.backend.LabelScores> contentFree) {
    java.util.Objects.requireNonNull(labels, "labels");
    java.util.Objects.requireNonNull(contentFree, "contentFree");
    if (contentFree.isEmpty()) {
      return defaults(labels, null);
    }
    List<LabelDistribution> distributions = new ArrayList<>(contentFree.size());
    for (io.calibra.backend.LabelScores s : contentFree) {
      Checks.notNull(s, "content-free score");
      labels.requireSame(s.labels(), "content-free score");
      distributions.add(s.toDistribution());
    }
    if (contentFree.get(0).kind() != io.calibra.backend.ScoreKind.LOG_PROBABILITY) {
      return defaults(labels, distributions);
    }
    List<MethodSelection.Candidate> out = defaults(labels, null);
    for (ContextualCalibration.Rule rule : ContextualCalibration.Rule.values()) {
      Calibrator contextual =
          ContextualCalibration.fit(contentFree, ContextualCalibration.Form.DIAGONAL, rule);
      String name = CalibrationMethod.CONTEXTUAL.methodName() + "/" + rule.id();
      out.add(new MethodSelection.Candidate(name, data -> contextual));
      out.add(
          new MethodSelection.Candidate(
              name + "+temperature",
              data ->
                  contextual.andThen(
                      TemperatureScaling.fit(
                          LabelledSet.of(
                              contextual.applyAll(data.distributions()), data.goldArray())))));
    }
    return out;
  }
}
