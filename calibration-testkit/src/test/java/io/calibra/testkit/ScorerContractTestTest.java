package io.calibra.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The contract catches broken adapters: it fails where they break it, and only there. */
class ScorerContractTestTest {

  private static Events run(Class<?> contract) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(contract))
        .execute()
        .testEvents();
  }

  @Test
  void aGoodAdapterPassesEveryRule() {
    Events events = run(FunctionScorerContractTest.class);
    assertThat(events.succeeded().count()).isEqualTo(8);
    assertThat(events.failed().count()).isZero();
  }

  @Test
  void theScorerIsCreatedOnceAndClosedOncePerClass() {
    CountingContract.CREATED.set(0);
    CountingContract.CLOSED.set(0);
    Events events = run(CountingContract.class);
    assertThat(events.succeeded().count()).isEqualTo(8);
    assertThat(CountingContract.CREATED).as("createScorer() calls").hasValue(1);
    assertThat(CountingContract.CLOSED).as("close() calls").hasValue(1);
  }

  @Test
  void resultsInTheWrongOrderFailBatchingRule() {
    Events events = run(BrokenAdapters.ReversedOrderContract.class);
    assertThat(events.failed().count()).isGreaterThanOrEqualTo(1);
    assertThat(failedNames(events)).contains("batchingDoesNotChangeScores()");
  }

  @Test
  void aNullPointerExceptionFailsTheNullRule() {
    Events events = run(BrokenAdapters.NullUnsafeContract.class);
    assertThat(failedNames(events)).containsExactly("nullPromptIsAnIllegalArgument()");
  }

  @Test
  void anUnstableFingerprintFailsTheFingerprintRule() {
    Events events = run(BrokenAdapters.UnstableFingerprintContract.class);
    assertThat(failedNames(events)).containsExactly("fingerprintIsStableAndNotBlank()");
  }

  private static java.util.List<String> failedNames(Events events) {
    return events.failed().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList();
  }
}
