/**
 * A test kit for applications that use calibra: {@link io.calibra.testkit.CalibraAssertions}
 * (AssertJ assertions on label distributions and calibrators) and {@link
 * io.calibra.testkit.ScorerContractTest}, an abstract JUnit 5 test that checks a scorer adapter
 * keeps the {@link io.calibra.backend.Scorer} contract. Add the module with test scope.
 */
package io.calibra.testkit;
