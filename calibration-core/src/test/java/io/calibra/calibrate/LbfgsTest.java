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

  private static void assertConsistent(Lbfgs.Objective f, Lbfgs.Result r) {
    double[] g = new double[r.x().length];
    assertThat(f.valueAndGradient(r.x(), g)).isEqualTo(r.value());
    assertThat(r.gradient()).containsExactly(g);
  }
}
