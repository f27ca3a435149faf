package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A scripted objective for optimiser tests: its n-th call (the first is call 0) returns {@code
 * script.apply(n, x)} = {value, gradient...}; it records every point it is asked for.
 */
final class ScriptedObjective implements Lbfgs.Objective {
  final List<double[]> points = new ArrayList<>();
  private final BiFunction<Integer, double[], double[]> script;

  ScriptedObjective(BiFunction<Integer, double[], double[]> script) {
    this.script = script;
  }

  /** Answers call n with responses[n]; a call past the script fails the test. */
  static ScriptedObjective of(double[]... responses) {
    return new ScriptedObjective(
        (n, x) -> {
          assertThat(n).as("calls beyond the script").isLessThan(responses.length);
          return responses[n];
        });
  }

  @Override
  public double valueAndGradient(double[] x, double[] g) {
    double[] r = script.apply(points.size(), x.clone());
    points.add(x.clone());
    System.arraycopy(r, 1, g, 0, g.length);
    return r[0];
  }

  /** The first coordinate of every point asked for, in order. */
  double[] firstCoordinates() {
    return points.stream().mapToDouble(p -> p[0]).toArray();
  }
}
