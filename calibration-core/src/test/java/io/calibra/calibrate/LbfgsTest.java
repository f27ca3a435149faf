package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optimiser on functions with known minima (hand derived: Rosenbrock's minimum is (1, 1) with
 * value 0; a quadratic's is its centre). The iteration bounds are a few more than the measured
 * counts (Rosenbrock 36, the 1e6-conditioned quadratic 120 in 10 dimensions): steepest descent, or
 * a broken two-loop update, needs thousands on these.
 */
class LbfgsTest {
  private static final Lbfgs.Objective ROSENBROCK =
      (x, g) -> {
        double a = 1 - x[0];
        double b = x[1] - x[0] * x[0];
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
        return a * a + 100 * b * b;
      };

  @Test
  void rosenbrockFromTheClassicStart() {
    AtomicInteger calls = new AtomicInteger();
    Lbfgs.Objective counted =
        (x, g) -> {
          calls.incrementAndGet();
          return ROSENBROCK.valueAndGradient(x, g);
        };
    Lbfgs.Result r = Lbfgs.minimize(counted, new double[] {-1.2, 1.0}, 1000, 1e-10);
    assertThat(r.converged()).isTrue();
    assertThat(r.maxAbsGradient()).isLessThanOrEqualTo(1e-10);
    assertThat(r.x()).containsExactly(new double[] {1.0, 1.0}, within(1e-9));
    assertThat(r.value()).isLessThan(1e-18);
    assertThat(r.iterations()).isBetween(20, ITERATIONS_ROSENBROCK);
    assertThat(calls.get()).isLessThan(4 * ITERATIONS_ROSENBROCK);
    assertConsistent(ROSENBROCK, r);
  }

  private static final int ITERATIONS_ROSENBROCK = 45;

  /** f = sum c_i (x_i - i)^2 / 2 with c_i from 1 to 10^decades, log-spaced. */
  private static Lbfgs.Objective quadratic(int dim, double decades) {
    return (x, g) -> {
      double f = 0;
      for (int i = 0; i < dim; i++) {
        double c = Math.pow(10, decades * i / (dim - 1));
        double d = x[i] - i;
        g[i] = c * d;
        f += 0.5 * c * d * d;
      }
      return f;
    };
  }

  @ParameterizedTest(name = "condition 1e{0}")
  @ValueSource(ints = {0, 2, 4, 6})
  void illConditionedQuadraticsReachTheCentre(int decades) {
    int dim = 10;
    Lbfgs.Objective f = quadratic(dim, decades);
    Lbfgs.Result r = Lbfgs.minimize(f, new double[dim], 10_000, 1e-9);
    assertThat(r.converged()).isTrue();
    for (int i = 0; i < dim; i++) {
      // |x_i - i| <= |g_i| / c_i <= 1e-9.
      assertThat(r.x()[i]).as("x%d", i).isCloseTo(i, within(1e-9));
    }
    int measured =
        switch (decades) {
          case 0 -> 2;
          case 2 -> 50;
          case 4 -> 134;
          default -> 270;
        };
    assertThat(r.iterations()).isBetween(measured / 2, measured + measured / 10);
    assertConsistent(f, r);
  }

  @Test
  void aSpentBudgetIsReportedAsNotConverged() {
    Lbfgs.Result r = Lbfgs.minimize(ROSENBROCK, new double[] {-1.2, 1.0}, 5, 1e-10);
    assertThat(r.iterations()).isEqualTo(5);
    assertThat(r.converged()).isFalse();
    assertThat(r.maxAbsGradient()).isGreaterThan(1e-10);
    // Every accepted step lowers the value: below the start's 24.2.
    assertThat(r.value()).isLessThan(24.2);
    assertConsistent(ROSENBROCK, r);
  }

  @Test
  void theStartIsReturnedWhenItIsAlreadyOptimal() {
    Lbfgs.Result r = Lbfgs.minimize(ROSENBROCK, new double[] {1.0, 1.0}, 100, 1e-10);
    assertThat(r.iterations()).isZero();
    assertThat(r.converged()).isTrue();
    assertThat(r.x()).containsExactly(1.0, 1.0);
  }

  @Test
  void aFloorOfRoundingStopsTheSearchWithoutClaimingConvergence() {
    // |x| has no zero gradient: the search must stop by itself, at most at the start's value.
    Lbfgs.Objective abs =
        (x, g) -> {
          g[0] = x[0] >= 0 ? 1 : -1;
          return Math.abs(x[0]);
        };
    Lbfgs.Result r = Lbfgs.minimize(abs, new double[] {0.75}, 1000, 1e-10);
    assertThat(r.converged()).isFalse();
    assertThat(r.iterations()).isLessThan(1000);
    assertThat(r.value()).isLessThanOrEqualTo(0.75);
  }

  @Test
  void aGradientExactlyAtTheToleranceIsConvergedAtTheStart() {
    // f = x^2 / 2 at x = 0.5: gradient 0.5, the tolerance itself ("at most": converged, no step).
    ScriptedObjective f = new ScriptedObjective((n, x) -> new double[] {x[0] * x[0] / 2, x[0]});
    Lbfgs.Result r = Lbfgs.minimize(f, new double[] {0.5}, 100, 0.5);
    assertThat(r.iterations()).isZero();
    assertThat(r.converged()).isTrue();
    assertThat(r.x()).containsExactly(0.5);
    assertThat(f.points).hasSize(1);
  }

  @Test
  void aValueExactlyOnTheArmijoLineIsAccepted() {
    // Hand derived: at x = 0, f = 1, g = 1, the first step is min(1, 1/|g|) = 1 along -g, slope
    // -1; the script answers x = -1 with exactly f + 1e-4 * step * slope (accepted: "<=") and a
    // zero gradient (converged). A rejection would halve the step to x = -0.5 instead.
    double armijoLine = 1.0 + 1e-4 * 1.0 * -1.0;
    ScriptedObjective f = ScriptedObjective.of(new double[] {1, 1}, new double[] {armijoLine, 0});
    Lbfgs.Result r = Lbfgs.minimize(f, new double[] {0}, 100, 0);
    assertThat(f.firstCoordinates()).containsExactly(0, -1);
    assertThat(r.x()).containsExactly(-1.0);
    assertThat(r.value()).isEqualTo(armijoLine);
    assertThat(r.iterations()).isEqualTo(1);
    assertThat(r.converged()).isTrue();
  }

  @Test
  void aLineSearchGivesUpAfterFortyHalvings() {
    // f = 1 everywhere after the start (no decrease: every trial fails Armijo), g = 1 at x = 0.
    // Hand derived: steepest descent from an empty history, first step 1, then halvings: the
    // trials are x = -2^-t for t = 0..39 (40 of them), then the search stops at the start.
    ScriptedObjective f = new ScriptedObjective((n, x) -> new double[] {1, 1});
    Lbfgs.Result r = Lbfgs.minimize(f, new double[] {0}, 100, 0);
    double[] expected = new double[41];
    for (int t = 0; t < 40; t++) {
      expected[t + 1] = -Math.scalb(1.0, -t);
    }
    assertThat(f.firstCoordinates()).containsExactly(expected);
    assertThat(r.x()).containsExactly(0.0);
    assertThat(r.value()).isEqualTo(1.0);
    assertThat(r.iterations()).isZero();
    assertThat(r.converged()).isFalse();
  }

  @Test
  void failedQuasiNewtonLineSearchesRestartFromSteepestDescentThreeTimes() {
    // 1-D script: the start (x = 0) has f = g = 1; calls 1, 42, 83, 124 are accepted with f = g =
    // 2^-j (j-th acceptance); every other call answers f = 2 (rejected). Hand derived path:
    // call 1: steepest descent (empty history), step min(1, 1/g) = 1, x = -1 (accepted).
    // calls 2-41: the L-BFGS direction -g s/y = -1 (s = -1, y = -1/2), 40 halvings, all rejected:
    //   (each secant trial is x = -2, the root of g = x + 2 through the accepted points)
    //   reset 1, history cleared; call 42: steepest descent from g = 1/2, step 1: x = -1.5.
    // calls 43-82 fail (reset 2), call 83: x = -1.75; calls 84-123 fail (reset 3), call 124:
    //   x = -1.875; calls 125-164 fail: a fourth reset is more than MAX_RESETS = 3, the search
    //   stops at x = -1.875 after 4 accepted steps and 165 calls.
    ScriptedObjective f =
        new ScriptedObjective(
            (n, x) -> {
              if (n == 0) {
                return new double[] {1, 1};
              }
              if (n % 41 == 1) {
                double v = Math.scalb(1.0, -(n / 41 + 1));
                return new double[] {v, v};
              }
              return new double[] {2, 1};
            });
    Lbfgs.Result r = Lbfgs.minimize(f, new double[] {0}, 100, 0);
    assertThat(f.points).hasSize(165);
    double[] xs = f.firstCoordinates();
    assertThat(new double[] {xs[1], xs[2], xs[42], xs[43], xs[83], xs[124], xs[125]})
        .containsExactly(-1, -2, -1.5, -2, -1.75, -1.875, -2);
    assertThat(r.x()).containsExactly(-1.875);
    assertThat(r.value()).isEqualTo(0.0625);
    assertThat(r.iterations()).isEqualTo(4);
    assertThat(r.converged()).isFalse();
  }

  @Test
  void aStepWithoutCurvatureIsNotRemembered() {
    // Hand derived 1-D path: x = 0 (f 1, g 1) -> steepest descent step 1 -> x = -1 (f 1/2, g 1/2):
    // pair s = -1, y = -1/2, so the L-BFGS direction is -g s/y = -1 -> x = -2 (f 1/4, g 1/2):
    // s = -1, y = 0, s.y = 0 is not above 1e-16 |s| |y| = 0, the pair is dropped; the next
    // direction is still -1 from the first pair -> x = -3 (f 1/8, g 0: converged). Remembering the
    // flat pair (1/s.y infinite) would give NaN directions and a steepest descent step to -2.5.
    ScriptedObjective f =
        ScriptedObjective.of(
            new double[] {1, 1},
            new double[] {0.5, 0.5},
            new double[] {0.25, 0.5},
            new double[] {0.125, 0});
    Lbfgs.Result r = Lbfgs.minimize(f, new double[] {0}, 100, 0);
    assertThat(f.firstCoordinates()).containsExactly(0, -1, -2, -3);
    assertThat(r.x()).containsExactly(-3.0);
    assertThat(r.iterations()).isEqualTo(3);
    assertThat(r.converged()).isTrue();
  }

  @Test
  void aZeroSlopeWithHistoryFallsBackToSteepestDescent() {
    // Hand derived 1-D path, t = 2^-600: x = 1 (f 1, g 2) -> steepest descent, step min(1, 1/2),
    // x = 0 (f 1/2, g t): pair s = -1, y = t - 2 = -2 (rounded), L-BFGS direction -g s/y = -t/2,
    // whose slope g d = -2^-1201 underflows to 0: not a descent direction. Steepest descent
    // instead:
    // d = -t, step min(1, 1/t) = 1 -> x = -t (f 1/2, accepted as slope 0 makes the Armijo line
    // f itself; g 0: converged). Keeping the L-BFGS direction would try x = -t/2.
    double t = Math.scalb(1.0, -600);
    ScriptedObjective f =
        ScriptedObjective.of(new double[] {1, 2}, new double[] {0.5, t}, new double[] {0.5, 0});
    Lbfgs.Result r = Lbfgs.minimize(f, new double[] {1}, 100, 0);
    assertThat(f.firstCoordinates()).containsExactly(1, 0, -t);
    assertThat(r.x()).containsExactly(-t);
    assertThat(r.iterations()).isEqualTo(2);
    assertThat(r.converged()).isTrue();
  }

  @ParameterizedTest(name = "f = {0}")
  @ValueSource(doubles = {0.0, 1.0})
  void tenStepsWithoutProgressStopTheSearch(double value) {
    // A constant objective with gradient t = 2^-540 everywhere: the slope -t^2 underflows to 0, so
    // the Armijo line is f itself and every steepest descent step (length min(1, 1/t) = 1, to
    // x = -k t) is accepted with no decrease (0 <= 1e-16 |f|, also for f = 0); y = 0, so no pair
    // is remembered. Hand derived: the tenth such step in a row (MAX_STALLED) stops the search.
    double t = Math.scalb(1.0, -540);
    ScriptedObjective f = new ScriptedObjective((n, x) -> new double[] {value, t});
    Lbfgs.Result r = Lbfgs.minimize(f, new double[] {0}, 100, 0);
    double[] expected = new double[11];
    for (int k = 0; k <= 10; k++) {
      expected[k] = -k * t;
    }
    assertThat(f.firstCoordinates()).containsExactly(expected);
    assertThat(r.iterations()).isEqualTo(10);
    assertThat(r.value()).isEqualTo(value);
    assertThat(r.converged()).isFalse();
  }

  private static void assertConsistent(Lbfgs.Objective f, Lbfgs.Result r) {
    double[] g = new double[r.x().length];
    assertThat(f.valueAndGradient(r.x(), g)).isEqualTo(r.value());
    assertThat(r.gradient()).containsExactly(g);
  }

  @Test
  void refusesANonFiniteStartingValue() {
    Lbfgs.Objective nan =
        (x, g) -> {
          g[0] = 0;
          return Double.NaN;
        };
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Lbfgs.minimize(nan, new double[] {1.0}, 10, 1e-9))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("objective is NaN at the starting point");
  }
}
