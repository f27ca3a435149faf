package io.calibra.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link FitOptions}: the iteration budget it carries and the description that shows it. */
class FitOptionsTest {
  /**
   * withControl returns options carrying that control, and the description ends with its iteration
   * budget (17, chosen by the test).
   */
  @Test
  void withControlCarriesTheControlAndTheDescriptionShowsItsBudget() {
    FitControl control = new FitControl(17, (stage, iteration, objective) -> {});
    FitOptions options = FitOptions.defaults().withControl(control);
    assertThat(options.control()).isSameAs(control);
    assertThat(options.toString()).startsWith("FitOptions[lambda=").endsWith(", maxIterations=17]");
    assertThat(FitOptions.defaults().control().maxIterations()).isEqualTo(AffineFit.MAX_ITERATIONS);
  }
}
