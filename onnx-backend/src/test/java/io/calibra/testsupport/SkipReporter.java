package io.calibra.testsupport;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints every skipped or aborted test (a failed assumption, such as missing ../shared data or no
 * root for a tmpfs) with its reason, so a plain clone shows why tests did not run; Surefire's
 * summary counts them as skipped. Registered through META-INF/services.
 */
public final class SkipReporter implements TestExecutionListener {
  /** Reports tests that never started, such as disabled ones. */
  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    print(test, reason);
  }

  /** Reports tests stopped by a failed assumption. */
  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      print(test, result.getThrowable().map(Throwable::getMessage).orElse("no reason given"));
    }
  }

  private static void print(TestIdentifier test, String reason) {
    String name =
        test.getSource()
            .filter(MethodSource.class::isInstance)
            .map(s -> ((MethodSource) s).getClassName() + "#" + ((MethodSource) s).getMethodName())
            .orElse(test.getDisplayName());
    System.out.println("[calibra] SKIPPED " + name + " " + test.getDisplayName() + ": " + reason);
  }
}
