/**
 * Test helpers for code that uses calibra: AssertJ assertions for distributions, probability
 * vectors and calibrators, and {@link io.calibra.testkit.ScorerContractTest}, the JUnit 5 contract
 * every {@link io.calibra.backend.Scorer} should pass. Its API exposes calibra's, JUnit's and
 * AssertJ's types, so it requires them transitively.
 */
module io.calibra.testkit {
  requires transitive io.calibra.core;
  requires transitive org.assertj.core;
  requires transitive org.junit.jupiter.api;

  exports io.calibra.testkit;

  // JUnit runs the contract's inherited test methods reflectively.
  opens io.calibra.testkit to
      org.junit.platform.commons;
}
